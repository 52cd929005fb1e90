/**
 * Structured synthetic attention for threshold calibration and the early-termination benchmark
 * (issues 17 and 18). Each query's keys are built so their scores q·k / sqrt(D) follow a chosen
 * profile, the shape trained attention has: a few dominant tokens well above the rest (scores
 * `dominantLow` to `dominantHigh`), then a power-law tail (the token of tail rank r scores
 * -alpha·ln(r + 1), so its softmax weight falls as (r + 1)^-alpha), plus noise. The ranks are
 * shuffled over the token positions. Queries, keys and values have elements of about unit size
 * and are quantized to the config's formats; values are noise. Seeded, so every run is the same.
 */
import type { Config } from '../../generator/config/schema';
import { quantize } from '../workloads/quantize';
import type { Rng } from './random';

export interface AttentionCase {
  /** Raw sQueryBits.queryFrac elements. */
  query: bigint[];
  /** Raw sKeyBits.keyFrac key rows and sValueBits.valueFrac value rows, one per token. */
  keys: bigint[][];
  values: bigint[][];
}

export interface StructureOptions {
  tokens: number;
  /** Dominant tokens per query. */
  dominant: number;
}

/** The profile's constants: dominant scores, the tail's exponent, the noise on every score. */
export const PROFILE = { dominantLow: 4, dominantHigh: 8, alpha: 1, noise: 0.5 } as const;

/** A standard normal sample (Box-Muller). */
export function normal(rng: Rng): number {
  const u = (rng.int(1, 1_000_000) - 0.5) / 1_000_000;
  const v = rng.int(0, 999_999) / 1_000_000;
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Token positions in a random order (Fisher-Yates). */
function shuffled(rng: Rng, n: number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i -= 1) {
    const j = rng.int(0, i);
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  return order;
}

export function structuredAttention(
  config: Config,
  rng: Rng,
  options: StructureOptions,
): AttentionCase {
  const dp = config.datapath;
  const D = config.model.headDim;
  const { dominantLow, dominantHigh, alpha, noise } = PROFILE;
  const q = Array.from({ length: D }, () => normal(rng));
  const norm2 = q.reduce((s, x) => s + x * x, 0);
  const query = q.map((x) => quantize(x, dp.queryBits, dp.queryFrac));
  const target = new Array<number>(options.tokens).fill(0);
  shuffled(rng, options.tokens).forEach((token, rank) => {
    target[token] =
      rank < options.dominant
        ? dominantLow + ((dominantHigh - dominantLow) * rng.int(0, 1000)) / 1000
        : -alpha * Math.log(rank - options.dominant + 1);
  });
  // k = c·q + n with c = score·sqrt(D) / |q|^2 gives q·k / sqrt(D) = score + q·n / sqrt(D); the
  // noise n has elements of size `noise`, so q·n / sqrt(D) is about noise × |q| / sqrt(D).
  const keys = target.map((score) => {
    const c = (score * Math.sqrt(D)) / norm2;
    return q.map((x) => quantize(c * x + noise * normal(rng), dp.keyBits, dp.keyFrac));
  });
  const values = target.map(() =>
    Array.from({ length: D }, () => quantize(normal(rng), dp.valueBits, dp.valueFrac)),
  );
  return { query, keys, values };
}

/** `count` cases of the same structure, drawn one after another from `rng`. */
export function structuredCases(
  config: Config,
  rng: Rng,
  count: number,
  options: StructureOptions,
): AttentionCase[] {
  return Array.from({ length: count }, () => structuredAttention(config, rng, options));
}
