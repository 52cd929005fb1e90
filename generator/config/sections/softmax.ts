/**
 * Softmax unit: lanes, row capacity, input score format sW.F, output probability format uW.F and the
 * internal precision of the exponential (two 2^x tables), the row sum and the reciprocal.
 */
import type { Rule } from '../rules';
import { sectionViolation } from '../violation';
import type { Config } from '../schema';
import { intField, powerOfTwoField, section } from '../fields';
import {
  ACCURACY_TARGET_LSB,
  MAX_EXP_FRAC,
  MAX_PROB_FRAC,
  MAX_TABLE_BITS,
  minExpFrac,
  minTableBits,
} from '../softmax-accuracy';

export const softmaxSection = section(
  {
    lanes: powerOfTwoField(1, 64, 'Scores taken and probabilities produced per cycle.'),
    capacity: intField(
      2,
      65536,
      'Most scores one row may hold on chip; longer rows are cut to it and flagged. A multiple of lanes, at least 2 x lanes.',
    ),
    scoreBits: intField(2, 32, 'Input score width W of format sW.F, bits.'),
    scoreFrac: intField(
      0,
      32,
      'Input score fraction bits F of format sW.F. Must not exceed scoreBits.',
    ),
    probBits: intField(2, 32, 'Output probability width W of format uW.F, bits.'),
    probFrac: intField(
      1,
      MAX_PROB_FRAC,
      'Output probability fraction bits F of format uW.F (LSB = 2^-F). ' +
        'Must not exceed probBits; with probBits = probFrac, 1.0 saturates to 1 - 2^-F. At most ' +
        `${MAX_PROB_FRAC}: finer formats exceed the 2 LSB error bound at the largest expFrac and tableBits.`,
    ),
    expFrac: intField(
      4,
      MAX_EXP_FRAC,
      'Fraction bits E of the internal exponentials u(E+1).E (the row sum keeps clog2(capacity) more). At least probFrac + 3 (of softmax and of datapath) for the 2 LSB error bound.',
    ),
    tableBits: intField(
      1,
      MAX_TABLE_BITS,
      'Index bits of each of the two 2^x tables (2^tableBits entries each); they resolve 2 x tableBits fraction bits of the exponent. 2 x tableBits must not exceed expFrac and must exceed probFrac (of softmax and of datapath) for the 2 LSB error bound.',
    ),
    guardBits: intField(
      1,
      8,
      'Reciprocal bits beyond probFrac: the truncated reciprocal adds at most 2^-guardBits LSB of probability error.',
    ),
  },
  'Softmax over a row held on chip: max pass, exp/sum pass, reciprocal, normalize pass.',
);

export const softmaxPresets = {
  tiny: {
    softmax: {
      lanes: 4,
      capacity: 64,
      scoreBits: 12,
      scoreFrac: 4,
      probBits: 8,
      probFrac: 7,
      expFrac: 10,
      tableBits: 4,
      guardBits: 3,
    },
  },
  fpga: {
    softmax: {
      lanes: 8,
      capacity: 2048,
      scoreBits: 16,
      scoreFrac: 8,
      probBits: 12,
      probFrac: 11,
      expFrac: 16,
      tableBits: 6,
      guardBits: 4,
    },
  },
  paper: {
    softmax: {
      lanes: 16,
      capacity: 2048,
      scoreBits: 16,
      scoreFrac: 8,
      probBits: 12,
      probFrac: 11,
      expFrac: 16,
      tableBits: 6,
      guardBits: 4,
    },
  },
} as const;

const violation = sectionViolation('softmax');

/**
 * The probability formats a softmax unit is built with: its own section's (the standalone unit) and
 * the datapath's (the attention core's instance). Formats their width rule rejects are left out.
 */
function probabilityFormats({ softmax, datapath }: Config): { key: string; probFrac: number }[] {
  const formats = [
    { key: 'softmax.probFrac', probFrac: softmax.probFrac, probBits: softmax.probBits },
    { key: 'datapath.probFrac', probFrac: datapath.probFrac, probBits: datapath.probBits },
  ];
  return formats.filter((f) => f.probFrac <= f.probBits);
}

/** The internal precision must cover the finest probability format (see softmax-accuracy.ts). */
function accuracyRule(key: 'expFrac' | 'tableBits', least: (probFrac: number) => number): Rule {
  return (config) => {
    const finest = probabilityFormats(config).sort((a, b) => b.probFrac - a.probFrac)[0];
    if (finest === undefined) return [];
    const need = least(finest.probFrac);
    const value = config.softmax[key];
    const why = `for the ${ACCURACY_TARGET_LSB} LSB softmax error bound`;
    const message = `must be at least ${need} ${why} with ${finest.key} = ${finest.probFrac}`;
    return value < need ? violation(key, value, message) : [];
  };
}

export const softmaxRules: Rule[] = [
  ({ softmax: s }) =>
    s.capacity % s.lanes !== 0 || s.capacity < 2 * s.lanes
      ? violation(
          'capacity',
          s.capacity,
          `must be a multiple of softmax.lanes (${s.lanes}) and at least ${2 * s.lanes}`,
        )
      : [],
  ({ softmax: s }) =>
    s.scoreFrac > s.scoreBits
      ? violation('scoreFrac', s.scoreFrac, `must be at most softmax.scoreBits (${s.scoreBits})`)
      : [],
  ({ softmax: s }) =>
    s.probFrac > s.probBits
      ? violation('probFrac', s.probFrac, `must be at most softmax.probBits (${s.probBits})`)
      : [],
  ({ softmax: s }) =>
    2 * s.tableBits > s.expFrac
      ? violation(
          'tableBits',
          s.tableBits,
          `must be at most softmax.expFrac / 2 (${Math.floor(s.expFrac / 2)})`,
        )
      : [],
  accuracyRule('expFrac', minExpFrac),
  accuracyRule('tableBits', minTableBits),
];
