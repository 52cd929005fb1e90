/**
 * Structured synthetic attention for threshold calibration and the early-termination benchmark
 * (issues 17 and 18): real attention puts most of its mass on a few tokens, so each query has a
 * handful of dominant keys (the query's direction plus noise, at a random strength) among
 * background keys of noise, and the softmax over q·k / sqrt(D) is peaked as in trained models.
 * Values are noise. Elements are quantized to the config's query, key and value formats.
 */
import type { Config } from '../../generator/config/schema';
import type { Rng } from './random';

export interface AttentionCase {
  /** Raw sQueryBits.queryFrac elements. */
  query: bigint[];
  /** Raw sKeyBits.keyFrac key rows and sValueBits.valueFrac value rows, one per token. */
  keys: bigint[][];
  values: bigint[][];
}

/** A standard normal sample (Box-Muller). */
function normal(rng: Rng): number {
  const u = (rng.int(1, 1_000_000) - 0.5) / 1_000_000;
  const v = rng.int(0, 999_999) / 1_000_000;
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** A real value in the signed format with `bits` bits and `frac` fraction bits, saturated. */
function quantize(x: number, bits: number, frac: number): bigint {
  const limit = 2 ** (bits - 1);
  return BigInt(Math.max(-limit, Math.min(limit - 1, Math.round(x * 2 ** frac))));
}

export interface StructureOptions {
  tokens: number;
  /** Dominant keys per query. */
  dominant: number;
}

export function structuredAttention(
  config: Config,
  rng: Rng,
  options: StructureOptions,
): AttentionCase {
  const dp = config.datapath;
  const D = config.model.headDim;
  // Unit-variance elements scaled to use about a quarter of each format's range.
  const scale = (bits: number, frac: number) => 2 ** (bits - 1 - frac) / 4;
  const qScale = scale(dp.queryBits, dp.queryFrac);
  const kScale = scale(dp.keyBits, dp.keyFrac);
  const direction = Array.from({ length: D }, () => normal(rng));
  const query = direction.map((x) => quantize(x * qScale, dp.queryBits, dp.queryFrac));
  const dominant = new Set<number>();
  while (dominant.size < Math.min(options.dominant, options.tokens))
    dominant.add(rng.int(0, options.tokens - 1));
  const keys = Array.from({ length: options.tokens }, (_, t) => {
    const strength = dominant.has(t) ? 0.5 + rng.int(0, 1000) / 1000 : 0;
    return direction.map((x) =>
      quantize((strength * x + normal(rng) * (1 - strength / 2)) * kScale, dp.keyBits, dp.keyFrac),
    );
  });
  const vScale = scale(dp.valueBits, dp.valueFrac);
  const values = Array.from({ length: options.tokens }, () =>
    Array.from({ length: D }, () => quantize(normal(rng) * vScale, dp.valueBits, dp.valueFrac)),
  );
  return { query, keys, values };
}
