/**
 * How the attention core configures the units it instantiates. The units are parameterized Verilog, so
 * the core overrides their parameters to make them meet back to back, whatever the standalone sections
 * say: this is the config the core's instances (and the golden model composed like them) see.
 *
 * - Arrays: one key (value) row per beat, SliceLen = D, Slices = RowsPerBeat = 1 (D multipliers each),
 *   because the fetcher returns one whole row per beat; `datapath.multipliers` sizes the standalone arrays.
 * - Softmax: input format = qk_array score format, output format = pv_array probability format,
 *   capacity = model.maxTokens rounded up to whole beats (at least two).
 * - Top-k: ranks the unsigned probabilities, softmax.lanes per beat, the same capacity, OutLanes =
 *   softmax.lanes, radix digit = the largest divisor of the probability width up to topk.radixBits.
 * - Values: the fetcher's full plane, so s(msbBits+lsbBits).F with F = min(valueFrac, that width).
 */
import { countWidth, largestDivisorOf } from './derive';
import type { Config } from './schema';

export interface AttentionCoreDerived {
  /** Config with the sections of the units as the core instantiates them. */
  units: Config;
  /** Most tokens per request (n): model.maxTokens. */
  capacity: number;
  /** Capacity of the softmax row buffer and the top-k engine: whole softmax beats. */
  unitCapacity: number;
  /** Width of n and k on the descriptor (the RTL's LengthWidth): holds 0..unitCapacity. */
  lengthBits: number;
}

export function deriveAttentionCore(config: Config): AttentionCoreDerived {
  const { datapath: dp, softmax: s, fetcher: f, model } = config;
  const lanes = s.lanes;
  const unitCapacity = lanes * Math.max(2, Math.ceil(model.maxTokens / lanes));
  const valueBits = f.msbBits + f.lsbBits;
  const radixBits = largestDivisorOf(dp.probBits, config.topk.radixBits);
  const lengthBits = countWidth(unitCapacity);
  const units: Config = {
    ...config,
    datapath: {
      ...dp,
      multipliers: model.headDim,
      valueBits,
      valueFrac: Math.min(dp.valueFrac, valueBits),
    },
    softmax: {
      ...s,
      capacity: unitCapacity,
      scoreBits: dp.scoreBits,
      scoreFrac: dp.scoreFrac,
      probBits: dp.probBits,
      probFrac: dp.probFrac,
    },
    topk: {
      ...config.topk,
      parallelism: lanes,
      capacity: unitCapacity,
      valueBits: dp.probBits,
      signed: false,
      radixBits,
      outLanes: lanes,
      lengthBits,
    },
  };
  // The descriptor's n and k are as wide as the RTL makes them (LengthWidth, capacityWidths in
  // modules/attention-core.ts): at a unit capacity of 2^k - 1 no n can exceed it.
  return { units, capacity: model.maxTokens, unitCapacity, lengthBits };
}
