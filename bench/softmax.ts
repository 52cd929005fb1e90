/**
 * `spatten bench softmax`: numeric error of the softmax unit. Each row goes through the bit-exact golden
 * model (the RTL's arithmetic, proven equal to it by test/rtl/softmax.test.ts) and through float64
 * softmax of the same scores; errors are in units of the probability LSB (2^-probFrac).
 *   maxAbsErrLsb   largest |p - p_float| over every probability of every row
 *   meanAbsErrLsb  mean |p - p_float| over every probability
 *   maxSumErrLsb   largest |sum of a row's p - 1.0| (the target is n/2)
 */
import { rowError } from '../sim/golden/softmax';
import { Rng } from '../sim/harness/random';
import { type RowKind, randomRow } from '../sim/harness/targets/softmax';
import type { Benchmark } from './index';

const SIZES = [1, 16, 100, 256, 1000, 1024];
const DISTRIBUTIONS: RowKind[] = ['uniform', 'attention', 'equal', 'one-hot'];

export const softmaxBenchmark: Benchmark = {
  description: 'softmax error against float64 (LSBs of the probability), per distribution and row length',
  async run({ resolved, trials = 100, seed, log }) {
    const config = resolved.config;
    const sizes = SIZES.filter((n) => n <= config.softmax.capacity);
    const results: Record<string, unknown>[] = [];
    for (const distribution of DISTRIBUTIONS) {
      const rng = new Rng(seed);
      log(`softmax bench: ${distribution}, ${sizes.length} sizes x ${trials} rows`);
      for (const n of sizes) {
        let maxAbs = 0;
        let sumAbs = 0;
        let maxSum = 0;
        for (let row = 0; row < trials; row += 1) {
          const error = rowError(config, randomRow(config, rng, n, distribution));
          maxAbs = Math.max(maxAbs, error.maxAbsErrLsb);
          sumAbs += error.sumAbsErrLsb;
          maxSum = Math.max(maxSum, error.sumErrLsb);
        }
        results.push({ distribution, n, rows: trials, maxAbsErrLsb: maxAbs, meanAbsErrLsb: sumAbs / (n * trials), maxSumErrLsb: maxSum });
      }
    }
    return { module: 'softmax', results };
  },
};
