/**
 * Per-layer threshold calibration (`spatten calibrate`, issue 18; issue 17's threshold mode will
 * share it): for each layer, a threshold on the raw Q×K accumulator calibrated on cases of that
 * layer to keep a share of the softmax mass (keep-mass.ts), then checked on held-out cases of the
 * same layer: the mass kept, the tokens pruned and, for LeOPArd's bit-serial unit, the bit planes
 * processed. The workload is structured synthetic attention, its layers differing in how peaked
 * they are (fewer dominant tokens in later layers, as attention sharpens with depth), or a
 * user's own queries and keys (sim/workloads/attention-arrays.ts).
 */
import type { Config } from '../../generator/config/schema';
import { Rng } from '../harness/random';
import { structuredAttention } from '../harness/structured-attention';
import { type ScoredCase, calibrateThreshold, caseAccs, keptMass } from './keep-mass';
import { bitserialScores } from './qk-bitserial';

export interface StructuredOptions {
  keepMass: number;
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
  /** Cases the threshold was calibrated on, and held-out cases it was checked on. */
  calibrationCases: number;
  checkCases: number;
  keptMassMin: number;
  keptMassMean: number;
  prunedShare: number;
  planeShare: number;
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
): LayerCalibration {
  const frac = config.datapath.queryFrac + config.datapath.keyFrac;
  const threshold = calibrateThreshold(config, calibration, keepMass);
  const masses = check.map((c) => keptMass(config, c, threshold));
  const scores = check.flatMap((c) =>
    bitserialScores(config, {
      query: c.query,
      threshold,
      keys: c.keys.map((elements, index) => ({ elements, index })),
    }),
  );
  const kept = check.flatMap((c) => caseAccs(c).filter((a) => a >= threshold)).length;
  return {
    layer,
    threshold: threshold.toString(),
    scoreThreshold: Number(threshold) / 2 ** frac / Math.sqrt(config.model.headDim),
    calibrationCases: calibration.length,
    checkCases: check.length,
    keptMassMin: Math.min(...masses),
    keptMassMean: masses.reduce((a, b) => a + b, 0) / masses.length,
    prunedShare: 1 - kept / scores.length,
    planeShare:
      scores.reduce((sum, s) => sum + s.planes, 0) / (scores.length * config.datapath.keyBits),
  };
}

/** Every layer of the structured workload: fresh cases to calibrate and to check. */
export function calibrateStructured(
  config: Config,
  options: StructuredOptions,
): LayerCalibration[] {
  return Array.from({ length: options.layers }, (_, layer) => {
    const dominant = Math.min(options.tokens, dominantIn(layer, options.layers));
    const draw = (seed: number) => {
      const rng = new Rng(seed);
      return Array.from({ length: options.cases }, () =>
        structuredAttention(config, rng, { tokens: options.tokens, dominant }),
      );
    };
    const calibration = draw(options.seed + 2 * layer);
    const check = draw(options.seed + 2 * layer + 1);
    return {
      ...calibrateLayer(config, layer, calibration, check, options.keepMass),
      dominantTokens: dominant,
    };
  });
}

/** Every layer of a user's cases: the first half of each layer's calibrates, the rest checks. */
export function calibrateCases(
  config: Config,
  layers: readonly (readonly ScoredCase[])[],
  keepMass: number,
): LayerCalibration[] {
  return layers.map((cases, layer) => {
    const half = Math.ceil(cases.length / 2);
    return calibrateLayer(config, layer, cases.slice(0, half), cases.slice(half), keepMass);
  });
}
