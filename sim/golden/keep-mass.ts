/**
 * Threshold pruning measured by the softmax mass it keeps (issues 17 and 18): a threshold T on the
 * raw Q×K accumulator keeps the tokens with q·k >= T. The mass is the float softmax of the exact
 * scores q·k / sqrt(D); calibration picks, for a set of cases standing for one layer, the largest T
 * under which every case keeps at least the given share (LeOPArd learns its thresholds in
 * training; this stands in for that on calibration data).
 */
import type { Config } from '../../generator/config/schema';
import type { AttentionCase } from '../harness/structured-attention';
import { dotProduct } from './qk-array';

/** What the mass and the thresholds need of a case: its query and keys (no values). */
export type ScoredCase = Pick<AttentionCase, 'query' | 'keys'>;

/** The exact dot products of a case's keys with its query (raw accumulator values). */
export const caseAccs = (c: ScoredCase) => c.keys.map((k) => dotProduct(c.query, k));

/** Softmax of the real scores acc / 2^(queryFrac + keyFrac) / sqrt(D). */
export function softmaxOfAccs(config: Config, accs: readonly bigint[]): number[] {
  const f = 2 ** (config.datapath.queryFrac + config.datapath.keyFrac);
  const scores = accs.map((a) => Number(a) / f / Math.sqrt(config.model.headDim));
  const top = Math.max(...scores);
  const e = scores.map((s) => Math.exp(s - top));
  const total = e.reduce((sum, x) => sum + x, 0);
  return e.map((x) => x / total);
}

/** The share of the softmax mass on the tokens a threshold keeps. */
export function keptMass(config: Config, c: ScoredCase, threshold: bigint): number {
  const accs = caseAccs(c);
  const p = softmaxOfAccs(config, accs);
  return accs.reduce((sum, a, i) => (a >= threshold ? sum + (p[i] ?? 0) : sum), 0);
}

/** The largest threshold keeping at least `keepMass` of one case's mass. */
export function caseThreshold(config: Config, c: ScoredCase, keepMass: number): bigint {
  const accs = caseAccs(c);
  const p = softmaxOfAccs(config, accs);
  const order = accs.map((a, i) => ({ a, p: p[i] ?? 0 })).sort((x, y) => (x.a > y.a ? -1 : 1));
  let mass = 0;
  for (const { a, p: share } of order) {
    mass += share;
    if (mass >= keepMass) return a;
  }
  return order.at(-1)?.a ?? 0n;
}

/** One threshold for cases of a layer: the smallest of theirs, so every case keeps the mass. */
export function calibrateThreshold(
  config: Config,
  cases: readonly ScoredCase[],
  keepMass: number,
): bigint {
  return (
    cases.reduce(
      (low, c) => {
        const t = caseThreshold(config, c, keepMass);
        return low === undefined || t < low ? t : low;
      },
      undefined as bigint | undefined,
    ) ?? 0n
  );
}

/** The attention output over a kept set against the dense float output. */
export interface OutputError {
  /** Relative L2 error. */
  relative: number;
  /** Largest and mean absolute error of an output element, in output LSB (2^-outFrac). */
  maxLsb: number;
  meanLsb: number;
}

/**
 * The attention output when the softmax runs over the kept tokens only (pruned ones count as
 * minus infinity), against the dense float output.
 */
export function keptOutputError(
  config: Config,
  c: AttentionCase,
  keptIdx: readonly number[],
): OutputError {
  const accs = caseAccs(c);
  const dense = softmaxOfAccs(config, accs);
  const kept = softmaxOfAccs(
    config,
    keptIdx.map((i) => accs[i] ?? 0n),
  );
  const { headDim: D } = config.model;
  const { valueFrac, outFrac } = config.datapath;
  const out = (weights: readonly number[], rows: readonly number[]) =>
    Array.from({ length: D }, (_, d) =>
      rows.reduce((sum, t, j) => sum + (weights[j] ?? 0) * Number(c.values[t]?.[d] ?? 0n), 0),
    );
  const want = out(
    dense,
    accs.map((_, i) => i),
  );
  const got = out(kept, keptIdx);
  const errors = want.map((x, d) => Math.abs(x - (got[d] ?? 0)));
  const norm = Math.sqrt(want.reduce((s, x) => s + x * x, 0));
  const diff = Math.sqrt(errors.reduce((s, e) => s + e * e, 0));
  const lsb = 2 ** (outFrac - valueFrac);
  return {
    relative: norm === 0 ? diff : diff / norm,
    maxLsb: Math.max(...errors) * lsb,
    meanLsb: (errors.reduce((s, e) => s + e, 0) / errors.length) * lsb,
  };
}

/** Relative L2 output error of threshold pruning (keptOutputError of the tokens reaching it). */
export function prunedOutputError(config: Config, c: AttentionCase, threshold: bigint): number {
  const keptIdx = caseAccs(c).flatMap((a, i) => (a >= threshold ? [i] : []));
  return keptOutputError(config, c, keptIdx).relative;
}
