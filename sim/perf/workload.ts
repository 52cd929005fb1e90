/** Trace rows -> the hardware work of each request (what the performance model and the RTL replay run). */
import type { TraceRow } from '../workloads/trace';
import type { RequestWork } from './model';

/** `fullPrecisionBits` stands for the trace's -1 (no quantization): the datapath's own element width. */
export function requestWork(row: TraceRow, fullPrecisionBits: number): RequestWork {
  return {
    layer: row.layer,
    keys: row.keysKept,
    keyMsbBits: row.keyBits ?? fullPrecisionBits,
    keyLsbBits: row.requant ? (row.requantExtraBits ?? 0) : 0,
    values: row.valuesKept,
    valueBits: row.valueBits ?? fullPrecisionBits,
    tokenTopk: row.tokenTopk ? row.topk : null,
  };
}

/** The same request with no pruning and no quantization: every token's key and value at full precision. */
export function denseWork(row: TraceRow, fullPrecisionBits: number): RequestWork {
  return {
    layer: row.layer,
    keys: row.contextLength,
    keyMsbBits: fullPrecisionBits,
    keyLsbBits: 0,
    values: row.contextLength,
    valueBits: fullPrecisionBits,
    tokenTopk: null,
  };
}
