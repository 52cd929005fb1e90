/**
 * prescore against its golden model on both simulators under stalls, at shapes covering one bit
 * read (the sign alone), the preset's four, every bit of the key (an exact threshold test), and
 * D 16 with a reset that is asynchronous and active high; thresholds sit at a key's pre-score
 * bound half of the time, where one step decides pass or fail. And its schedule with no stall:
 * every key is taken at the cycle preScoreKeyCycles gives (bench sprint counts cycles with it).
 */
import { describe, expect, it } from 'vitest';
import { preScoreKeyCycles } from '../../sim/golden/prescore';
import { checkPlan } from '../../sim/harness/check';
import { Rng } from '../../sim/harness/random';
import {
  prescorePlan,
  randomPreScoreRequest,
  randomPreScoreRequests,
} from '../../sim/harness/targets/prescore';
import { configWith } from '../support/config';
import { availableSimulators } from '../support/simulators';

const simulators = availableSimulators();

const shapes: { name: string; sets: string[] }[] = [
  { name: 'tiny: D 8, 4 of 8 key bits', sets: [] },
  { name: 'the sign bit alone', sets: ['datapath.prescoreBits=1'] },
  { name: 'every key bit (P = B = 8)', sets: ['datapath.prescoreBits=8'] },
  {
    name: 'D 16, 3 of 12 key bits, 10-bit queries, async active-high reset',
    sets: [
      'model.headDim=16',
      'datapath.queryBits=10',
      'datapath.keyBits=12',
      'fetcher.msbBits=8',
      'datapath.prescoreBits=3',
      'reset.style=async',
      'reset.activeLow=false',
    ],
  },
];

describe.each(simulators)('prescore RTL on %s', (simulator) => {
  // Icarus at two shapes (the preset, and D 16 with the other reset), Verilator at all four.
  it.each(
    simulator === 'verilator' ? shapes : [shapes[0], shapes[3]].filter((s) => s !== undefined),
  )(
    'matches the golden model under stalls: $name',
    async ({ sets }) => {
      const resolved = configWith('tiny', sets);
      for (const [seed, stall] of [
        [1, 0.6],
        [2, 0],
      ] as const) {
        const rng = new Rng(seed);
        const requests = randomPreScoreRequests(resolved.config, rng, 20);
        const plan = prescorePlan(resolved.config, requests);
        const { failures } = await checkPlan(resolved, plan, { simulator, seed, stall });
        expect(failures, `seed ${seed}, stall ${stall}`).toEqual([]);
      }
    },
    300_000,
  );
});

describe.runIf(simulators.length > 0)('prescore timing', () => {
  it('takes every key at the cycle of its schedule, fill hidden from 17 keys on', async () => {
    const resolved = configWith('tiny');
    const rng = new Rng(5);
    // Lengths on both sides of 17: the fill shows below it and hides from it on.
    const requests = [1, 16, 17, 18, 40, 3, 30, 48].map((n) =>
      randomPreScoreRequest(resolved.config, rng, n),
    );
    const plan = prescorePlan(resolved.config, requests);
    const { failures, result } = await checkPlan(resolved, plan, {
      simulator: simulators.includes('verilator') ? 'verilator' : (simulators[0] ?? 'icarus'),
      seed: 5,
      stall: 0,
    });
    expect(failures).toEqual([]);
    const start = result.inputAccepted.query?.[0] ?? 0;
    const lengths = requests.map((r) => r.keys.length);
    expect((result.inputAccepted.key ?? []).map((c) => c - start)).toEqual(
      preScoreKeyCycles(lengths),
    );
  }, 300_000);
});
