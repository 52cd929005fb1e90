/**
 * Row shapes that stress the softmax arithmetic, for `spatten bench softmax` and the golden
 * accuracy test. Long tails are rows of few distinct scores (one or two dominant, the rest at one
 * depth below), given as runs so every tail depth can be tried at n = capacity; the others are
 * plain rows.
 *   long-tail     one score at the format's maximum, n - 1 at depth delta below it, every delta on
 *                 the score grid down to past the clip of the exponential (sampled evenly if many)
 *   two-dominant  two at the maximum, n - 2 at depth delta, the same deltas
 *   equal         every row length 1..capacity, all scores equal
 *   uniform       uniform random logits in [-8, 8), n = capacity and random lengths
 *   extremes      each score the format's minimum or maximum, and rows all at one extreme
 *   attention     attention-like rows (N(0, 1) with a few peaks near +6), n = capacity and random
 *                 lengths
 */
import { deriveSoftmax } from '../../generator/config/derive-softmax';
import type { Config } from '../../generator/config/schema';
import type { ScoreRun } from '../golden/softmax';
import type { Rng } from './random';
import { randomRow } from './targets/softmax';

export const SOFTMAX_SHAPES = [
  'long-tail',
  'two-dominant',
  'equal',
  'uniform',
  'extremes',
  'attention',
] as const;
export type SoftmaxShape = (typeof SOFTMAX_SHAPES)[number];

/** Most tail depths tried per shape; finer score grids are sampled evenly. */
const MAX_DEPTHS = 8192;

/** Tail depths in score LSBs: 1 up to just past the clip (where every tail exponential is 0). */
export function tailDepths(config: Config): number[] {
  const { scoreBits, scoreFrac } = config.softmax;
  const clip = (deriveSoftmax(config).shiftCap + 2) * Math.LN2 * 2 ** scoreFrac;
  const deepest = Math.min(2 ** scoreBits - 1, Math.ceil(clip));
  const step = Math.max(1, Math.ceil(deepest / MAX_DEPTHS));
  const depths: number[] = [];
  for (let depth = 1; depth <= deepest; depth += step) depths.push(depth);
  return depths;
}

/** A row of `n` scores: `dominant` at the format's maximum, the rest `depth` LSBs below. */
export function tailRow(config: Config, n: number, dominant: number, depth: number): ScoreRun[] {
  const top = 2n ** BigInt(config.softmax.scoreBits - 1) - 1n;
  return [
    { score: top, count: dominant },
    { score: top - BigInt(depth), count: n - dominant },
  ];
}

/** One labelled set of rows of a shape: runs (few distinct scores) or plain rows. */
export interface ShapeRows {
  shape: SoftmaxShape;
  /** Row length(s), for the report. */
  n: string;
  runs: ScoreRun[][];
}

const asRuns = (row: readonly bigint[]): ScoreRun[] => row.map((score) => ({ score, count: 1 }));

/** The rows of a shape for this config; `trials` random rows per random set. */
export function shapeRows(
  config: Config,
  shape: SoftmaxShape,
  rng: Rng,
  trials: number,
): ShapeRows[] {
  const { capacity } = config.softmax;
  const rows = (n: string, count: number, row: () => bigint[]): ShapeRows => ({
    shape,
    n,
    runs: Array.from({ length: count }, () => asRuns(row())),
  });
  const random = (kind: 'uniform' | 'attention' | 'extremes'): ShapeRows[] => [
    rows(String(capacity), trials, () => randomRow(config, rng, capacity, kind)),
    rows(`1..${capacity}`, trials, () => randomRow(config, rng, rng.int(1, capacity), kind)),
  ];
  const tails = (dominant: number): ShapeRows[] => [
    {
      shape,
      n: String(capacity),
      runs: tailDepths(config).map((depth) => tailRow(config, capacity, dominant, depth)),
    },
  ];
  switch (shape) {
    case 'long-tail':
      return tails(1);
    case 'two-dominant':
      return tails(2);
    case 'equal': {
      const score = (): bigint => randomRow(config, rng, 1, 'uniform')[0] ?? 0n;
      const runs = Array.from({ length: capacity }, (_, i) => [{ score: score(), count: i + 1 }]);
      return [{ shape, n: `1..${capacity}`, runs }];
    }
    case 'extremes': {
      const ends = ['most-negative', 'most-positive'] as const;
      const oneEnd = ends.map((kind) => asRuns(randomRow(config, rng, capacity, kind)));
      return [...random('extremes'), { shape, n: `${capacity}, all one`, runs: oneEnd }];
    }
    case 'uniform':
    case 'attention':
      return random(shape);
  }
}
