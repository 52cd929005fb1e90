/**
 * The testbench's protocol checks can fail: deliberately broken stream stages must be caught.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ModuleBuilder } from '../../generator/dsl/builder';
import { runSimulation } from '../../sim/harness/run';
import { configWith } from '../support/config';
import { availableSimulators } from '../support/simulators';

const resolved = configWith('tiny');
const scratch = mkdtempSync(join(tmpdir(), 'spatten-protocol-'));

/** The interface of a one-field stream stage; its body comes from a hand-written (broken) file. */
function stage() {
  const m = new ModuleBuilder(resolved.config, 'broken_stage', 'deliberately broken stage');
  m.clockAndReset();
  m.streamIn('in', { doc: 'in', fields: { data: { width: 8, doc: 'data' } } });
  m.streamOut('out', { doc: 'out', fields: { data: { width: 8, doc: 'data' } } });
  return m.build();
}

function brokenFile(name: string, body: string): string {
  const dir = join(scratch, name);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'spatten_broken_stage.v');
  writeFileSync(
    path,
    `module spatten_broken_stage (input wire clk_i, input wire rst_ni, input wire in_valid_i, output wire in_ready_o,
  input wire [7:0] in_data_i, input wire in_last_i, output wire out_valid_o, input wire out_ready_i,
  output wire [7:0] out_data_o, output wire out_last_o);
${body}
endmodule
`,
  );
  return path;
}

// Valid that looks at ready: a transfer-only pass-through.
const validFromReady = brokenFile(
  'valid',
  `  assign out_valid_o = in_valid_i && out_ready_i;
  assign in_ready_o = out_ready_i;
  assign out_data_o = in_data_i;
  assign out_last_o = in_last_i;`,
);

// A register stage whose payload keeps counting while the sink stalls.
const unstablePayload = brokenFile(
  'payload',
  `  reg valid_q; reg [7:0] data_q; reg last_q;
  assign in_ready_o = !valid_q || out_ready_i;
  always @(posedge clk_i) begin
    if (!rst_ni) valid_q <= 1'b0;
    else if (in_ready_o) begin valid_q <= in_valid_i; data_q <= in_data_i; last_q <= in_last_i; end
    else data_q <= data_q + 8'd1;
  end
  assign out_valid_o = valid_q;
  assign out_data_o = data_q;
  assign out_last_o = last_q;`,
);

const beats = Array.from({ length: 40 }, (_, i) => ({
  fields: { data: BigInt(i) },
  last: i % 5 === 4,
}));

describe.each(availableSimulators())('protocol checks on %s', (simulator) => {
  it('flag an output valid that depends combinationally on ready', async () => {
    const result = await runSimulation({
      resolved,
      top: stage(),
      inputs: { in: beats },
      expectBeats: { out: 40 },
      simulator,
      seed: 3,
      stall: 0.4,
      extra: { files: [validFromReady], verilog: '', connect: {} },
    });
    expect(result.status).toBe('protocol');
    expect(
      result.problems.some((p) => p.includes('valid changed combinationally with ready')),
    ).toBe(true);
  });

  it('flag a payload that changes while the sink stalls', async () => {
    const result = await runSimulation({
      resolved,
      top: stage(),
      inputs: { in: beats },
      expectBeats: { out: 40 },
      simulator,
      seed: 3,
      stall: 0.4,
      extra: { files: [unstablePayload], verilog: '', connect: {} },
    });
    expect(result.status).toBe('protocol');
    expect(
      result.problems.some((p) =>
        p.includes('valid dropped or payload changed before the transfer'),
      ),
    ).toBe(true);
  });
});
