/** Derived widths and counts of the top-k engine (quick_select + topk), from the `topk` section. */
import { clog2, countWidth } from './derive';
import type { Config } from './schema';

export interface TopkDerived {
  /** Width of an element index 0..capacity-1. */
  indexBits: number;
  /** Width of an element count 0..capacity. */
  countBits: number;
  /** Width of a lane count 0..parallelism. */
  laneCountBits: number;
  /** Width of an output-beat element count 0..outLanes. */
  outCountBits: number;
  /** Words of each candidate buffer: capacity / parallelism. */
  words: number;
  /** Bits of one buffered element: {index, value}. */
  elementBits: number;
  /** Selection rounds: valueBits / radixBits digits, resolved most significant first. */
  digits: number;
  /** Histogram bins per round: 2^radixBits. */
  bins: number;
}

export function deriveTopk(config: Config): TopkDerived {
  const t = config.topk;
  const indexBits = clog2(t.capacity);
  return {
    indexBits,
    countBits: countWidth(t.capacity),
    laneCountBits: countWidth(t.parallelism),
    outCountBits: countWidth(t.outLanes),
    words: t.capacity / t.parallelism,
    elementBits: indexBits + t.valueBits,
    digits: t.valueBits / t.radixBits,
    bins: 2 ** t.radixBits,
  };
}
