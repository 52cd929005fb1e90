/**
 * Top-k requests for tests, `spatten sim topk` and `spatten bench topk`: value distributions (uniform,
 * attention-like, equal, sorted, reversed, few distinct) and random n, k including the edge cases.
 */
import type { TopkRequest, TopkShape } from '../../golden/topk';
import type { Rng } from '../random';

export const DISTRIBUTIONS = [
  'uniform',
  'attention',
  'equal',
  'sorted',
  'reversed',
  'few',
] as const;
export type Distribution = (typeof DISTRIBUTIONS)[number];

type ValueShape = Pick<TopkShape, 'valueBits' | 'signed'>;

export function valueRange(shape: ValueShape): { min: number; max: number } {
  return shape.signed
    ? { min: -(2 ** (shape.valueBits - 1)), max: 2 ** (shape.valueBits - 1) - 1 }
    : { min: 0, max: 2 ** shape.valueBits - 1 };
}

/** Standard normal by Box-Muller from the seeded generator. */
function normal(rng: Rng): number {
  const u = rng.int(1, 1_000_000) / 1_000_001;
  const v = rng.int(0, 1_000_000) / 1_000_001;
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/**
 * Softmax of a peaked row (1..4 logits around 6, the rest around 0), quantized to the non-negative
 * value range with round-half-up: a few large probabilities and a long tail of small, often equal ones.
 */
function attentionRow(rng: Rng, n: number, shape: ValueShape): number[] {
  const peaks = new Set(
    Array.from({ length: rng.int(1, 4) }, () => rng.int(0, Math.max(0, n - 1))),
  );
  const logits = Array.from({ length: n }, (_, i) =>
    peaks.has(i) ? 6 + normal(rng) : normal(rng),
  );
  const top = Math.max(...logits);
  const weights = logits.map((l) => Math.exp(l - top));
  const sum = weights.reduce((a, b) => a + b, 0);
  const { max } = valueRange(shape);
  return weights.map((w) => Math.floor((w / sum) * max + 0.5));
}

export function randomValues(
  rng: Rng,
  n: number,
  shape: ValueShape,
  distribution: Distribution,
): number[] {
  const { min, max } = valueRange(shape);
  const uniform = () => rng.int(min, max);
  switch (distribution) {
    case 'uniform':
      return Array.from({ length: n }, uniform);
    case 'attention':
      return attentionRow(rng, n, shape);
    case 'equal': {
      const value = uniform();
      return new Array<number>(n).fill(value);
    }
    case 'sorted':
      return Array.from({ length: n }, uniform).sort((a, b) => a - b);
    case 'reversed':
      return Array.from({ length: n }, uniform).sort((a, b) => b - a);
    case 'few': {
      const choices = [min, max, 0, uniform()];
      return Array.from({ length: n }, () => rng.pick(choices));
    }
  }
}

/** A random request: n mostly within capacity (sometimes 0, 1, capacity or above), k around and beyond n. */
export function randomRequest(rng: Rng, shape: TopkShape & { lengthBits: number }): TopkRequest {
  const lengthMax = 2 ** shape.lengthBits - 1;
  const n = rng.pick([
    0,
    1,
    shape.capacity,
    Math.min(lengthMax, shape.capacity + rng.int(1, shape.parallelism * 2)),
    rng.int(1, shape.capacity),
    rng.int(1, shape.capacity),
  ]);
  const k = rng.pick([0, 1, n, n + 1, lengthMax, rng.int(0, n), rng.int(0, n), Math.ceil(n / 5)]);
  return {
    values: randomValues(rng, n, shape, rng.pick(DISTRIBUTIONS)),
    n,
    k: Math.min(k, lengthMax),
  };
}
