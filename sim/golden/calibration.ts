/**
 * Per-layer threshold calibration (`spatten calibrate`, issues 17 and 18): for each layer, a
 * threshold on the raw Q×K accumulator calibrated on cases of that layer to keep a share of the
 * softmax mass (keep-mass.ts), then checked on held-out cases of the same layer: the mass kept,
 * the tokens pruned and what the pruning mode does with the threshold. LeOPArd's bit-serial unit:
 * the bit planes processed. SPRINT's threshold mode: the keys passing the pre-score on their top
 * bits (those fetched whole), and the bytes fetched whole against dense keys and values.
 * The workload is structured synthetic attention, its layers differing in how peaked
 * they are (fewer dominant tokens in later layers, as attention sharpens with depth), or a
 * user's own queries and keys (sim/workloads/attention-arrays.ts).
 */
import type { Config } from '../../generator/config/schema';
import { Rng } from '../harness/random';
import { structuredCases } from '../harness/structured-attention';
import { HEAD_PROFILE, headCases, structuredHead } from '../harness/structured-head';
import { type ScoredCase, calibrateThreshold, caseAccs, keptMass } from './keep-mass';
import { preScorePasses } from './prescore';
import { bitserialScores } from './qk-bitserial';

/** Where the threshold is used: LeOPArd's bit-serial unit, or SPRINT's pre-score of P bits. */
export type PruningMode = { mode: 'leopard' } | { mode: 'threshold'; preScoreBits: number };

export interface StructuredOptions {
  keepMass: number;
  pruning: PruningMode;
  layers: number;
  /** Cases per layer, for the calibration and again for the check. */
  cases: number;
  tokens: number;
  seed: number;
}

export interface LayerCalibration {
  layer: number;
  /** The threshold on the raw accumulator (queryFrac + keyFrac fraction bits), as text. */
  threshold: string;
  /** The same on the score q·k / sqrt(D). */
  scoreThreshold: number;
  /** Structured workload only: dominant tokens per case of the layer. */
  dominantTokens?: number;
  /** Head workload only: the range of the tokens' strengths in the layer. */
  headStrength?: [number, number];
  /** Cases the threshold was calibrated on, and held-out cases it was checked on. */
  calibrationCases: number;
  checkCases: number;
  keptMassMin: number;
  keptMassMean: number;
  prunedShare: number;
  /** leopard: bit planes processed, as a share of all. */
  planeShare?: number;
  /** threshold: keys passing the pre-score (fetched whole), as a share of all. */
  preScoreShare?: number;
  /** threshold: bytes fetched whole (passing keys, kept values) against dense keys and values. */
  fetchedShare?: number;
}

/** Dominant tokens per case in layer `layer` of `layers`: 12 in the first, 3 in the last. */
const dominantIn = (layer: number, layers: number) =>
  Math.round(12 - (9 * layer) / Math.max(1, layers - 1));

/** One layer: a threshold calibrated on `calibration`, then checked on the held-out `check`. */
export function calibrateLayer(
  config: Config,
  layer: number,
  calibration: readonly ScoredCase[],
  check: readonly ScoredCase[],
  keepMass: number,
  pruning: PruningMode,
): LayerCalibration {
  const frac = config.datapath.queryFrac + config.datapath.keyFrac;
  const threshold = calibrateThreshold(config, calibration, keepMass);
  const masses = check.map((c) => keptMass(config, c, threshold));
  const tokens = check.reduce((n, c) => n + c.keys.length, 0);
  const kept = check.flatMap((c) => caseAccs(c).filter((a) => a >= threshold)).length;
  return {
    layer,
    threshold: threshold.toString(),
    scoreThreshold: Number(threshold) / 2 ** frac / Math.sqrt(config.model.headDim),
    calibrationCases: calibration.length,
    checkCases: check.length,
    keptMassMin: Math.min(...masses),
    keptMassMean: masses.reduce((a, b) => a + b, 0) / masses.length,
    prunedShare: 1 - kept / tokens,
    ...(pruning.mode === 'leopard'
      ? { planeShare: planeShare(config, check, threshold) }
      : preScoreFigures(config, check, threshold, pruning.preScoreBits, { kept, tokens })),
  };
}

/** The bit planes the bit-serial unit processes on the cases, as a share of all. */
function planeShare(config: Config, cases: readonly ScoredCase[], threshold: bigint): number {
  const scores = cases.flatMap((c) =>
    bitserialScores(config, {
      query: c.query,
      threshold,
      keys: c.keys.map((elements, index) => ({ elements, index })),
    }),
  );
  return scores.reduce((sum, s) => sum + s.planes, 0) / (scores.length * config.datapath.keyBits);
}

/** The keys passing the pre-score, and the bytes fetched whole against dense keys and values. */
function preScoreFigures(
  config: Config,
  cases: readonly ScoredCase[],
  threshold: bigint,
  bits: number,
  counts: { kept: number; tokens: number },
) {
  const { keyBits, valueBits } = config.datapath;
  const passing = cases.flatMap((c) =>
    c.keys.filter((k) => preScorePasses(c.query, k, threshold, keyBits, bits)),
  ).length;
  const preScoreShare = passing / counts.tokens;
  const keptShare = counts.kept / counts.tokens;
  return {
    preScoreShare,
    fetchedShare: (preScoreShare * keyBits + keptShare * valueBits) / (keyBits + valueBits),
  };
}

/** Every layer of the structured workload: fresh cases to calibrate and to check. */
export function calibrateStructured(
  config: Config,
  options: StructuredOptions,
): LayerCalibration[] {
  return Array.from({ length: options.layers }, (_, layer) => {
    const dominant = Math.min(options.tokens, dominantIn(layer, options.layers));
    const draw = (seed: number) =>
      structuredCases(config, new Rng(seed), options.cases, { tokens: options.tokens, dominant });
    const calibration = draw(options.seed + 2 * layer);
    const check = draw(options.seed + 2 * layer + 1);
    return {
      ...calibrateLayer(config, layer, calibration, check, options.keepMass, options.pruning),
      dominantTokens: dominant,
    };
  });
}

/** The head workload's strengths in layer `layer` of `layers`: 4 more in the last than the first. */
function strengthIn(layer: number, layers: number): [number, number] {
  const [low, high] = HEAD_PROFILE.strength;
  const more = (4 * layer) / Math.max(1, layers - 1);
  return [low + more, high + more];
}

/**
 * Every layer of the head workload (sim/harness/structured-head.ts): per layer a head of `tokens`
 * queries over `tokens` tokens to calibrate on, and another to check, sharper in later layers.
 */
export function calibrateHeads(
  config: Config,
  options: Omit<StructuredOptions, 'cases'>,
): LayerCalibration[] {
  return Array.from({ length: options.layers }, (_, layer) => {
    const strength = strengthIn(layer, options.layers);
    const head = { ...HEAD_PROFILE, tokens: options.tokens, queries: options.tokens, strength };
    const draw = (seed: number) => headCases(structuredHead(config, new Rng(seed), head));
    const calibration = draw(options.seed + 2 * layer);
    const check = draw(options.seed + 2 * layer + 1);
    return {
      ...calibrateLayer(config, layer, calibration, check, options.keepMass, options.pruning),
      headStrength: strength,
    };
  });
}

/** Every layer of a user's cases: the first half of each layer's calibrates, the rest checks. */
export function calibrateCases(
  config: Config,
  layers: readonly (readonly ScoredCase[])[],
  keepMass: number,
  pruning: PruningMode,
): LayerCalibration[] {
  return layers.map((cases, layer) => {
    const half = Math.ceil(cases.length / 2);
    const [calibration, check] = [cases.slice(0, half), cases.slice(half)];
    return calibrateLayer(config, layer, calibration, check, keepMass, pruning);
  });
}
