/**
 * Per-layer threshold calibration (`spatten calibrate`, issue 18; issue 17's threshold mode will
 * share it): for each layer, a threshold on the raw Q×K accumulator calibrated on cases of that
 * layer to keep a share of the softmax mass (keep-mass.ts), then checked on held-out cases of the
 * same layer: the mass kept, the tokens pruned and, for LeOPArd's bit-serial unit, the bit planes
 * processed. The workload is structured synthetic attention; its layers differ in how peaked
 * they are (fewer dominant tokens in later layers, as attention sharpens with depth).
 */
import type { Config } from '../../generator/config/schema';
import { Rng } from '../harness/random';
import { structuredAttention } from '../harness/structured-attention';
import { calibrateThreshold, caseAccs, keptMass } from './keep-mass';
import { bitserialScores } from './qk-bitserial';

export interface CalibrationOptions {
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
  dominantTokens: number;
  keptMassMin: number;
  keptMassMean: number;
  prunedShare: number;
  planeShare: number;
}

/** Dominant tokens per case in layer `layer` of `layers`: 12 in the first, 3 in the last. */
const dominantIn = (layer: number, layers: number) =>
  Math.round(12 - (9 * layer) / Math.max(1, layers - 1));

export function calibrateLayers(config: Config, options: CalibrationOptions): LayerCalibration[] {
  const frac = config.datapath.queryFrac + config.datapath.keyFrac;
  const keyBits = config.datapath.keyBits;
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
    const threshold = calibrateThreshold(config, calibration, options.keepMass);
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
      dominantTokens: dominant,
      keptMassMin: Math.min(...masses),
      keptMassMean: masses.reduce((a, b) => a + b, 0) / masses.length,
      prunedShare: 1 - kept / scores.length,
      planeShare: scores.reduce((sum, s) => sum + s.planes, 0) / (scores.length * keyBits),
    };
  });
}
