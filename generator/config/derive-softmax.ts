/**
 * Derived widths and constants of the softmax unit, from the `softmax` section. The exponential tables
 * live here because the generator (Verilog case tables) and the golden model must use the same values.
 */
import { clog2, countWidth } from './derive';
import type { Config } from './schema';

export interface SoftmaxDerived {
  /** Buffer words: capacity / lanes. */
  words: number;
  /** Width of an element count 0..capacity. */
  countBits: number;
  /** Width of a lane count 0..lanes (the `count` field of a beat). */
  laneCountBits: number;
  /** Fraction bits L of the log2(e) constant, format u(L+1).L. */
  log2eFrac: number;
  /** round-half-up(log2(e) × 2^L). */
  log2e: number;
  /** 2^(a / 2^A) for a = 0..2^A-1, format u(E+1).E, round-half-up. A = tableBits, E = expFrac. */
  hiTable: number[];
  /** 2^((b + 1/2) / 2^2A) for b = 0..2^A-1, format u(E+1).E, round-half-up. The midpoint of each step
   * centres the error of truncating the exponent's fraction to 2A bits. */
  loTable: number[];
  /** exp(0) as the datapath computes it: round-half-up(hiTable[0] × loTable[0] / 2^E), u(E+1).E. */
  expZero: number;
  /** Fraction bits of the sum terms beyond E: clog2(capacity), so the half-LSB roundings of up to
   * capacity terms add up to at most 2^-(E+1), as much as one exponential rounded to E bits. */
  sumGuard: number;
  /** Fraction bits of the sum terms and of the row sum: E + sumGuard. */
  sumFrac: number;
  /** Width of a sum term, format u(sumTermBits).sumFrac: E + 1 + sumGuard. */
  sumTermBits: number;
  /** Right shifts of the exponentials clip here: any larger shift gives 0 after rounding. */
  shiftCap: number;
  /** Width of the reciprocal Q = floor(2^(sumFrac + quotientBits - 1) / sum):
   * probFrac + guardBits + 1. */
  quotientBits: number;
  /** Probability = round-half-up(e × Q / 2^normShift), normShift = E + guardBits. */
  normShift: number;
  /** Read pipeline stages (templates/softmax.v.hbs), counted from a word's read issue: its e and e~
   * registered (expStage), its e~ added into the row sum after the registered adder tree (sumStage),
   * its probabilities in the output register (outStage). */
  expStage: number;
  sumStage: number;
  outStage: number;
  /** Cycles a row spends beyond 2 x beats + quotientBits from its last score beat to its last
   * probability beat when the row side was idle: both pipeline fills and the handover cycle. */
  rowOverhead: number;
}

/** Read issue to e and e~: two RAM read registers, the DSP's two for t, the tables, the DSP's two for
 * hi x lo, the coarse shift, the fine shift with rounding. */
const EXP_STAGE = 9;

export function deriveSoftmax(config: Config): SoftmaxDerived {
  const s = config.softmax;
  const E = s.expFrac;
  const A = s.tableBits;
  const fixed = (value: number) => Math.round(value * 2 ** E);
  const hiTable = Array.from({ length: 2 ** A }, (_, a) => fixed(2 ** (a / 2 ** A)));
  const loTable = Array.from({ length: 2 ** A }, (_, b) => fixed(2 ** ((b + 0.5) / 2 ** (2 * A))));
  const log2eFrac = E + 4;
  const sumGuard = clog2(s.capacity);
  const sumFrac = E + sumGuard;
  const sumStage = EXP_STAGE + clog2(s.lanes);
  return {
    words: s.capacity / s.lanes,
    countBits: countWidth(s.capacity),
    laneCountBits: countWidth(s.lanes),
    log2eFrac,
    log2e: Math.round(Math.LOG2E * 2 ** log2eFrac),
    hiTable,
    loTable,
    expZero: Math.floor(((hiTable[0] ?? 0) * (loTable[0] ?? 0) + 2 ** (E - 1)) / 2 ** E),
    sumGuard,
    sumFrac,
    sumTermBits: sumFrac + 1,
    shiftCap: sumFrac + 2,
    quotientBits: s.probFrac + s.guardBits + 1,
    normShift: E + s.guardBits,
    expStage: EXP_STAGE,
    sumStage,
    outStage: EXP_STAGE + 3,
    rowOverhead: sumStage + EXP_STAGE + 3 + 1,
  };
}
