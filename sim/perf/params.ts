/** The performance model's figures, read from the config sections of the units they describe. */
import type { Config } from '../../generator/config/schema';
import { deriveAttentionCore } from '../../generator/config/derive-attention-core';
import { deriveFetcher } from '../../generator/config/derive-fetcher';
import { deriveSoftmax } from '../../generator/config/derive-softmax';
import type { PerfParams } from './model';

export function perfParams(config: Config): PerfParams {
  const { units } = deriveAttentionCore(config);
  const coreSoftmax = deriveSoftmax(units);
  const { busBytes } = deriveFetcher(config);
  return {
    headDim: config.model.headDim,
    // The fetcher takes at most one beat per channel per cycle: a DRAM faster than its ports is
    // limited by them (fetcher.channels x bus bytes).
    peakBytesPerCycle: Math.min(config.memory.bytesPerCycle, config.fetcher.channels * busBytes),
    busBytes,
    dramLatency: config.memory.latency,
    // The arrays as the core builds them (one row per beat: D multipliers each), not the
    // standalone arrays' datapath.multipliers: the model times the design the RTL is.
    multipliers: units.datapath.multipliers,
    boundMultipliers: config.datapath.multipliers,
    softmaxLanes: config.softmax.lanes,
    // The softmax contract: the first probability beat leaves QuotientWidth + the pipeline overhead
    // cycles after the EXP pass (the core's softmax instance, whose number formats come from the datapath).
    softmaxLatency: coreSoftmax.quotientBits + coreSoftmax.rowOverhead,
    // The core's and the top's top-k engines take softmax.lanes values per beat (deriveAttentionCore).
    topkParallelism: config.softmax.lanes,
    topkOverhead: config.perfModel.topkOverhead,
    keyPipelineOverhead: config.perfModel.keyPipelineOverhead,
    maxInFlight: config.perfModel.requestsInFlight,
    fullPrecisionBits: config.datapath.keyBits,
    pvRequestOverhead: config.datapath.pvAccumulator === 'fabric' ? 1 : 0,
  };
}
