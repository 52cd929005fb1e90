/**
 * Energy estimate of a replay: activity counts per request (what the hardware does: DRAM bits per
 * plane, multiply-accumulates, softmax elements, top-k element passes, on-chip SRAM bits per
 * buffer) times the energy per event of the `technology` section, plus a per-cycle term for clock,
 * control and leakage. The counts follow the RTL's structure (one key or value row per beat, D
 * multiply-accumulates per row; a refetch rescores and re-normalizes every key; every probability
 * passes the core's value top-k and every importance the boundary's token top-k once per radix
 * digit), so they are a function of the request's executed work and the config: `spatten replay
 * --mode rtl` takes the work and the DRAM bytes from the RTL's results, `--mode model` from the
 * trace. See docs/energy.md for every event's formula.
 */
import type { Config } from '../../generator/config/schema';
import { countWidth } from '../../generator/config/derive';
import { deriveAttentionCore } from '../../generator/config/derive-attention-core';
import { deriveTop } from '../../generator/config/derive-top';
import { deriveFetcher } from '../../generator/config/derive-fetcher';
import { type RequestWork, requestBytes } from './model';

/** The on-chip buffers the estimate charges, each with its size (the generated memory's). */
export const BUFFERS = ['keys', 'scores', 'probs', 'cascade'] as const;
export type SramBuffer = (typeof BUFFERS)[number];

export interface Activity {
  dramBytes: { keyMsb: number; keyLsb: number; value: number };
  qkMacs: number;
  pvMacs: number;
  softmaxElements: number;
  topkElementPasses: number;
  /** Bits read plus bits written, per buffer. */
  sramBits: Record<SramBuffer, number>;
  cycles: number;
}

export const COMPONENTS = ['dram', 'qk', 'pv', 'softmax', 'topk', 'sram', 'control'] as const;
export type Component = (typeof COMPONENTS)[number];
/** Picojoules per component. */
export type Energy = Record<Component, number>;

/** The widths and sizes of the design the events are priced at. */
export interface EnergyShape {
  headDim: number;
  busBytes: number;
  qkMultiply: [number, number];
  qkAccumulateBits: number;
  pvMultiply: [number, number];
  pvAccumulateBits: number;
  scoreBits: number;
  probBits: number;
  /** Radix digits the value top-k (probabilities) and the token top-k (importances) scan. */
  probDigits: number;
  importanceDigits: number;
  keyRowBits: number;
  cascadeBits: number;
  /** Bytes of each buffer's memory. */
  bufferBytes: Record<SramBuffer, number>;
}

export function energyShape(config: Config): EnergyShape {
  const { units, capacity, unitCapacity } = deriveAttentionCore(config);
  const dp = units.datapath;
  const top = deriveTop(config);
  const D = config.model.headDim;
  const keyRowBits = D * config.fetcher.msbBits;
  const cascadeBits = countWidth(capacity - 1) + top.importanceBits;
  return {
    headDim: D,
    busBytes: deriveFetcher(config).busBytes,
    qkMultiply: [dp.queryBits, dp.keyBits],
    qkAccumulateBits: dp.queryBits + dp.keyBits + countWidth(D),
    pvMultiply: [dp.probBits, dp.valueBits],
    pvAccumulateBits: dp.probBits + dp.valueBits + countWidth(unitCapacity),
    scoreBits: dp.scoreBits,
    probBits: dp.probBits,
    probDigits: dp.probBits / units.topk.radixBits,
    importanceDigits: top.importanceBits / top.rank.topk.radixBits,
    keyRowBits,
    cascadeBits,
    bufferBytes: {
      keys: (capacity * keyRowBits) / 8,
      // The softmax's two banks of scores and the core's three banks of probabilities.
      scores: (2 * unitCapacity * dp.scoreBits) / 8,
      probs: (3 * unitCapacity * dp.probBits) / 8,
      cascade: (capacity * cascadeBits) / 8,
    },
  };
}

/**
 * What one request does; `boundary`: the layer's token top-k runs after it (over its n tokens).
 * DRAM bytes are the fetcher's (whole beats per row), as the model counts them (requestBytes).
 */
export function requestActivity(
  work: RequestWork,
  shape: EnergyShape,
  boundary: boolean,
): Activity {
  const n = work.keys;
  const v = work.values;
  const refetch = work.keyLsbBits > 0 ? 1 : 0;
  // A refetch rescores every key and runs the softmax again on the exact scores.
  const passes = 1 + refetch;
  const tokenTopk = boundary ? n * shape.importanceDigits : 0;
  return {
    dramBytes: requestBytes(work, shape),
    qkMacs: passes * n * shape.headDim,
    pvMacs: v * shape.headDim,
    softmaxElements: passes * n,
    topkElementPasses: n * shape.probDigits + tokenTopk,
    sramBits: {
      // MSB rows written as they arrive, read back to merge with the LSBs of a refetch.
      keys: (1 + refetch) * n * shape.keyRowBits,
      // Scores written once and read twice (exp-sum pass, output pass) per softmax pass.
      scores: passes * 3 * n * shape.scoreBits,
      // Probabilities written once, read for the top-k and for every kept value.
      probs: (2 * n + v) * shape.probBits,
      // Each token's kept-list entry read, its importance read and written.
      cascade: n * 3 * shape.cascadeBits,
    },
    cycles: 0,
  };
}

export function emptyActivity(): Activity {
  return {
    dramBytes: { keyMsb: 0, keyLsb: 0, value: 0 },
    qkMacs: 0,
    pvMacs: 0,
    softmaxElements: 0,
    topkElementPasses: 0,
    sramBits: { keys: 0, scores: 0, probs: 0, cascade: 0 },
    cycles: 0,
  };
}

export function addActivity(a: Activity, b: Activity): Activity {
  const sramBits = Object.fromEntries(
    BUFFERS.map((buffer) => [buffer, a.sramBits[buffer] + b.sramBits[buffer]]),
  ) as Record<SramBuffer, number>;
  return {
    dramBytes: {
      keyMsb: a.dramBytes.keyMsb + b.dramBytes.keyMsb,
      keyLsb: a.dramBytes.keyLsb + b.dramBytes.keyLsb,
      value: a.dramBytes.value + b.dramBytes.value,
    },
    qkMacs: a.qkMacs + b.qkMacs,
    pvMacs: a.pvMacs + b.pvMacs,
    softmaxElements: a.softmaxElements + b.softmaxElements,
    topkElementPasses: a.topkElementPasses + b.topkElementPasses,
    sramBits,
    cycles: a.cycles + b.cycles,
  };
}

/**
 * Each request's activity. A layer's token top-k runs once, after its last request that asks for
 * one (the requests of a layer are consecutive), as the top and the model run it.
 */
export function requestActivities(work: readonly RequestWork[], shape: EnergyShape): Activity[] {
  const boundary = new Array<boolean>(work.length).fill(false);
  let askedLater = false;
  for (let i = work.length - 1; i >= 0; i -= 1) {
    const w = work[i] as RequestWork;
    if (work[i + 1]?.layer !== w.layer) askedLater = false;
    boundary[i] = w.tokenTopk !== null && !askedLater;
    if (w.tokenTopk !== null) askedLater = true;
  }
  return work.map((w, i) => requestActivity(w, shape, boundary[i] === true));
}

export function sumActivity(list: readonly Activity[], cycles: number): Activity {
  return { ...list.reduce(addActivity, emptyActivity()), cycles };
}

/** The activity of a run: its requests' events and its cycles. */
export function runActivity(
  work: readonly RequestWork[],
  shape: EnergyShape,
  cycles: number,
): Activity {
  return sumActivity(requestActivities(work, shape), cycles);
}

/** The counters the RTL reports for a run: its fetcher's bytes and its top-k engines' passes. */
export type MeasuredEvents = Pick<Activity, 'dramBytes' | 'topkElementPasses'>;

/**
 * The activity of a run on the RTL: the events of the work it executed, with its counters in place
 * of the counts that depend on the data (the model's top-k passes are an upper bound).
 */
export function measuredActivity(
  work: readonly RequestWork[],
  shape: EnergyShape,
  cycles: number,
  measured: MeasuredEvents,
): Activity {
  return { ...runActivity(work, shape, cycles), ...measured };
}

/** SRAM energy per 64 bits of an array of `bytes`: the 8 KB figure scaled by size. */
function sramPjPer64Bits(bytes: number, t: Config['technology']): number {
  return t.sramPjPer64Bits * Math.max(1, bytes / 8192) ** t.sramSizeExponent;
}

export function energyOf(a: Activity, shape: EnergyShape, t: Config['technology']): Energy {
  const mac = ([x, y]: [number, number], accumulate: number) =>
    t.multiplyPjPerBit2 * x * y + t.addPjPerBit * accumulate;
  const dramBits = 8 * (a.dramBytes.keyMsb + a.dramBytes.keyLsb + a.dramBytes.value);
  // Per softmax element: subtract the max, the exponential's interpolation multiply, the sum, and
  // the normalizing multiply by the reciprocal.
  const softmaxElement =
    2 * t.addPjPerBit * shape.scoreBits + 2 * t.multiplyPjPerBit2 * shape.probBits ** 2;
  return {
    dram: dramBits * t.dramPjPerBit,
    qk: a.qkMacs * mac(shape.qkMultiply, shape.qkAccumulateBits),
    pv: a.pvMacs * mac(shape.pvMultiply, shape.pvAccumulateBits),
    softmax: a.softmaxElements * softmaxElement,
    // A digit pass compares the element's digit and counts it: about one add of the value width.
    topk: a.topkElementPasses * t.addPjPerBit * shape.probBits,
    sram: BUFFERS.reduce(
      (sum, b) => sum + (a.sramBits[b] / 64) * sramPjPer64Bits(shape.bufferBytes[b], t),
      0,
    ),
    control: a.cycles * t.controlPjPerCycle,
  };
}

export const totalEnergy = (e: Energy) => COMPONENTS.reduce((sum, c) => sum + e[c], 0);
