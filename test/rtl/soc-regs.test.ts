import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { paramEnv } from '../../generator/dsl/check';
import { iverilogCompile } from '../../generator/flows/iverilog';
import { verilatorLint } from '../../generator/flows/verilator';
import { checkNoLatches } from '../../generator/flows/yosys';
import { fieldStem, socRegsModule } from '../../generator/modules/soc-regs';
import { renderModule } from '../../generator/render/design';
import { type Register, registerMap } from '../../generator/soc/register-map';
import {
  type RegsModel,
  createRegsModel,
  readRegister,
  setRegisterBits,
  writeRegister,
} from '../../sim/golden/soc-regs';
import { type AxilStep, renderAxilTestbench } from '../../sim/harness/axil-testbench';
import { Rng } from '../../sim/harness/random';
import { runIcarus, runVerilator } from '../../sim/harness/run';
import { configWith } from '../support/config';
import { fuzzConfigs, fuzzSeed } from '../support/fuzz';
import { availableSimulators } from '../support/simulators';

const simulators = availableSimulators();
const CASES = [
  { name: 'tiny', resolved: configWith('tiny') },
  { name: 'fpga', resolved: configWith('fpga') },
  { name: 'fpga, async reset', resolved: configWith('fpga', ['reset.style=async']) },
  ...fuzzConfigs('soc_regs fuzz', 1),
];

const read = (model: RegsModel, address: number, rng: Rng): AxilStep => ({
  kind: 'read',
  address,
  ...readRegister(model, address),
  delays: [rng.int(0, 3), rng.int(0, 3)],
});

/** Hardware-side inputs of the ro fields, all at random values. */
function randomInputs(model: RegsModel, map: readonly Register[], rng: Rng): AxilStep {
  const values: Record<string, number> = {};
  for (const r of map)
    for (const f of r.fields)
      if (f.access === 'ro') values[`${fieldStem(r, f)}_i`] = Number(rng.bits(f.width));
  for (const [port, value] of Object.entries(values))
    model.inputs.set(port.replace(/_i$/, ''), value);
  return { kind: 'inputs', values };
}

/**
 * Directed steps first (every register at reset, a counter's HI latch, every command bit), then
 * random accesses.
 */
function randomSteps(map: readonly Register[], model: RegsModel, rng: Rng): AxilStep[] {
  const offsets = map.map((r) => r.offset);
  const unmapped = [0x0f0, 0xffc, 0x200].filter((a) => !offsets.includes(a));
  const steps: AxilStep[] = offsets.map((a) => read(model, a, rng));
  const lo = map.findIndex((_, i) => map[i + 1]?.latchedByLower);
  const counter = map[lo] as Register;
  steps.push(randomInputs(model, map, rng), read(model, counter.offset, rng));
  steps.push(randomInputs(model, map, rng), read(model, counter.offset + 4, rng));
  // Every command bit once (the random writes may miss them).
  for (const r of map.filter((reg) => reg.fields.some((f) => f.access === 'w1p'))) {
    const resp = writeRegister(model, r.offset, 0xffffffff, 0xf);
    steps.push({
      kind: 'write',
      address: r.offset,
      data: 0xffffffff,
      strobes: 0xf,
      resp,
      delays: [rng.int(0, 3), rng.int(0, 3), rng.int(0, 3)],
    });
  }
  const w1c = map.flatMap((r) => r.fields.filter((f) => f.access === 'w1c').map((f) => ({ r, f })));
  for (let i = 0; i < 300; i += 1) {
    const address = (rng.chance(0.1) ? rng.pick(unmapped) : rng.pick(offsets)) + rng.int(0, 3);
    const roll = rng.int(0, 99);
    if (roll < 55) {
      const data = Number(rng.bits(32));
      const strobes = rng.chance(0.6) ? 0xf : rng.int(0, 15);
      const resp = writeRegister(model, address, data, strobes);
      steps.push({
        kind: 'write',
        address,
        data,
        strobes,
        resp,
        delays: [rng.int(0, 3), rng.int(0, 3), rng.int(0, 3)],
      });
    } else if (roll < 90) steps.push(read(model, address, rng));
    else if (roll < 95) steps.push(randomInputs(model, map, rng));
    else {
      const { r, f } = rng.pick(w1c);
      const bits = Math.max(1, Number(rng.bits(f.width)));
      setRegisterBits(model, fieldStem(r, f), bits);
      steps.push({ kind: 'pulse', port: `${fieldStem(r, f)}_set_i`, value: bits });
    }
  }
  return [...steps, ...offsets.map((a) => read(model, a, rng))];
}

describe.each(CASES)('soc_regs at $name', ({ resolved }) => {
  const dut = socRegsModule(resolved.config);
  const source = renderModule(dut, resolved);
  const file = `${dut.name}.v`;
  const dir = mkdtempSync(join(tmpdir(), 'spatten-soc-regs-'));
  writeFileSync(join(dir, file), source);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.runIf(simulators.length === 2)(
    'is Verilator -Wall, Icarus and Yosys latch clean',
    async () => {
      const lint = await verilatorLint(dir, [file], dut.name);
      expect(lint.ok, lint.output).toBe(true);
      const icarus = await iverilogCompile(dir, [file], dut.name);
      expect(icarus.ok, icarus.output).toBe(true);
      expect(icarus.output.trim()).toBe('');
      const latches = await checkNoLatches({ [file]: source }, dut.name);
      expect(latches.ok, latches.log.slice(-2000)).toBe(true);
    },
    120_000,
  );

  for (const simulator of simulators) {
    it(`answers every access as the golden model does, under random delays (${simulator})`, async () => {
      const seed = fuzzSeed(`soc_regs ${simulator}`);
      const rng = new Rng(seed);
      const map = registerMap(resolved.config);
      const model = createRegsModel(map);
      const steps = randomSteps(map, model, rng);
      const outputs: Record<string, number> = {};
      const pulses: Record<string, number> = {};
      for (const r of map) {
        for (const f of r.fields) {
          const stem = fieldStem(r, f);
          if (f.access === 'rw' || f.access === 'w1c')
            outputs[`${stem}_o`] = model.stored.get(stem) ?? 0;
          if (f.access === 'w1p') pulses[`${stem}_o`] = model.pulses.get(stem) ?? 0;
        }
      }
      expect(Object.values(pulses).some((count) => count > 0)).toBe(true);
      const tb = renderAxilTestbench(dut, paramEnv(dut), resolved.config, steps, {
        outputs,
        pulses,
      });
      const work = mkdtempSync(join(tmpdir(), 'spatten-soc-regs-sim-'));
      try {
        const sources = [
          { name: file, content: source },
          { name: 'tb.v', content: tb },
        ];
        const log =
          simulator === 'icarus'
            ? await runIcarus(work, sources, [])
            : await runVerilator(work, sources, [], false);
        const errors = log.split('\n').filter((line) => line.startsWith('ERROR'));
        expect(errors.slice(0, 10), `seed ${seed}`).toEqual([]);
        expect(log, `seed ${seed}`).toMatch(/SUMMARY errors=0 cycles=\d+/);
      } finally {
        rmSync(work, { recursive: true, force: true });
      }
    }, 300_000);
  }
});
