/**
 * Bit-exact softmax of one row, exactly as `templates/softmax.v.hbs` computes it, and the float64
 * reference it is measured against.
 *
 * Formats (E = expFrac, A = tableBits, L = E + 4, G = guardBits, Fs = scoreFrac, Fp = probFrac,
 * K = sumFrac = E + clog2(capacity)):
 *   score x            sWs.Fs (input)
 *   d = x - max        s(Ws+1).Fs, exact (d <= 0)
 *   t = d × LOG2E      s(Ws+L+3).(Fs+L), exact product; LOG2E = round-half-up(log2(e) × 2^L), u(L+1).L
 *   t = -s + f         s = -floor(t) >= 0 (integer), f in [0, 1) (the low Fs+L bits of t)
 *   2^f                f truncated to 2A bits: hi = top A bits, lo = next A bits;
 *                      mant = round-half-up(HI[hi] × LO[lo] / 2^E), u(E+2).E in [1, 2] (the rounded
 *                      tables can give 2.0, only for f > 0, so then s >= 1);
 *                      HI[a] = 2^(a/2^A), LO[b] = 2^((b+1/2)/2^2A) (the step midpoint centres the
 *                      truncation error), both round-half-up to u(E+1).E
 *   e = 2^t            round-half-up(mant / 2^min(s, K+2)), u(E+1).E in [0, expZero],
 *                      expZero = exp(0) (no overflow: mant <= 2 and s >= 1 when mant = 2;
 *                      shifts beyond E+1 give 0): the normalize pass's term
 *   e~ = 2^t           round-half-up(mant × 2^(K-E) / 2^min(s, K+2)), u(K+1).K: the sum's term,
 *                      the same exponential with clog2(capacity) more fraction bits, so the
 *                      n <= capacity roundings of a row add up to at most 2^-(E+1) (shifts beyond
 *                      K+1 give 0)
 *   sum S              sum of e~ over the row, u(K+1+clog2(capacity)).K, exact (no overflow:
 *                      n <= capacity)
 *   reciprocal Q       floor(2^(K+QW-1) / S_int), QW = Fp+G+1 bits, truncated (S >= 1 so
 *                      Q <= 2^(QW-1))
 *   probability p      round-half-up(e_int × Q / 2^(E+G)), saturated to uWp.Fp (only 1.0 with Wp = Fp)
 * The floor of the reciprocal biases p down by less than 2^-G LSB (G = guardBits); with round-half-up
 * at the end, equal scores never get more than 1/n. The error against exact softmax is at most
 * softmaxErrorBoundLsb (generator/config/softmax-accuracy.ts), <= 2 LSB for every legal config.
 *
 * Contract: rows of 1..capacity scores give one probability per score, in input order; longer rows are
 * cut to their first `capacity` scores and flagged `overflow` (the rest are ignored). Equal scores get
 * equal probabilities. `max` is the probability of the row's largest score (the largest probability),
 * `sum` the row's sum of exponentials S (the softmax denominator, relative to the row max).
 */
import { type SoftmaxDerived, deriveSoftmax } from '../../generator/config/derive-softmax';
import type { Config } from '../../generator/config/schema';

/** The section and its derived constants, computed once per row (the tables are not free to build). */
export interface SoftmaxUnit {
  s: Config['softmax'];
  k: SoftmaxDerived;
}

export function softmaxUnit(config: Config): SoftmaxUnit {
  return { s: config.softmax, k: deriveSoftmax(config) };
}

export interface SoftmaxResult {
  /** uWp.Fp probabilities, one per kept score. */
  probs: bigint[];
  /** Probability of the largest score. */
  max: bigint;
  /** Sum of exponentials, u(SumWidth).SumFrac as the RTL's sum port. */
  sum: bigint;
  /** The row had more than `capacity` scores; only the first `capacity` were used. */
  overflow: boolean;
}

/** 2^t for d = x - max <= 0 (sWs+1.Fs): the table mantissa u(E+1).E and the clipped right shift. */
function exponential({ s, k }: SoftmaxUnit, d: bigint): { mant: number; shift: number } {
  const A = s.tableBits;
  const fracBits = BigInt(s.scoreFrac + k.log2eFrac);
  const t = d * BigInt(k.log2e);
  const whole = t >> fracBits; // floor (BigInt >> is arithmetic)
  const f = t - (whole << fracBits);
  const hi = Number(f >> (fracBits - BigInt(A)));
  const lo = Number((f >> (fracBits - BigInt(2 * A))) & BigInt(2 ** A - 1));
  const product = (k.hiTable[hi] ?? 0) * (k.loTable[lo] ?? 0); // < 2^(2E+2) <= 2^50: exact in a number
  const mant = Math.floor((product + 2 ** (s.expFrac - 1)) / 2 ** s.expFrac);
  return { mant, shift: Math.min(Number(-whole), k.shiftCap) };
}

/** round-half-up(value / 2^shift), value < 2^52. */
function roundShift(value: number, shift: number): number {
  const twice = Math.floor((2 * value) / 2 ** shift); // one bit below the result: the rounding bit
  return Math.floor(twice / 2) + (twice % 2);
}

/** The normalize pass's exponential exp(d), u(E+1).E. */
export function expFixed(unit: SoftmaxUnit, d: bigint): number {
  const { mant, shift } = exponential(unit, d);
  return roundShift(mant, shift);
}

/** The sum's term exp(d), u(sumFrac+1).sumFrac: the same exponential, sumGuard bits finer. */
export function sumTermFixed(unit: SoftmaxUnit, d: bigint): number {
  const { mant, shift } = exponential(unit, d);
  return roundShift(mant * 2 ** unit.k.sumGuard, shift); // < 2^(E+1+16) <= 2^41: exact in a number
}

/** Reciprocal of the sum, Q = floor(2^(K+QW-1) / sum), as the serial divider computes it. */
export function reciprocal({ k }: SoftmaxUnit, sum: bigint): bigint {
  return (1n << BigInt(k.sumFrac + k.quotientBits - 1)) / sum;
}

/** p = round-half-up(e × Q / 2^(E+G)), saturated to probBits. */
export function normalize({ s, k }: SoftmaxUnit, e: number, q: bigint): bigint {
  const shift = BigInt(k.normShift);
  const p = (BigInt(e) * q + (1n << (shift - 1n))) >> shift;
  const top = (1n << BigInt(s.probBits)) - 1n;
  return p > top ? top : p;
}

/** `count` copies of one score: a row of few distinct scores costs one exponential per run. */
export interface ScoreRun {
  score: bigint;
  count: number;
}

/**
 * Softmax of a row given as runs of equal scores, at most `capacity` scores in all: one probability
 * per run.
 */
export function softmaxRuns(
  config: Config,
  runs: readonly ScoreRun[],
): Omit<SoftmaxResult, 'overflow'> {
  const unit = softmaxUnit(config);
  if (runs.length === 0) throw new Error('softmax row must hold at least one score');
  const n = runs.reduce((total, run) => total + run.count, 0);
  if (n > unit.s.capacity) {
    throw new Error(`softmax runs hold ${n} scores, more than the capacity ${unit.s.capacity}`);
  }
  // biome-ignore lint/complexity/useMathMinMax: the scores are bigints, which Math.max rejects.
  const top = runs.reduce((a, run) => (run.score > a ? run.score : a), runs[0]?.score ?? 0n);
  // The sum reaches 2^57 at the widest formats: bigint.
  const term = (run: ScoreRun) => BigInt(run.count) * BigInt(sumTermFixed(unit, run.score - top));
  const sum = runs.reduce((total, run) => total + term(run), 0n);
  const q = reciprocal(unit, sum);
  return {
    probs: runs.map((run) => normalize(unit, expFixed(unit, run.score - top), q)),
    max: normalize(unit, unit.k.expZero, q),
    sum,
  };
}

/** Softmax of one row of sWs.Fs scores (as signed bigints); at least one score. */
export function softmaxRow(config: Config, scores: readonly bigint[]): SoftmaxResult {
  const kept = scores.slice(0, config.softmax.capacity);
  const result = softmaxRuns(
    config,
    kept.map((score) => ({ score, count: 1 })),
  );
  return { ...result, overflow: scores.length > kept.length };
}

/**
 * float64 softmax of real-valued scores (the reference the fixed-point result is measured against);
 * `counts` repeats each score (default once).
 */
export function softmaxFloat(values: readonly number[], counts?: readonly number[]): number[] {
  const top = Math.max(...values);
  const weights = values.map((v) => Math.exp(v - top));
  const total = weights.reduce((a, w, i) => a + w * (counts?.[i] ?? 1), 0);
  return weights.map((w) => w / total);
}

/** Error against float64 softmax of the same (real-valued) scores, in probability LSBs. */
export interface RowError {
  /** Largest |p - p_float| of the row. */
  maxAbsErrLsb: number;
  /** Sum of |p - p_float| over every probability of the row. */
  sumAbsErrLsb: number;
  /** |sum of the row's p - 1.0|. */
  sumErrLsb: number;
}

/** Error of a row given as runs of equal scores (see softmaxRuns). */
export function runsError(config: Config, runs: readonly ScoreRun[]): RowError {
  const s = config.softmax;
  const lsb = 2 ** s.probFrac;
  const counts = runs.map((run) => run.count);
  const exact = softmaxFloat(
    runs.map((run) => Number(run.score) / 2 ** s.scoreFrac),
    counts,
  );
  const { probs } = softmaxRuns(config, runs);
  let maxAbs = 0;
  let sumAbs = 0;
  let total = 0;
  probs.forEach((p, i) => {
    const err = Math.abs(Number(p) - (exact[i] ?? 0) * lsb);
    const count = counts[i] ?? 0;
    maxAbs = Math.max(maxAbs, err);
    sumAbs += count * err;
    total += count * Number(p);
  });
  return { maxAbsErrLsb: maxAbs, sumAbsErrLsb: sumAbs, sumErrLsb: Math.abs(total - lsb) };
}

/** Error of one row (its first `capacity` scores). */
export function rowError(config: Config, scores: readonly bigint[]): RowError {
  const kept = scores.slice(0, config.softmax.capacity);
  return runsError(
    config,
    kept.map((score) => ({ score, count: 1 })),
  );
}
