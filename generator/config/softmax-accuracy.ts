/**
 * Worst-case error of the softmax unit against exact softmax, in LSBs of the probability (2^-Fp),
 * from its number formats, and the two format rules that keep it within ACCURACY_TARGET_LSB at
 * every row shape up to the capacity. The arithmetic is the one in sim/golden/softmax.ts.
 *
 * Exact: x_i = exp(d_i), d_i = score_i - max <= 0, S = sum x_i >= 1 (the max term is 1),
 * p_i = x_i / S.
 * Unit: y_i = mant_i / 2^s_i = x_i (1 + a_i), the exponential before its final rounding, with
 *   |a_i| <= mu + nu_i. mu from the tables: the exponent fraction truncated to 2A bits with the LO
 *   table at the step midpoint (at most 2^-(2A+1) off in the exponent), HI, LO and their product
 *   each rounded half-up to E bits on values >= 1. nu_i from LOG2E rounded to L = E + 4 bits:
 *   |d_i| 2^-(L+1) off in the exponent.
 *   Sum terms: y_i rounded half-up to sumFrac = E + clog2(capacity) bits, so the n <= capacity
 *   roundings of a row add up to R <= 2^-(E+1). Normalize-pass terms e_i: y_i rounded half-up to
 *   E bits (error r_i). The sum S~ >= 1 (the max term is exactly mant(0) >= 1).
 *   e_i / S~ - p_i = p_i ((1 + a_i) / (1 + a_mean + R / S) - 1) + r_i / S~, a_mean = sum p_j a_j:
 *     |e_i / S~ - p_i| <= (2 mu + p_i nu_i + nu_mean + 2^-(E+1)) / (1 - mu - nu_mean - 2^-(E+1))
 *                         + 2^-(E+1),
 *   with p_i nu_i <= ln2 2^-(L+1) / e (p_i <= exp(d_i)) and nu_mean = sum p_j nu_j
 *   <= ln2 2^-(L+1) ln(n) (sum p_j |d_j| = H(p) - ln S <= ln n).
 *   The truncated reciprocal Q adds at most e_i 2^-G <= (1 + mu) 2^-G LSB, the final round-half-up
 *   of p half an LSB. Saturating 1.0 (ProbWidth = ProbFrac) moves p toward the exact value or by at
 *   most 1 LSB. p and its exact value both lie in [0, 1]: the error is also at most 2^Fp LSB.
 */
import { clog2 } from './derive';

/** The promise: every probability within this many LSBs of exact softmax. */
export const ACCURACY_TARGET_LSB = 2;

export interface SoftmaxFormats {
  probBits: number;
  probFrac: number;
  expFrac: number;
  tableBits: number;
  guardBits: number;
  capacity: number;
}

/** The worst-case error bound derived above, in LSBs. */
export function softmaxErrorBoundLsb(f: SoftmaxFormats): number {
  const E = f.expFrac;
  const half = 2 ** -(E + 1);
  const log2eFrac = E + 4;
  const mu = 2 ** (2 ** -(2 * f.tableBits + 1)) * (1 + half) ** 3 - 1;
  const nuStep = Math.LN2 * 2 ** -(log2eFrac + 1);
  const nuOwn = nuStep / Math.E;
  const nuMean = nuStep * Math.log(2 ** clog2(f.capacity));
  const beforeQ = (2 * mu + nuOwn + nuMean + half) / (1 - mu - nuMean - half) + half;
  const bound = 2 ** f.probFrac * beforeQ + (1 + mu) * 2 ** -f.guardBits + 0.5;
  const saturated = f.probBits === f.probFrac ? Math.max(bound, 1) : bound;
  return Math.min(saturated, 2 ** f.probFrac);
}

/** Smallest expFrac the target allows for Fp probability fraction bits. */
export const minExpFrac = (probFrac: number) => probFrac + 3;
/** Smallest tableBits the target allows: the tables resolve 2 x tableBits > Fp exponent bits. */
export const minTableBits = (probFrac: number) => Math.ceil((probFrac + 1) / 2);

/** Ranges of the internal precision fields (softmax.expFrac, softmax.tableBits). */
export const MAX_EXP_FRAC = 24;
export const MAX_TABLE_BITS = 10;
/** Finest probability format the target allows within those ranges (both rules above). */
export const MAX_PROB_FRAC = Math.min(MAX_EXP_FRAC - 3, 2 * MAX_TABLE_BITS - 1);
