import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { iverilogCompile } from '../../generator/flows/iverilog';
import { verilatorLint } from '../../generator/flows/verilator';
import { checkNoLatches } from '../../generator/flows/yosys';
import { pvArrayModule } from '../../generator/modules/pv-array';
import { qkArrayModule } from '../../generator/modules/qk-array';
import { renderModule } from '../../generator/render/design';
import { configWith } from '../support/config';
import { availableSimulators } from '../support/simulators';

const tools = availableSimulators();
const scratch = mkdtempSync(join(tmpdir(), 'spatten-datapath-lint-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/**
 * Shapes and formats the presets do not cover: every generate branch of both arrays. Yosys needs tens
 * of seconds per wide multiplier array, so it synthesizes two small shapes only: the templates have no
 * combinational always blocks, so a latch could only come from a generate branch these two cover
 * together with the presets (slices > 1 here, rows per beat > 1 in paper).
 */
const variants: { name: string; sets: string[]; synth: boolean }[] = [
  { name: 'D 8, M 1', sets: ['datapath.multipliers=1'], synth: true },
  { name: 'D 8, M 16', sets: ['datapath.multipliers=16'], synth: false },
  {
    name: 'D 16, M 4, shifts 1 and 0',
    sets: [
      'model.headDim=16',
      'datapath.multipliers=4',
      'datapath.scoreFrac=9',
      'datapath.outFrac=11',
      'datapath.outBits=16',
    ],
    synth: true,
  },
  {
    name: 'D 32, M 128, left shifts, wide outputs',
    sets: [
      'model.headDim=32',
      'datapath.multipliers=128',
      'datapath.scoreBits=32',
      'datapath.scoreFrac=28',
      'datapath.outBits=32',
      'datapath.outFrac=14',
    ],
    synth: false,
  },
  {
    name: 'D 256, M 16, one-bit probabilities',
    sets: [
      'model.headDim=256',
      'datapath.multipliers=16',
      'datapath.probBits=1',
      'datapath.probFrac=1',
    ],
    synth: false,
  },
];

describe.runIf(tools.length === 2)('qk_array and pv_array lint across shapes', () => {
  it.each(variants)(
    '$name: Verilator -Wall, Icarus -g2005, Yosys without latches',
    async ({ name, sets, synth }) => {
      const resolved = configWith('tiny', sets);
      for (const module of [qkArrayModule(resolved.config), pvArrayModule(resolved.config)]) {
        const file = `${module.name}.v`;
        const dir = mkdtempSync(join(scratch, 'v-'));
        const text = renderModule(module, resolved);
        writeFileSync(join(dir, file), text);
        const verilator = await verilatorLint(dir, [file], module.name);
        expect(verilator.output, `${name} ${module.name}`).toBe('');
        const icarus = await iverilogCompile(dir, [file], module.name);
        expect(icarus.output.trim(), `${name} ${module.name}`).toBe('');
        if (synth) {
          const yosys = await checkNoLatches({ [file]: text }, module.name);
          expect(yosys.ok, yosys.log).toBe(true);
        }
      }
    },
  );
});
