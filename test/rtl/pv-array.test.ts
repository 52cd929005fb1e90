import { describe, expect, it } from 'vitest';
import { deriveDatapath } from '../../generator/config/derive-datapath';
import type { Config } from '../../generator/config/schema';
import { checkPlan } from '../../sim/harness/check';
import { Rng } from '../../sim/harness/random';
import { pvArrayPlan, randomPvRequest, randomPvRequests } from '../../sim/harness/targets/pv-array';
import { configWith } from '../support/config';
import { availableSimulators } from '../support/simulators';

const simulators = availableSimulators();

/**
 * M = D, M < D, M > D; odd and even log2(D); every requantization branch (shift > 1, 1, 0, < 0); the
 * result read out through the shared requantizers in one group, in 2 (D 32: the DSP accumulator shape)
 * and in 4 (D 64, M < D); both accumulator forms (the tiny preset's is fabric), over slices and a tree.
 * Verilator builds take seconds each, so it runs the first five; Icarus runs them all.
 */
const shapes: { name: string; sets: string[] }[] = [
  { name: 'tiny: D 8, M 8', sets: [] },
  {
    name: 'D 8, M 2 (4 cycles per row), DSP accumulator, async active-high reset',
    sets: [
      'datapath.multipliers=2',
      'datapath.pvAccumulator=dsp',
      'reset.style=async',
      'reset.activeLow=false',
    ],
  },
  { name: 'D 8, M 32 (4 rows per cycle)', sets: ['datapath.multipliers=32'] },
  {
    name: 'D 16, M 64, DSP accumulator, left shift, wide output',
    sets: [
      'model.headDim=16',
      'datapath.multipliers=64',
      'datapath.pvAccumulator=dsp',
      'datapath.outBits=32',
      'datapath.outFrac=14',
    ],
  },
  {
    name: 'D 32, M 32, DSP accumulator, read out in 2 groups',
    sets: ['model.headDim=32', 'datapath.multipliers=32', 'datapath.pvAccumulator=dsp'],
  },
  {
    name: 'D 64, M 16, read out in 4 groups',
    sets: ['model.headDim=64', 'datapath.multipliers=16'],
  },
  {
    name: 'D 16, M 4, shift 1',
    sets: ['model.headDim=16', 'datapath.multipliers=4', 'datapath.outFrac=10'],
  },
  {
    name: 'D 8, M 16, shift 0, all-fraction output',
    sets: ['datapath.multipliers=16', 'datapath.outBits=11', 'datapath.outFrac=11'],
  },
];

/** n = 1, n = 0, one-hot, the accumulator's worst case (maxTokens rows of extremes), then random requests. */
function requests(config: Config, seed: number) {
  const rng = new Rng(seed);
  return {
    rng,
    requests: [
      randomPvRequest(config, rng, 1),
      [],
      randomPvRequest(config, rng, 7, 'one-hot'),
      randomPvRequest(config, rng, config.model.maxTokens, 'extreme'),
      randomPvRequest(config, rng, config.model.maxTokens, 'extreme'),
      randomPvRequest(config, rng, 1, 'extreme'),
      ...randomPvRequests(config, rng, 40),
    ],
  };
}

describe.each(simulators)('pv_array RTL on %s', (simulator) => {
  it.each(simulator === 'verilator' ? shapes.slice(0, 5) : shapes)(
    'matches the golden model, edge cases and random requests, under stalls: $name',
    async ({ sets }) => {
      const resolved = configWith('tiny', sets);
      for (const [seed, stall] of [
        [1, 0.5],
        [2, 0.2],
        [3, 0],
      ] as const) {
        const { rng, requests: list } = requests(resolved.config, seed);
        const plan = pvArrayPlan(resolved.config, list, rng);
        const { failures } = await checkPlan(resolved, plan, { simulator, seed, stall });
        expect(failures, `seed ${seed}, stall ${stall}`).toEqual([]);
      }
    },
  );
});

describe.runIf(simulators.length > 0)('pv_array throughput', () => {
  // The DSP accumulator takes a beat every cycle; the fabric one is cleared between requests, one cycle.
  // The short request still has more beats than the result's read-out groups (the contract's bound).
  const forms = shapes.slice(0, 3).flatMap((shape) =>
    (['dsp', 'fabric'] as const).map((form) => ({
      ...shape,
      form,
      sets: [
        ...shape.sets.filter((set) => !set.startsWith('datapath.pvAccumulator=')),
        `datapath.pvAccumulator=${form}`,
      ],
    })),
  );
  it.each(forms)(
    'takes one beat per cycle across requests ($form accumulator): $name',
    async ({ sets, form }) => {
      const resolved = configWith('tiny', sets);
      const rng = new Rng(8);
      const short = 3 * deriveDatapath(resolved.config).rowsPerBeat;
      const list = [
        randomPvRequest(resolved.config, rng, 60),
        randomPvRequest(resolved.config, rng, short),
        randomPvRequest(resolved.config, rng, 60),
      ];
      const plan = pvArrayPlan(resolved.config, list, rng);
      const { failures, result } = await checkPlan(resolved, plan, {
        simulator: simulators[0] ?? 'icarus',
        seed: 8,
        stall: 0,
      });
      expect(failures).toEqual([]);
      const accepted = result.inputAccepted.in ?? [];
      const beats = plan.inputs.in?.length ?? 0;
      expect(accepted.length).toBe(beats);
      const between = form === 'fabric' ? list.length - 1 : 0;
      expect((accepted[accepted.length - 1] ?? 0) - (accepted[0] ?? 0) + 1).toBe(beats + between);
    },
  );
});
