/**
 * Golden model of attention_core, composed of the unit models exactly as the RTL composes the units
 * (with the unit parameters of deriveAttentionCore), plus a float64 reference of the same attention
 * (full-precision keys, no pruning) to measure the end-to-end error caused by quantization and pruning.
 *
 * Contract (templates/attention_core.v.hbs):
 * - Bad descriptor (n outside 1..maxTokens, k outside 1..n, key bit widths other than
 *   (msbBits, lsbBits) or (msbBits+lsbBits, 0)): error, every other result field zero, no probabilities.
 * - Key pass over rows 0..n-1 of the first plane (MSB or full) -> qk_array scores -> softmax. In
 *   progressive mode, max probability < threshold (unsigned uW.F compare) fires the LSB refetch: rows
 *   0..n-1 of the LSB plane, merged as MSB | LSB (exact), scores and softmax again.
 * - top-k keeps the k most probable tokens (ties to the lower token); prob×V sums p_t × v_t over them
 *   with p_t unchanged (kept probabilities are not renormalized).
 * - Bytes per plane are whole AXI beats per row (the fetcher golden's byte accounting).
 */
import { deriveAttentionCore } from '../../generator/config/derive-attention-core';
import type { PlaneName } from '../../generator/config/derive-fetcher';
import type { Config } from '../../generator/config/schema';
import { type DramImage, type FetchBeat, byteAccounting, fetchRow } from './fetcher';
import { pvOutput } from './pv-array';
import { quickSelect } from './quick-select';
import { qkScores, qkScoresFloat } from './qk-array';
import { softmaxFloat, softmaxRow } from './softmax';
import { topkSelect } from './topk';

export interface CoreDescriptor {
  /** D raw sQueryBits.queryFrac elements. */
  query: bigint[];
  n: number;
  k: number;
  /** Bits of the first key plane: msbBits (progressive) or msbBits + lsbBits (full keys). */
  keyBits: number;
  /** Bits of the LSB plane: lsbBits (progressive) or 0. */
  lsbBits: number;
  /** Raw uProbBits.probFrac threshold. */
  threshold: bigint;
  keyBase: number;
  lsbBase: number;
  valueBase: number;
  id: number;
  /** Token of each logical row 0..n-1 (the TokenMap port, increasing); absent: row i is token i. */
  tokens?: readonly number[];
}

export interface CoreResult {
  id: number;
  error: boolean;
  requant: boolean;
  /** Raw uProbBits.probFrac largest final probability. */
  max: bigint;
  /** D raw sOutBits.outFrac elements. */
  out: bigint[];
  keyBytes: number;
  lsbBytes: number;
  valueBytes: number;
  /** Element passes of the value top-k's selection (quickSelect's count; 0 for a bad descriptor). */
  topkPasses: number;
  /** Final probabilities of logical rows 0..n-1 (empty for a bad descriptor). */
  probs: bigint[];
  /** Logical rows top-k kept, increasing. */
  kept: number[];
}

/** The descriptor errors the core flags, in words (empty: good). */
export function descriptorErrors(config: Config, d: CoreDescriptor): string[] {
  const f = config.fetcher;
  const errors: string[] = [];
  if (d.n < 1 || d.n > config.model.maxTokens)
    errors.push(`n = ${d.n} outside 1..${config.model.maxTokens}`);
  if (d.k < 1 || d.k > d.n) errors.push(`k = ${d.k} outside 1..n`);
  const progressive = d.keyBits === f.msbBits && d.lsbBits === f.lsbBits;
  const full = d.keyBits === f.msbBits + f.lsbBits && d.lsbBits === 0;
  if (!progressive && !full)
    errors.push(
      `key bits (${d.keyBits}, ${d.lsbBits}) not (${f.msbBits}, ${f.lsbBits}) or (${f.msbBits + f.lsbBits}, 0)`,
    );
  return errors;
}

/** The D signed elements of a fetched row (msbBits + lsbBits bits each). */
export function rowElements(config: Config, data: bigint): bigint[] {
  const bits = config.fetcher.msbBits + config.fetcher.lsbBits;
  return Array.from({ length: config.model.headDim }, (_, e) =>
    BigInt.asIntN(bits, data >> BigInt(e * bits)),
  );
}

function passBeats(base: number, plane: PlaneName, indices: readonly number[]): FetchBeat[] {
  return indices.map((index, i) => ({ base, plane, index, last: i === indices.length - 1 }));
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** The DRAM rows of the descriptor's logical rows. */
const tokensOf = (d: CoreDescriptor, rows: readonly number[]) =>
  rows.map((row) => d.tokens?.[row] ?? row);

export function attentionCore(config: Config, image: DramImage, d: CoreDescriptor): CoreResult {
  const zero: CoreResult = {
    id: d.id,
    error: true,
    requant: false,
    max: 0n,
    out: new Array<bigint>(config.model.headDim).fill(0n),
    keyBytes: 0,
    lsbBytes: 0,
    valueBytes: 0,
    topkPasses: 0,
    probs: [],
    kept: [],
  };
  if (descriptorErrors(config, d).length > 0) return zero;
  const units = deriveAttentionCore(config).units;
  const progressive = d.lsbBits !== 0;
  const firstPlane: PlaneName = progressive ? 'msb' : 'full';
  let memoryError = false;
  const fetch = (beats: readonly FetchBeat[]) =>
    beats.map((beat) => {
      const row = fetchRow(config, image, beat);
      memoryError ||= row.error;
      return row;
    });
  const score = (rows: readonly bigint[]) => {
    const scores = qkScores(units, {
      query: d.query,
      keys: rows.map((data, index) => ({ elements: rowElements(config, data), index })),
    });
    return softmaxRow(
      units,
      scores.map((s) => s.score),
    );
  };

  const tokens = tokensOf(d, range(d.n));
  const keyBeats = passBeats(d.keyBase, firstPlane, tokens);
  const msbRows = fetch(keyBeats).map((row) => row.data);
  let soft = score(msbRows);
  let lsbBeats: FetchBeat[] = [];
  const requant = progressive && soft.max < d.threshold;
  if (requant) {
    lsbBeats = passBeats(d.lsbBase, 'lsb', tokens);
    const lsbRows = fetch(lsbBeats).map((row) => row.data);
    soft = score(msbRows.map((msb, i) => msb | (lsbRows[i] ?? 0n)));
  }
  const t = units.topk;
  const selection = { values: soft.probs.map(Number), n: d.n, k: d.k };
  const shape = {
    parallelism: t.parallelism,
    capacity: t.capacity,
    valueBits: t.valueBits,
    signed: t.signed,
    outLanes: t.outLanes,
    radixBits: t.radixBits,
  };
  const kept = topkSelect(selection, shape).map((element) => element.index);
  const valueBeats = passBeats(d.valueBase, 'full', tokensOf(d, kept));
  const values = fetch(valueBeats);
  const out = pvOutput(
    units,
    values.map((row, i) => ({
      prob: soft.probs[kept[i] ?? 0] ?? 0n,
      value: rowElements(config, row.data),
    })),
  );
  return {
    id: d.id,
    error: memoryError || soft.overflow,
    requant,
    max: soft.max,
    out,
    keyBytes: byteAccounting(config, keyBeats).bytes,
    lsbBytes: byteAccounting(config, lsbBeats).bytes,
    valueBytes: byteAccounting(config, valueBeats).bytes,
    topkPasses: quickSelect(selection, shape).result.passes,
    probs: soft.probs,
    kept,
  };
}

/**
 * Float64 attention of the same request: full-precision keys (MSB | LSB, or the full plane), exact
 * softmax over all n tokens, every value row (no pruning). Returns the real-valued D outputs.
 */
export function attentionFloat(config: Config, image: DramImage, d: CoreDescriptor): number[] {
  const units = deriveAttentionCore(config).units;
  const progressive = d.lsbBits !== 0;
  const tokens = tokensOf(d, range(d.n));
  const keys = tokens.map((index) => {
    const first = fetchRow(config, image, {
      base: d.keyBase,
      plane: progressive ? 'msb' : 'full',
      index,
      last: false,
    }).data;
    const lsb = progressive
      ? fetchRow(config, image, { base: d.lsbBase, plane: 'lsb', index, last: false }).data
      : 0n;
    return { elements: rowElements(config, first | lsb), index };
  });
  const probs = softmaxFloat(qkScoresFloat(units, { query: d.query, keys }));
  const values = tokens.map((index) =>
    rowElements(
      config,
      fetchRow(config, image, { base: d.valueBase, plane: 'full', index, last: false }).data,
    ),
  );
  const valueLsb = 2 ** -units.datapath.valueFrac;
  return range(config.model.headDim).map((e) =>
    tokens.reduce(
      (sum, _, i) => sum + (probs[i] ?? 0) * Number(values[i]?.[e] ?? 0n) * valueLsb,
      0,
    ),
  );
}

/** End-to-end error of a good request: largest |fixed - float| over the D outputs, in output LSBs. */
export function outputErrorLsb(config: Config, image: DramImage, d: CoreDescriptor): number {
  const fixed = attentionCore(config, image, d).out;
  const real = attentionFloat(config, image, d);
  const lsb = 2 ** -config.datapath.outFrac;
  return Math.max(...real.map((r, e) => Math.abs(Number(fixed[e] ?? 0n) * lsb - r) / lsb));
}
