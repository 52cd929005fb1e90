import { describe, expect, it } from 'vitest';
import type { TopkRequest } from '../../sim/golden/topk';
import { checkPlan } from '../../sim/harness/check';
import { Rng } from '../../sim/harness/random';
import { topkPlan, topkShape } from '../../sim/harness/targets/topk';
import { randomRequest, randomValues } from '../../sim/harness/targets/topk-requests';
import { configWith } from '../support/config';
import { availableSimulators } from '../support/simulators';

const simulators = availableSimulators();

const shapes: { name: string; preset: string; sets: string[]; count: number }[] = [
  { name: 'tiny (signed, P=4, radix 4)', preset: 'tiny', sets: [], count: 120 },
  {
    name: 'tiny unsigned, P=2, radix 2, 6-lane output, async active-high reset',
    preset: 'tiny',
    sets: [
      'topk.signed=false',
      'topk.parallelism=2',
      'topk.radixBits=2',
      'topk.outLanes=6',
      'reset.style=async',
      'reset.activeLow=false',
    ],
    count: 80,
  },
  {
    name: 'one lane, one radix round (radix = value width)',
    preset: 'tiny',
    sets: ['topk.parallelism=1', 'topk.radixBits=8', 'topk.capacity=16'],
    count: 80,
  },
  {
    // A one-lane pass ends before its pick settles: the final pick then starts from PICK.
    name: 'one lane, 8 elements, 32-bit unsigned values (short final passes)',
    preset: 'tiny',
    sets: ['topk.parallelism=1', 'topk.capacity=8', 'topk.valueBits=32', 'topk.signed=false'],
    count: 60,
  },
  { name: 'fpga preset', preset: 'fpga', sets: ['topk.capacity=256'], count: 25 },
];

/** The edge cases of the issue, on a capacity of `capacity` elements. */
function edgeRequests(capacity: number, seed: number): TopkRequest[] {
  const rng = new Rng(seed);
  const shape = { valueBits: 8, signed: true };
  const uniform = (n: number) => randomValues(rng, n, shape, 'uniform');
  return [
    { values: [42], n: 1, k: 1 },
    { values: [42], n: 1, k: 0 },
    { values: [-7], n: 1, k: 5 },
    { values: uniform(capacity), n: capacity, k: capacity },
    { values: uniform(capacity), n: capacity, k: 1 },
    { values: uniform(capacity), n: capacity, k: Math.floor(capacity / 5) },
    { values: uniform(20), n: 20, k: 0 },
    { values: uniform(20), n: 20, k: 20 },
    { values: uniform(20), n: 20, k: 21 },
    { values: new Array<number>(capacity).fill(-3), n: capacity, k: 7 },
    { values: new Array<number>(33).fill(127), n: 33, k: 32 },
    {
      values: randomValues(rng, capacity, shape, 'sorted'),
      n: capacity,
      k: Math.floor(capacity / 3),
    },
    {
      values: randomValues(rng, capacity, shape, 'reversed'),
      n: capacity,
      k: Math.floor(capacity / 3),
    },
    { values: randomValues(rng, capacity, shape, 'few'), n: capacity, k: Math.floor(capacity / 2) },
    { values: uniform(capacity + 9), n: capacity + 9, k: 3 },
    { values: [], n: 0, k: 0 },
    { values: [], n: 0, k: 4 },
  ];
}

describe.each(simulators)('topk RTL on %s', (simulator) => {
  it.each(shapes)(
    'matches the golden model under random stalls: $name',
    async ({ preset, sets, count }) => {
      const resolved = configWith(preset, sets);
      const shape = topkShape(resolved.config);
      for (const [seed, stall] of [
        [1, 0.5],
        [2, 0.2],
      ] as const) {
        console.log(`topk ${simulator} ${preset} ${sets.join(' ')}: seed ${seed}, stall ${stall}`);
        const rng = new Rng(seed);
        const plan = topkPlan(
          resolved.config,
          Array.from({ length: count }, () => randomRequest(rng, shape)),
        );
        const { failures, result } = await checkPlan(resolved, plan, { simulator, seed, stall });
        expect(failures, `seed ${seed}`).toEqual([]);
        expect(result.outputs.out?.length).toBe(plan.expected.out?.length);
      }
    },
  );

  it('handles the edge cases (n = 1, n = capacity, k = 0, k = n, k > n, equal, sorted, reversed, n > capacity)', async () => {
    const resolved = configWith('tiny', []);
    const plan = topkPlan(resolved.config, edgeRequests(resolved.config.topk.capacity, 3));
    for (const stall of [0, 0.6]) {
      const { failures } = await checkPlan(resolved, plan, { simulator, seed: 3, stall });
      expect(failures, `stall ${stall}`).toEqual([]);
    }
  });

  it('reports the clamp: the error flag is set on every beat of a clamped request only', async () => {
    const resolved = configWith('tiny', []);
    const plan = topkPlan(resolved.config, [
      {
        values: randomValues(new Rng(8), 70, { valueBits: 8, signed: true }, 'uniform'),
        n: 70,
        k: 9,
      },
      { values: [1, 2, 3], n: 3, k: 2 },
    ]);
    const { failures, result } = await checkPlan(resolved, plan, {
      simulator,
      seed: 8,
      stall: 0.3,
    });
    expect(failures).toEqual([]);
    expect(result.outputs.out?.map((record) => record.beat.fields.error)).toEqual([1n, 1n, 1n, 0n]);
  });
});
