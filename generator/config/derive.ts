/**
 * Every derived width and count, computed once from a validated config. Modules, views, golden models
 * and harnesses read these instead of recomputing them.
 */
import type { Config } from './schema';
import { type TopkDerived, deriveTopk } from './derive-topk';
import { type DatapathDerived, deriveDatapath } from './derive-datapath';
import { type SoftmaxDerived, deriveSoftmax } from './derive-softmax';
import { type FetcherDerived, deriveFetcher } from './derive-fetcher';

/** Bits needed to hold values 0..n-1 (at least 1), like Verilog's $clog2 for n >= 2. */
export function clog2(n: number): number {
  let bits = 0;
  while (2 ** bits < n) bits += 1;
  return bits;
}

/** Width of a counter that must hold 0..n inclusive. */
export function countWidth(n: number): number {
  return Math.max(1, clog2(n + 1));
}

/**
 * The largest divisor of `value` that is at most `limit`: the radix digit of a top-k engine that
 * splits its value width into whole digits, no wider than the configured digit.
 */
export function largestDivisorOf(value: number, limit: number): number {
  for (let digit = Math.min(limit, value); digit > 1; digit -= 1) {
    if (value % digit === 0) return digit;
  }
  return 1;
}

export interface Derived {
  zeroEliminator: {
    /** Shift stages of the compaction network: log2(lanes). */
    stages: number;
    inBeatBits: number;
    outBeatBits: number;
    /** Width of out_count_o: holds 0..outLanes. */
    outCountBits: number;
    /** Pipeline latency of the compaction core in cycles with no stall. */
    compactLatency: number;
  };
  datapath: DatapathDerived;
  topk: TopkDerived;
  softmax: SoftmaxDerived;
  fetcher: FetcherDerived;
}

export function derive(config: Config): Derived {
  const ze = config.zeroEliminator;
  const stages = clog2(ze.lanes);
  return {
    zeroEliminator: {
      stages,
      inBeatBits: ze.lanes * ze.dataBits,
      outBeatBits: ze.outLanes * ze.dataBits,
      outCountBits: countWidth(ze.outLanes),
      compactLatency: stages + 1,
    },
    datapath: deriveDatapath(config),
    topk: deriveTopk(config),
    softmax: deriveSoftmax(config),
    fetcher: deriveFetcher(config),
  };
}
