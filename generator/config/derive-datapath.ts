/** Derived shapes and fixed-point formats of the attention datapath arrays (qk_array, pv_array). */
import { clog2, countWidth } from './derive';
import type { Config } from './schema';

/** 1/sqrt(2) as u1.16, round-half-even of 2^16/sqrt(2): the qk_array scale factor when log2(D) is odd. */
export const INV_SQRT2_FRAC = 16;
export const INV_SQRT2 = 46341;

/** Shapes and fixed-point formats of qk_array and pv_array (formats as sW.F / uW.F). */
export interface DatapathDerived {
  headDim: number;
  /** L: elements of one row multiplied per cycle, min(M, D). */
  sliceLen: number;
  /** S: beats (cycles) per row, D / L. */
  slices: number;
  /** K: rows per beat, max(1, M / D). */
  rowsPerBeat: number;
  /** Width of a row count 0..K. */
  countBits: number;
  /** Width of a token index 0..maxTokens-1. */
  indexBits: number;
  qk: {
    /** Exact query × key product: s(queryBits + keyBits).(queryFrac + keyFrac). */
    productBits: number;
    /** Exact dot product over D elements: productBits + log2(D) bits, no wrap possible. */
    accBits: number;
    /** log2(D) is odd: 1/sqrt(D) = 2^-halfLog2 × 1/sqrt(2), the last factor a u1.16 constant. */
    oddLog2: boolean;
    halfLog2: number;
    /** Width of the scaled value: accBits, plus 17 when multiplied by the u1.16 constant. */
    scaledBits: number;
    /** Fraction bits of the scaled value; it is rounded half to even down to scoreFrac. */
    scaledFrac: number;
    /** Right shift from the scaled value to the score (negative: exact left shift). */
    shift: number;
  };
  pv: {
    /** Exact probability × value product: s(probBits + valueBits).(probFrac + valueFrac). */
    productBits: number;
    /** Sum over the K rows of a beat: productBits + log2(K). */
    rowSumBits: number;
    /** Accumulator over every token of a request: productBits + max(clog2(maxTokens), log2(K)). */
    accBits: number;
    /** Right shift from the accumulator to the output format (negative: exact left shift). */
    shift: number;
    /** Requantizers shared by the output elements: a result is read out in headDim / readLanes
     * cycles, fewer than the rows of any request but the shortest. */
    readLanes: number;
  };
}

/** Most output elements pv_array requantizes per cycle. */
export const PV_READ_LANES = 16;

export function deriveDatapath(config: Config): DatapathDerived {
  const dp = config.datapath;
  const headDim = config.model.headDim;
  const log2D = clog2(headDim);
  const sliceLen = Math.min(dp.multipliers, headDim);
  const rowsPerBeat = Math.max(1, dp.multipliers / headDim);
  const qkProduct = dp.queryBits + dp.keyBits;
  const oddLog2 = log2D % 2 === 1;
  const halfLog2 = Math.floor(log2D / 2);
  const scaledFrac = dp.queryFrac + dp.keyFrac + halfLog2 + (oddLog2 ? INV_SQRT2_FRAC : 0);
  const pvProduct = dp.probBits + dp.valueBits;
  return {
    headDim,
    sliceLen,
    slices: headDim / sliceLen,
    rowsPerBeat,
    countBits: countWidth(rowsPerBeat),
    indexBits: Math.max(1, clog2(config.model.maxTokens)),
    qk: {
      productBits: qkProduct,
      accBits: qkProduct + log2D,
      oddLog2,
      halfLog2,
      scaledBits: qkProduct + log2D + (oddLog2 ? INV_SQRT2_FRAC + 1 : 0),
      scaledFrac,
      shift: scaledFrac - dp.scoreFrac,
    },
    pv: {
      productBits: pvProduct,
      rowSumBits: pvProduct + clog2(rowsPerBeat),
      accBits: pvProduct + Math.max(clog2(config.model.maxTokens), clog2(rowsPerBeat)),
      shift: dp.probFrac + dp.valueFrac - dp.outFrac,
      readLanes: Math.min(headDim, PV_READ_LANES),
    },
  };
}
