/**
 * `spatten bench softmax`: numeric error of the softmax unit per row shape (see
 * sim/harness/softmax-shapes.ts: long tails at n = capacity over every tail depth, all equal, two
 * dominant, uniform random, extremes, attention-like). Each row goes through the bit-exact golden
 * model (the RTL's arithmetic, proven equal to it by test/rtl/softmax.test.ts) and through float64
 * softmax of the same scores; errors are in units of the probability LSB (2^-probFrac). It measures
 * the unit as the attention core builds it (the datapath's formats, capacity = model.maxTokens in
 * whole beats) and, where that differs, as the softmax section alone configures it.
 *   maxAbsErrLsb   largest |p - p_float| over every probability of every row (the target: <= 2)
 *   meanAbsErrLsb  mean |p - p_float| over every probability
 *   maxSumErrLsb   largest |sum of a row's p - 1.0|
 *   boundLsb       the proven worst case of the formats (generator/config/softmax-accuracy.ts)
 */
import { deriveAttentionCore } from '../generator/config/derive-attention-core';
import type { Config } from '../generator/config/schema';
import { softmaxErrorBoundLsb } from '../generator/config/softmax-accuracy';
import { runsError } from '../sim/golden/softmax';
import { Rng } from '../sim/harness/random';
import { SOFTMAX_SHAPES, shapeRows } from '../sim/harness/softmax-shapes';
import type { Benchmark } from './index';

/** The softmax units of a config: the core's instance and, if it differs, the section's own. */
export function softmaxUnits(config: Config): { unit: string; config: Config }[] {
  const core = deriveAttentionCore(config).units;
  const units = [{ unit: 'attention_core', config: core }];
  const same = JSON.stringify(core.softmax) === JSON.stringify(config.softmax);
  return same ? units : [...units, { unit: 'softmax', config }];
}

export const softmaxBenchmark: Benchmark = {
  description: 'softmax error against float64 (LSBs of the probability), per row shape',
  async run({ resolved, trials = 20, seed, log }) {
    const results: Record<string, unknown>[] = [];
    for (const { unit, config } of softmaxUnits(resolved.config)) {
      const boundLsb = softmaxErrorBoundLsb(config.softmax);
      for (const shape of SOFTMAX_SHAPES) {
        const rng = new Rng(seed);
        for (const set of shapeRows(config, shape, rng, trials)) {
          log(`softmax bench: ${unit}, ${shape}, n ${set.n}, ${set.runs.length} rows`);
          let maxAbs = 0;
          let sumAbs = 0;
          let maxSum = 0;
          let probabilities = 0;
          for (const runs of set.runs) {
            const error = runsError(config, runs);
            maxAbs = Math.max(maxAbs, error.maxAbsErrLsb);
            sumAbs += error.sumAbsErrLsb;
            maxSum = Math.max(maxSum, error.sumErrLsb);
            probabilities += runs.reduce((total, run) => total + run.count, 0);
          }
          results.push({
            preset: resolved.preset,
            unit,
            shape,
            n: set.n,
            rows: set.runs.length,
            maxAbsErrLsb: maxAbs,
            meanAbsErrLsb: sumAbs / probabilities,
            maxSumErrLsb: maxSum,
            boundLsb,
          });
        }
      }
    }
    return { module: 'softmax', results };
  },
};
