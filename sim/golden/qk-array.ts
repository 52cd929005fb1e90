/**
 * Bit-exact golden model of qk_array, with a float64 reference. Per key:
 *   product_i = query_i × key_i                    exact, s(Wq+Wk).(Fq+Fk)
 *   acc = Σ_i product_i over D elements             exact, s(Wq+Wk+log2 D).(Fq+Fk), cannot wrap
 *   scaled = acc × 2^-floor(log2(D)/2)              exact (the binary point moves)
 *            × INV_SQRT2 / 2^16 when log2(D) odd    exact product with the u1.16 constant 46341
 *   score = saturate(round_half_even(scaled to scoreFrac fraction bits)), sScoreBits.scoreFrac
 * Elements and scores are the raw two's complement integers of their sW.F formats.
 */
import { INV_SQRT2, deriveDatapath } from '../../generator/config/derive-datapath';
import type { Config } from '../../generator/config/schema';
import { requantize } from './round-saturate';

export interface QkKey {
  /** D raw sKeyBits.keyFrac elements. */
  elements: bigint[];
  index: number;
}

export interface QkRequest {
  /** D raw sQueryBits.queryFrac elements. */
  query: bigint[];
  keys: QkKey[];
}

export interface QkScore {
  /** Raw sScoreBits.scoreFrac score. */
  score: bigint;
  index: number;
}

/** The exact dot product, before scaling: Σ query_i × key_i at (queryFrac + keyFrac) fraction bits. */
export function dotProduct(query: readonly bigint[], key: readonly bigint[]): bigint {
  return query.reduce((sum, q, i) => sum + q * (key[i] ?? 0n), 0n);
}

export function qkScores(config: Config, request: QkRequest): QkScore[] {
  const { qk } = deriveDatapath(config);
  const factor = qk.oddLog2 ? BigInt(INV_SQRT2) : 1n;
  return request.keys.map((key) => ({
    score: requantize(
      dotProduct(request.query, key.elements) * factor,
      qk.shift,
      config.datapath.scoreBits,
    ),
    index: key.index,
  }));
}

/** Real-valued scores query · key / sqrt(D), unrounded and unsaturated. */
export function qkScoresFloat(config: Config, request: QkRequest): number[] {
  const dp = config.datapath;
  const q = request.query.map((x) => Number(x) / 2 ** dp.queryFrac);
  const scale = 1 / Math.sqrt(config.model.headDim);
  return request.keys.map(
    (key) =>
      key.elements.reduce((sum, k, i) => sum + (q[i] ?? 0) * (Number(k) / 2 ** dp.keyFrac), 0) *
      scale,
  );
}
