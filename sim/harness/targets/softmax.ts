/**
 * Simulation target `softmax`, and the score rows the tests and `spatten bench softmax` draw: uniform
 * logits, attention-like rows, all-equal rows, one-hot rows and rows at the extremes of the format.
 */
import { softmaxModule } from '../../../generator/modules/softmax';
import type { Config } from '../../../generator/config/schema';
import { softmaxRow } from '../../golden/softmax';
import type { Rng } from '../random';
import { type StreamBeat, packLanes } from '../vectors';
import type { SimPlan, SimTarget } from './types';

export const ROW_KINDS = [
  'uniform',
  'attention',
  'equal',
  'one-hot',
  'long-tail',
  'extremes',
  'most-negative',
  'most-positive',
] as const;
export type RowKind = (typeof ROW_KINDS)[number];

/** Standard normal by Box-Muller from the seeded generator. */
function normal(rng: Rng): number {
  const u = rng.int(1, 1_000_000) / 1_000_001;
  const v = rng.int(0, 1_000_000) / 1_000_001;
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/**
 * n sWs.Fs scores of one kind. Real-valued logits are rounded half up to the format and saturated:
 * uniform in [-8, 8) (a typical logit range, e^16 between extremes); attention: N(0, 1) with 1..4
 * peaks near +6; equal: one random value; one-hot: one random position at the format's maximum, the
 * rest N(0, 1); long-tail: one random position at the format's maximum, the rest at one random
 * depth 0..24 below it (where the tail's exponentials round); extremes: each score the most
 * negative or most positive value; most-negative and most-positive: every score at that extreme.
 */
export function randomRow(config: Config, rng: Rng, n: number, kind: RowKind): bigint[] {
  const { scoreBits, scoreFrac } = config.softmax;
  const min = -(2n ** BigInt(scoreBits - 1));
  const max = 2n ** BigInt(scoreBits - 1) - 1n;
  const quantize = (real: number) => {
    const value = BigInt(Math.floor(real * 2 ** scoreFrac + 0.5));
    return value < min ? min : value > max ? max : value;
  };
  const uniform = () => quantize(rng.int(-(2 ** 20), 2 ** 20 - 1) / 2 ** 17);
  switch (kind) {
    case 'uniform':
      return Array.from({ length: n }, uniform);
    case 'attention': {
      const peaks = new Set(Array.from({ length: rng.int(1, 4) }, () => rng.int(0, n - 1)));
      return Array.from({ length: n }, (_, i) => quantize((peaks.has(i) ? 6 : 0) + normal(rng)));
    }
    case 'equal':
      return new Array<bigint>(n).fill(uniform());
    case 'one-hot': {
      const hot = rng.int(0, n - 1);
      return Array.from({ length: n }, (_, i) => (i === hot ? max : quantize(normal(rng))));
    }
    case 'long-tail': {
      const hot = rng.int(0, n - 1);
      const tail = quantize(Number(max) / 2 ** scoreFrac - (rng.int(0, 2 ** 20) / 2 ** 20) * 24);
      return Array.from({ length: n }, (_, i) => (i === hot ? max : tail));
    }
    case 'extremes':
      return Array.from({ length: n }, () => (rng.chance(0.5) ? min : max));
    case 'most-negative':
      return new Array<bigint>(n).fill(min);
    case 'most-positive':
      return new Array<bigint>(n).fill(max);
  }
}

/**
 * Rows of 1..3 beats and longer, every kind, the ends of the length range (one score, exactly the
 * capacity, one past it) and a few further past the capacity (cut and flagged).
 */
export function randomRows(config: Config, rng: Rng, count: number): bigint[][] {
  const { lanes, capacity } = config.softmax;
  return Array.from({ length: count }, () => {
    const short = () => rng.int(1, 3 * lanes);
    const any = () => rng.int(1, capacity);
    const past = () => capacity + rng.int(1, 2 * lanes);
    const n = rng.pick([1, capacity, capacity + 1, short(), short(), any(), any(), past()]);
    return randomRow(config, rng, n, rng.pick(ROW_KINDS));
  });
}

/** Input beats of the rows and the golden output; `rng` fills unused lanes and counts with garbage. */
export function softmaxPlan(config: Config, rows: readonly bigint[][], rng: Rng): SimPlan {
  const { lanes, scoreBits, probBits } = config.softmax;
  const countBits = Math.max(1, Math.ceil(Math.log2(lanes + 1)));
  const inBeats: StreamBeat[] = [];
  const outBeats: StreamBeat[] = [];
  for (const row of rows) {
    for (let start = 0; start < row.length; start += lanes) {
      const scores = row.slice(start, start + lanes);
      const last = start + lanes >= row.length;
      const garbage = Array.from({ length: lanes - scores.length }, () => rng.bits(scoreBits));
      inBeats.push({
        fields: {
          score: packLanes([...scores, ...garbage], scoreBits),
          count: last ? BigInt(scores.length) : rng.bits(countBits),
        },
        last,
      });
    }
    const result = softmaxRow(config, row);
    for (let start = 0; start < result.probs.length; start += lanes) {
      const probs = result.probs.slice(start, start + lanes);
      outBeats.push({
        fields: {
          prob: packLanes(probs, probBits),
          count: BigInt(probs.length),
          max: result.max,
          sum: result.sum,
          overflow: result.overflow ? 1n : 0n,
        },
        last: start + lanes >= result.probs.length,
      });
    }
  }
  return { top: softmaxModule(config), inputs: { in: inBeats }, expected: { out: outBeats } };
}

export const softmaxTarget: SimTarget = {
  description:
    'softmax: rows of every kind (uniform, attention, equal, one-hot, extremes), some past capacity',
  plan(resolved, rng, count) {
    return softmaxPlan(resolved.config, randomRows(resolved.config, rng, count), rng);
  },
};
