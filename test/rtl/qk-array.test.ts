import { describe, expect, it } from 'vitest';
import { deriveDatapath } from '../../generator/config/derive-datapath';
import type { Config } from '../../generator/config/schema';
import { checkPlan } from '../../sim/harness/check';
import { Rng } from '../../sim/harness/random';
import { qkArrayPlan, randomQkRequest, randomQkRequests } from '../../sim/harness/targets/qk-array';
import { configWith } from '../support/config';
import { availableSimulators } from '../support/simulators';

const simulators = availableSimulators();

/**
 * M = D, M < D, M > D; odd and even log2(D); every requantization branch (shift > 1, 1, 0, < 0).
 * Verilator builds take seconds each, so it runs the first four; Icarus runs them all.
 */
const shapes: { name: string; sets: string[] }[] = [
  { name: 'tiny: D 8, M 8', sets: [] },
  {
    name: 'D 8, M 2 (4 cycles per key), async active-high reset',
    sets: ['datapath.multipliers=2', 'reset.style=async', 'reset.activeLow=false'],
  },
  { name: 'D 8, M 32 (4 keys per cycle)', sets: ['datapath.multipliers=32'] },
  {
    name: 'D 32, M 64, left shift, wide score',
    sets: [
      'model.headDim=32',
      'datapath.multipliers=64',
      'datapath.scoreBits=32',
      'datapath.scoreFrac=28',
    ],
  },
  {
    name: 'D 16, M 4, shift 1',
    sets: ['model.headDim=16', 'datapath.multipliers=4', 'datapath.scoreFrac=9'],
  },
  {
    name: 'D 16, M 32, shift 0',
    sets: ['model.headDim=16', 'datapath.multipliers=32', 'datapath.scoreFrac=10'],
  },
];

/** n = 1, n = 0, saturating extremes, all keys equal, then random requests. */
function requests(config: Config, seed: number) {
  const rng = new Rng(seed);
  return {
    rng,
    requests: [
      randomQkRequest(config, rng, 1),
      randomQkRequest(config, rng, 0),
      randomQkRequest(config, rng, 5, 'most-negative'),
      randomQkRequest(config, rng, 5, 'most-positive'),
      randomQkRequest(config, rng, 9, 'equal-keys'),
      randomQkRequest(config, rng, 1, 'most-negative'),
      ...randomQkRequests(config, rng, 40),
    ],
  };
}

describe.each(simulators)('qk_array RTL on %s', (simulator) => {
  it.each(simulator === 'verilator' ? shapes.slice(0, 4) : shapes)(
    'matches the golden model, edge cases and random requests, under stalls: $name',
    async ({ sets }) => {
      const resolved = configWith('tiny', sets);
      for (const [seed, stall] of [
        [1, 0.5],
        [2, 0.2],
        [3, 0],
      ] as const) {
        const { rng, requests: list } = requests(resolved.config, seed);
        const plan = qkArrayPlan(resolved.config, list, rng);
        const { failures } = await checkPlan(resolved, plan, { simulator, seed, stall });
        expect(failures, `seed ${seed}, stall ${stall}`).toEqual([]);
      }
    },
  );
});

describe.runIf(simulators.length > 0)('qk_array throughput', () => {
  it.each(shapes.slice(0, 3))(
    'takes one key beat per cycle with no stall: $name',
    async ({ sets }) => {
      const resolved = configWith('tiny', sets);
      const shape = deriveDatapath(resolved.config);
      const rng = new Rng(8);
      const plan = qkArrayPlan(
        resolved.config,
        [randomQkRequest(resolved.config, rng, 60), randomQkRequest(resolved.config, rng, 60)],
        rng,
      );
      const { failures, result } = await checkPlan(resolved, plan, {
        simulator: simulators[0] ?? 'icarus',
        seed: 8,
        stall: 0,
      });
      expect(failures).toEqual([]);
      const accepted = result.inputAccepted.key ?? [];
      const beats = plan.inputs.key?.length ?? 0;
      expect(accepted.length).toBe(beats);
      // Within a request every cycle takes a key beat; between requests the next query loads (Slices cycles).
      const span = (accepted[accepted.length - 1] ?? 0) - (accepted[0] ?? 0) + 1;
      expect(span).toBe(beats + shape.slices);
    },
  );
});
