/**
 * Emitted modules keep their Verilog parameters: the fpga files, re-parameterized with -G (Icarus:
 * -P) to the parameter values of a second config, lint clean. For the composite modules this is the
 * check that parameters flow down: their children's parameters, localparams and net widths are
 * expressions over the top module's parameters, so every width still meets.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { iverilogCompile } from '../../generator/flows/iverilog';
import { verilatorLint } from '../../generator/flows/verilator';
import { collectModules, designModules } from '../../generator/modules';
import { renderDesign } from '../../generator/render/design';
import { configWith } from '../support/config';
import { overridesTo } from '../support/overrides';
import { availableSimulators } from '../support/simulators';

const tools = availableSimulators();
const base = configWith('fpga');
const baseModules = designModules(base.config);

/** Second configs: each moves the parameters of the modules its fields reach. */
const seconds = [
  { name: 'softmax lanes 4', sets: ['softmax.lanes=4'] },
  { name: 'probability 10 bits', sets: ['datapath.probBits=10', 'datapath.probFrac=9'] },
  { name: 'head dimension 32', sets: ['model.headDim=32'] },
  { name: '8 heads', sets: ['top.heads=8'] },
  { name: 'query 10 bits', sets: ['datapath.queryBits=10'] },
  { name: 'output 12 bits', sets: ['datapath.outBits=12', 'datapath.outFrac=8'] },
  {
    name: 'capacity 1024',
    sets: ['model.maxTokens=1024', 'softmax.capacity=1024', 'topk.capacity=1024'],
  },
  { name: 'keys of 6 + 4 bits', sets: ['fetcher.msbBits=6', 'datapath.keyBits=10'] },
  { name: 'scores 14 bits', sets: ['datapath.scoreBits=14', 'datapath.scoreFrac=6'] },
];

/** The parameters of each base module whose value differs in `sets`' design. */
function overridesFor(sets: string[]) {
  const second = new Map(designModules(configWith('fpga', sets).config).map((m) => [m.name, m]));
  return baseModules.flatMap((module) => {
    const other = second.get(module.name);
    const overrides = other ? overridesTo(module, other) : {};
    return Object.keys(overrides).length === 0 ? [] : [{ module, overrides }];
  });
}

describe.runIf(tools.length === 2)('emitted modules re-parameterized with -G', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'spatten-reparam-'));
    for (const file of renderDesign(baseModules, base)) {
      if (file.path.endsWith('.v')) writeFileSync(join(dir, file.path), file.content);
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(seconds)('lint clean at the parameters of: $name', async ({ sets }) => {
    const cases = overridesFor(sets);
    // Each second config moves the top's parameters, or the test checks nothing of what flows down.
    expect(cases.map((c) => c.module.stem)).toContain('top');
    const failures: string[] = [];
    for (const { module, overrides } of cases) {
      const files = collectModules([module]).map((m) => `${m.name}.v`);
      const label = `${module.name} ${JSON.stringify(overrides)}`;
      const verilator = await verilatorLint(dir, files, module.name, overrides);
      if (!verilator.ok) failures.push(`verilator ${label}:\n${verilator.output}`);
      const icarus = await iverilogCompile(dir, files, module.name, '/dev/null', overrides);
      if (!icarus.ok || icarus.output.trim() !== '') {
        failures.push(`iverilog ${label}:\n${icarus.output}`);
      }
    }
    expect(failures).toEqual([]);
  });
});
