/**
 * Bit-exact golden model of pv_array, with a float64 reference. Per output element d:
 *   product_t = prob_t × value_t[d]      exact, s(Wp+Wv).(Fp+Fv) (prob unsigned uWp.Fp, value sWv.Fv)
 *   acc = Σ_t product_t over the request  exact, s(Wp+Wv+clog2(maxTokens)).(Fp+Fv), cannot wrap for
 *                                         requests of at most model.maxTokens rows
 *   out[d] = saturate(round_half_even(acc to outFrac fraction bits)), sOutBits.outFrac
 * Values are the raw integers of their formats.
 */
import { deriveDatapath } from '../../generator/config/derive-datapath';
import type { Config } from '../../generator/config/schema';
import { requantize } from './round-saturate';

export interface PvRow {
  /** Raw uProbBits.probFrac probability. */
  prob: bigint;
  /** D raw sValueBits.valueFrac elements. */
  value: bigint[];
}

/** The D raw sOutBits.outFrac elements of the attention output of one request. */
export function pvOutput(config: Config, rows: readonly PvRow[]): bigint[] {
  const { pv } = deriveDatapath(config);
  return Array.from({ length: config.model.headDim }, (_, d) =>
    requantize(
      rows.reduce((sum, row) => sum + row.prob * (row.value[d] ?? 0n), 0n),
      pv.shift,
      config.datapath.outBits,
    ),
  );
}

/** Real-valued Σ_t prob_t × value_t, unrounded and unsaturated. */
export function pvOutputFloat(config: Config, rows: readonly PvRow[]): number[] {
  const dp = config.datapath;
  return Array.from({ length: config.model.headDim }, (_, d) =>
    rows.reduce(
      (sum, row) =>
        sum +
        (Number(row.prob) / 2 ** dp.probFrac) * (Number(row.value[d] ?? 0n) / 2 ** dp.valueFrac),
      0,
    ),
  );
}
