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
    expect((await iverilogCompile(dir, ['spatten_sync_ram.v'], 'spatten_sync_ram')).output).toBe('');
  });

  it('maps to iCE40 block RAM', async () => {
    const run = await runYosysScript(
      { 'ram.v': text },
      'read_verilog ram.v; chparam -set Depth 1024 -set Width 16 spatten_sync_ram; synth_ice40 -top spatten_sync_ram; tee -q -o stat.txt stat',
    );
    expect(run.ok).toBe(true);
    expect(run.files['stat.txt']).toMatch(/SB_RAM40_4K\s+4/);
  });
});
