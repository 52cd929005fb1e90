import { describe, expect, it } from 'vitest';
import { deriveSoftmax } from '../../generator/config/derive-softmax';
import type { Config } from '../../generator/config/schema';
import { type ScoreRun, runsError } from '../../sim/golden/softmax';
import { checkPlan } from '../../sim/harness/check';
import { Rng } from '../../sim/harness/random';
import { tailDepths, tailRow } from '../../sim/harness/softmax-shapes';
import { randomRow, randomRows, softmaxPlan } from '../../sim/harness/targets/softmax';
import { configWith } from '../support/config';
import { availableSimulators } from '../support/simulators';

const simulators = availableSimulators();

/**
 * Lanes 1, 4, 8; a saturating u7.7, a padded u16.7 and the exact-fit u8.7 output; scores with no integer
 * bit; a capacity of 5 words (not a power of two); both reset styles. Verilator runs the first two.
 */
const shapes: { name: string; sets: string[] }[] = [
  { name: 'tiny: 4 lanes, s12.4 -> u8.7', sets: [] },
  {
    name: '1 lane, u7.7 (1.0 saturates), async active-high reset',
    sets: [
      'softmax.lanes=1',
      'softmax.capacity=16',
      'softmax.probBits=7',
      'reset.style=async',
      'reset.activeLow=false',
    ],
  },
  {
    name: '8 lanes, 5 words, s12.12 -> u16.7',
    sets: ['softmax.lanes=8', 'softmax.capacity=40', 'softmax.scoreFrac=12', 'softmax.probBits=16'],
  },
  {
    name: 'fpga formats: 8 lanes, s16.8 -> u12.11, 8-bit tables',
    sets: [
      'softmax.lanes=8',
      'softmax.capacity=128',
      'softmax.scoreBits=16',
      'softmax.scoreFrac=8',
      'softmax.probBits=12',
      'softmax.probFrac=11',
      'softmax.expFrac=16',
      'softmax.tableBits=8',
    ],
  },
];

/** Runs of equal scores as a row. */
function expand(runs: readonly ScoreRun[]): bigint[] {
  return runs.flatMap((run) => new Array<bigint>(run.count).fill(run.score));
}

/** The long-tail row at n = capacity (dominant scores + one tail depth) with the largest error. */
function worstTail(config: Config, dominant: number): ScoreRun[] {
  const rows = tailDepths(config).map((depth) =>
    tailRow(config, config.softmax.capacity, dominant, depth),
  );
  const errors = rows.map((runs) => runsError(config, runs).maxAbsErrLsb);
  return rows[errors.indexOf(Math.max(...errors))] ?? [];
}

/** Edge cases first (n = 1, a full beat, one over, exactly the capacity, past it; equal, dominant, extremes), then random rows. */
function rows(config: Config, rng: Rng): bigint[][] {
  const { lanes, capacity } = config.softmax;
  return [
    randomRow(config, rng, 1, 'uniform'),
    randomRow(config, rng, lanes, 'equal'),
    randomRow(config, rng, lanes + 1, 'one-hot'),
    randomRow(config, rng, 5, 'most-negative'),
    randomRow(config, rng, 6, 'most-positive'),
    randomRow(config, rng, 9, 'extremes'),
    randomRow(config, rng, capacity, 'attention'),
    randomRow(config, rng, capacity, 'long-tail'),
    expand(worstTail(config, 2)),
    randomRow(config, rng, capacity + lanes + 1, 'uniform'),
    randomRow(config, rng, 1, 'most-negative'),
    ...randomRows(config, rng, 16),
  ];
}

describe.each(simulators)('softmax RTL on %s', (simulator) => {
  it.each(simulator === 'verilator' ? shapes.slice(0, 2) : shapes)(
    'matches the golden model on edge cases and random rows under stalls: $name',
    async ({ sets }) => {
      const resolved = configWith('tiny', sets);
      for (const [seed, stall] of [
        [1, 0.5],
        [2, 0.2],
        [3, 0],
      ] as const) {
        const rng = new Rng(seed);
        const plan = softmaxPlan(resolved.config, rows(resolved.config, rng), rng);
        const { failures } = await checkPlan(resolved, plan, { simulator, seed, stall });
        expect(failures, `seed ${seed}, stall ${stall}`).toEqual([]);
      }
    },
  );
});

describe.runIf(simulators.includes('verilator'))('softmax RTL at preset fpga on verilator', () => {
  it('matches the golden model on the worst long tails at n = capacity (2048)', async () => {
    const resolved = configWith('fpga');
    const { config } = resolved;
    const rng = new Rng(4);
    const rows = [
      expand(worstTail(config, 1)),
      expand(worstTail(config, 2)),
      randomRow(config, rng, config.softmax.capacity, 'long-tail'),
    ];
    const plan = softmaxPlan(config, rows, rng);
    const { failures } = await checkPlan(resolved, plan, {
      simulator: 'verilator',
      seed: 4,
      stall: 0.2,
    });
    expect(failures).toEqual([]);
  });
});

describe.runIf(simulators.length > 0)('softmax timing', () => {
  it('takes a beat per cycle, loads the next row while processing, answers 2 x beats + QuotientWidth + the pipeline overhead after the last beat', async () => {
    const resolved = configWith('tiny');
    const { lanes, probFrac, guardBits } = resolved.config.softmax;
    const rng = new Rng(5);
    const n = 60;
    const plan = softmaxPlan(
      resolved.config,
      [
        randomRow(resolved.config, rng, n, 'attention'),
        randomRow(resolved.config, rng, n, 'uniform'),
      ],
      rng,
    );
    const { failures, result } = await checkPlan(resolved, plan, {
      simulator: simulators[0] ?? 'icarus',
      seed: 5,
      stall: 0,
    });
    expect(failures).toEqual([]);
    const beats = Math.ceil(n / lanes);
    const accepted = result.inputAccepted.in ?? [];
    const outCycles = (result.outputs.out ?? []).map((record) => record.cycle);
    // Input beats of a row are taken on consecutive cycles; the second row follows after one handover cycle,
    // before the first row's probabilities have left.
    expect((accepted[beats - 1] ?? 0) - (accepted[0] ?? 0)).toBe(beats - 1);
    expect((accepted[beats] ?? 0) - (accepted[beats - 1] ?? 0)).toBe(2);
    expect(accepted[2 * beats - 1] ?? 0).toBeLessThan(outCycles[0] ?? 0);
    // From the last input beat to the last output beat: handover, EXP pass, division, NORM pass, pipeline fill.
    const latency = (outCycles[beats - 1] ?? 0) - (accepted[beats - 1] ?? 0);
    // The overhead: read issue to the row sum, read issue to the output register, one handover cycle.
    expect(latency).toBe(
      2 * beats + probFrac + guardBits + 1 + deriveSoftmax(resolved.config).rowOverhead,
    );
  });
});
