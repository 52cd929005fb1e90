import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { iverilogCompile } from '../../generator/flows/iverilog';
import { verilatorLint } from '../../generator/flows/verilator';
import { runYosysScript } from '../../generator/flows/yosys';
import { syncRamModule } from '../../generator/modules/sync-ram';
import { renderModule } from '../../generator/render/design';
import { configWith } from '../support/config';
import { availableSimulators } from '../support/simulators';

const resolved = configWith('tiny');
const text = renderModule(syncRamModule(resolved.config), resolved);

describe('sync_ram, the one memory template', () => {
  it.runIf(availableSimulators().length === 2)('is lint-clean', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spatten-ram-'));
    writeFileSync(join(dir, 'spatten_sync_ram.v'), text);
    expect((await verilatorLint(dir, ['spatten_sync_ram.v'], 'spatten_sync_ram')).output).toBe('');
    expect((await iverilogCompile(dir, ['spatten_sync_ram.v'], 'spatten_sync_ram')).output).toBe(
      '',
    );
  });

  it('maps to iCE40 block RAM', async () => {
    const run = await runYosysScript(
      { 'ram.v': text },
      'read_verilog ram.v; chparam -set Depth 1024 -set Width 16 spatten_sync_ram; synth_ice40 -top spatten_sync_ram; tee -q -o stat.txt stat',
    );
    expect(run.ok).toBe(true);
    expect(run.files['stat.txt']).toMatch(/SB_RAM40_4K\s+4/);
  });

  // Reads words 1 and 2 on consecutive enabled edges, then drops the enable (and moves the address to
  // word 0): the data must follow 1 + OutputReg edges behind the address and then hold.
  it.runIf(availableSimulators().includes('icarus')).each([0, 1])(
    'reads with latency 1 + OutputReg (OutputReg = %i)',
    async (outputReg) => {
      const dir = mkdtempSync(join(tmpdir(), 'spatten-ram-'));
      writeFileSync(join(dir, 'spatten_sync_ram.v'), text);
      writeFileSync(
        join(dir, 'tb.v'),
        `module tb;
  reg clk = 1'b0, we = 1'b0, re = 1'b0;
  reg [1:0] wa = 2'd0, ra = 2'd0;
  reg [7:0] wd = 8'd0;
  wire [7:0] rd;
  integer cycle;
  spatten_sync_ram #(.Depth(4), .Width(8), .OutputReg(${outputReg})) u_ram (
    .clk_i(clk), .write_en_i(we), .write_addr_i(wa), .write_data_i(wd),
    .read_en_i(re), .read_addr_i(ra), .read_data_o(rd));
  always #5 clk = !clk;
  initial begin
    for (cycle = 0; cycle < 3; cycle = cycle + 1) begin
      @(negedge clk) we = 1'b1; wa = cycle; wd = 8'h10 + cycle;
    end
    @(negedge clk) we = 1'b0; re = 1'b1; ra = 2'd1;
    @(negedge clk) $display("%h", rd); ra = 2'd2;
    @(negedge clk) $display("%h", rd);
    @(negedge clk) $display("%h", rd); re = 1'b0; ra = 2'd0;
    @(negedge clk) $display("%h", rd);
    @(negedge clk) $display("%h", rd);
    $finish;
  end
endmodule
`,
      );
      const built = await iverilogCompile(
        dir,
        ['spatten_sync_ram.v', 'tb.v'],
        'tb',
        join(dir, 'tb.vvp'),
      );
      expect(built.output).toBe('');
      const lines = execFileSync('vvp', ['-n', join(dir, 'tb.vvp')], { encoding: 'utf8' })
        .trim()
        .split('\n');
      const expected =
        outputReg === 0 ? ['11', '12', '12', '12', '12'] : ['xx', '11', '12', '12', '12'];
      expect(lines).toEqual(expected);
    },
  );
});
