/**
 * qk_bitserial against its golden model on both simulators under stalls, at shapes covering one
 * lane and several, rings of 4 and 5 contexts (D 8 and D 64), a reorder buffer that is not a power
 * of two (20), and narrow and wide elements, reading planes from the plane memory model (which
 * checks that the unit reads exactly the planes it processes); and its timing against the cycle
 * model (every result leaves at the cycle the model says, with no stall).
 */
import { describe, expect, it } from 'vitest';
import { bitserialTimeline } from '../../sim/golden/qk-bitserial-schedule';
import { checkPlan } from '../../sim/harness/check';
import { Rng } from '../../sim/harness/random';
import { qkBitserialPlan, randomBitserialRequests } from '../../sim/harness/targets/qk-bitserial';
import { configWith } from '../support/config';
import { availableSimulators } from '../support/simulators';

const simulators = availableSimulators();

const shapes: { name: string; sets: string[] }[] = [
  { name: 'tiny: D 8, 2 lanes', sets: [] },
  {
    name: 'D 16, 3 lanes (reorder buffer of 20), 5-bit keys, async active-high reset',
    sets: [
      'model.headDim=16',
      'datapath.bitserialLanes=3',
      'datapath.keyBits=5',
      'datapath.keyFrac=2',
      'fetcher.msbBits=3',
      'fetcher.lsbBits=2',
      'reset.style=async',
      'reset.activeLow=false',
    ],
  },
  { name: 'D 8, one lane', sets: ['datapath.bitserialLanes=1'] },
  {
    name: 'D 64, 4 lanes, 12-bit queries and keys',
    sets: [
      'model.headDim=64',
      'datapath.bitserialLanes=4',
      'datapath.queryBits=12',
      'datapath.keyBits=12',
      'fetcher.msbBits=8',
    ],
  },
];

describe.each(simulators)('qk_bitserial RTL on %s', (simulator) => {
  it.each(simulator === 'verilator' ? shapes : shapes.slice(0, 3))(
    'matches the golden model under stalls: $name',
    async ({ sets }) => {
      const resolved = configWith('tiny', sets);
      for (const [seed, stall] of [
        [1, 0.5],
        [2, 0.2],
      ] as const) {
        const rng = new Rng(seed);
        const plan = qkBitserialPlan(
          resolved.config,
          randomBitserialRequests(resolved.config, rng, 25),
        );
        const { failures } = await checkPlan(resolved, plan, { simulator, seed, stall });
        expect(failures, `seed ${seed}, stall ${stall}`).toEqual([]);
      }
    },
    300_000,
  );
});

describe.runIf(simulators.length > 0)('qk_bitserial timing', () => {
  it.each(shapes)(
    'every result leaves at the cycle of the cycle model: $name',
    async ({ sets }) => {
      const resolved = configWith('tiny', sets);
      const rng = new Rng(9);
      const requests = randomBitserialRequests(resolved.config, rng, 12);
      const plan = qkBitserialPlan(resolved.config, requests);
      const { failures, result } = await checkPlan(resolved, plan, {
        // Verilator when there: Icarus takes minutes on the D 64 datapath.
        simulator: simulators.includes('verilator') ? 'verilator' : (simulators[0] ?? 'icarus'),
        seed: 9,
        stall: 0,
      });
      expect(failures).toEqual([]);
      const start = result.inputAccepted.query?.[0] ?? 0;
      const timeline = bitserialTimeline(resolved.config, requests);
      expect((result.inputAccepted.query ?? []).map((c) => c - start)).toEqual(timeline.queries);
      expect((result.outputs.score ?? []).map((r) => r.cycle - start)).toEqual(timeline.results);
    },
    300_000,
  );
});
