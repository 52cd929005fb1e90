/**
 * Widths of spatten_top's cascade state and the config of its boundary top-k engine.
 *
 * - Token importance: the sum of the probabilities (raw uProbBits.probFrac, each < 2^probBits) a token
 *   gets from every head of every layer: probBits + clog2(heads × layers) bits hold it; the accumulator
 *   still saturates, so a longer step than configured cannot wrap.
 * - Head importance: the sum over layers of sum_d |out_d| (out sOutBits, |out_d| <= 2^(outBits-1)):
 *   outBits + clog2(headDim) + clog2(layers) bits, saturating likewise.
 * - The boundary top-k ranks importances as the core's top-k ranks probabilities (softmax.lanes per beat,
 *   the same capacity), with the value width of the importance and a radix digit dividing it.
 */
import { deriveAttentionCore } from './derive-attention-core';
import { clog2, largestDivisorOf } from './derive';
import type { Config } from './schema';

export interface TopDerived {
  importanceBits: number;
  headImportanceBits: number;
  /** Config of the boundary top-k engine (the topk section as the top instantiates it). */
  rank: Config;
}

const bitsFor = (n: number) => (n <= 1 ? 0 : clog2(n));

export function deriveTop(config: Config): TopDerived {
  const { datapath: dp, top, model } = config;
  const core = deriveAttentionCore(config);
  const importanceBits = dp.probBits + bitsFor(top.heads * top.layers);
  const radixBits = largestDivisorOf(importanceBits, config.topk.radixBits);
  const units = core.units;
  return {
    importanceBits,
    headImportanceBits: dp.outBits + bitsFor(model.headDim) + bitsFor(top.layers),
    rank: { ...units, topk: { ...units.topk, valueBits: importanceBits, radixBits } },
  };
}
