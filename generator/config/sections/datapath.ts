/**
 * Attention datapath arrays: `qk_array` (query · key scores) and `pv_array` (probability × value sums).
 * Number formats are sW.F (signed, W bits, F fraction bits) or uW.F (unsigned); the head dimension D
 * comes from `model.headDim`.
 */
import type { Rule } from '../rules';
import { sectionViolation } from '../violation';
import { clog2 } from '../derive';
import { enumField, intField, section } from '../fields';
import { MAX_PROB_FRAC } from '../softmax-accuracy';

const bits = (doc: string, min = 2) => intField(min, 32, doc);
const frac = (doc: string) => intField(0, 32, `${doc} Must not exceed the matching width.`);

export const datapathSection = section(
  {
    multipliers: intField(
      1,
      4096,
      'Multipliers M of each standalone array (qk_array, pv_array): a multiple or a divisor of model.headDim. M ≥ D gives M/D rows per cycle, M < D takes D/M cycles per row. The attention core builds its arrays one row per beat (D multipliers); the lower bound of replay reports counts M.',
    ),
    queryBits: bits('Query element width W of format sW.F, bits.'),
    queryFrac: frac('Query element fraction bits F of format sW.F.'),
    keyBits: bits('Key element width W of format sW.F, bits.'),
    keyFrac: frac('Key element fraction bits F of format sW.F.'),
    scoreBits: bits(
      'Score width W of format sW.F (qk_array output, after scaling by 1/sqrt(D)), bits.',
    ),
    scoreFrac: frac('Score fraction bits F of format sW.F.'),
    probBits: bits(
      'Probability width W of format uW.F (pv_array input, from the softmax), bits.',
      1,
    ),
    probFrac: intField(
      0,
      MAX_PROB_FRAC,
      'Probability fraction bits F of format uW.F. Must not exceed ' +
        `probBits; at most ${MAX_PROB_FRAC} (the softmax's 2 LSB error bound).`,
    ),
    valueBits: bits('Value element width W of format sW.F, bits.'),
    valueFrac: frac('Value element fraction bits F of format sW.F.'),
    outBits: bits('Attention output element width W of format sW.F (pv_array output), bits.'),
    outFrac: frac('Attention output fraction bits F of format sW.F.'),
    bitserialLanes: intField(
      1,
      64,
      'Lanes L of the bit-serial Q×K unit qk_bitserial (early termination, issue 18): L bit ' +
        'planes per cycle, each lane a tree over D/4 subset-sum tables of LUTs (no multipliers). ' +
        'One key enters per cycle, so lanes past the planes a key needs on average wait for keys.',
    ),
    prescoreBits: intField(
      1,
      32,
      'Bits P of each key element the pre-score unit `prescore` reads (SPRINT, issue 17): the ' +
        'sign and the next P - 1. At most datapath.keyBits; P = keyBits scores exactly.',
    ),
    pvAccumulator: enumField(
      ['dsp', 'fabric'] as const,
      'Form of the prob×V accumulators. dsp: ' +
        'multiply and accumulate map to one DSP block per element (Xilinx DSP48), no cycle between ' +
        'requests. fabric: LUT adders in two halves with a registered carry between them, for FPGAs ' +
        'whose DSP blocks cannot accumulate (iCE40); one cycle between requests.',
    ),
  },
  'Q×K and prob×V dot-product arrays.',
);

export const datapathPresets = {
  tiny: {
    datapath: {
      multipliers: 8,
      queryBits: 8,
      queryFrac: 4,
      keyBits: 8,
      keyFrac: 4,
      scoreBits: 12,
      scoreFrac: 4,
      probBits: 8,
      probFrac: 7,
      valueBits: 8,
      valueFrac: 4,
      outBits: 12,
      outFrac: 6,
      bitserialLanes: 2,
      prescoreBits: 4,
      pvAccumulator: 'fabric',
    },
  },
  fpga: {
    datapath: {
      multipliers: 64,
      queryBits: 12,
      queryFrac: 8,
      keyBits: 12,
      keyFrac: 8,
      scoreBits: 16,
      scoreFrac: 8,
      probBits: 12,
      probFrac: 11,
      valueBits: 12,
      valueFrac: 8,
      outBits: 16,
      outFrac: 10,
      bitserialLanes: 3,
      prescoreBits: 4,
      pvAccumulator: 'dsp',
    },
  },
  paper: {
    datapath: {
      multipliers: 512,
      queryBits: 12,
      queryFrac: 8,
      keyBits: 12,
      keyFrac: 8,
      scoreBits: 16,
      scoreFrac: 8,
      probBits: 12,
      probFrac: 11,
      valueBits: 12,
      valueFrac: 8,
      outBits: 16,
      outFrac: 10,
      bitserialLanes: 3,
      prescoreBits: 4,
      pvAccumulator: 'dsp',
    },
  },
} as const;

/** Widest accumulator either array may build; beyond it the golden model and tools still work, but no
 * realistic format needs it and it keeps every simulator value within two 32-bit words. */
export const MAX_ACCUMULATOR_BITS = 64;

const FORMATS = ['query', 'key', 'score', 'prob', 'value', 'out'] as const;

const violation = sectionViolation('datapath');

export const datapathRules: Rule[] = [
  ({ datapath: dp, model }) =>
    dp.multipliers % model.headDim === 0 || model.headDim % dp.multipliers === 0
      ? []
      : violation(
          'multipliers',
          dp.multipliers,
          `must be a multiple or a divisor of model.headDim (${model.headDim})`,
        ),
  ({ datapath: dp }) =>
    FORMATS.flatMap((format) => {
      const width = dp[`${format}Bits`];
      const fraction = dp[`${format}Frac`];
      return fraction > width
        ? violation(`${format}Frac`, fraction, `must be at most datapath.${format}Bits (${width})`)
        : [];
    }),
  ({ datapath: dp }) =>
    dp.prescoreBits > dp.keyBits
      ? violation(
          'prescoreBits',
          dp.prescoreBits,
          `must be at most datapath.keyBits (${dp.keyBits})`,
        )
      : [],
  ({ datapath: dp, model }) => {
    const width = dp.queryBits + dp.keyBits + clog2(model.headDim);
    return width > MAX_ACCUMULATOR_BITS
      ? violation(
          'keyBits',
          dp.keyBits,
          `queryBits + keyBits + log2(model.headDim) is the Q×K accumulator width and must be at most ${MAX_ACCUMULATOR_BITS} (is ${width})`,
        )
      : [];
  },
  ({ datapath: dp, model }) => {
    const width = dp.probBits + dp.valueBits + clog2(model.maxTokens);
    return width > MAX_ACCUMULATOR_BITS
      ? violation(
          'valueBits',
          dp.valueBits,
          `probBits + valueBits + clog2(model.maxTokens) is the prob×V accumulator width and must be at most ${MAX_ACCUMULATOR_BITS} (is ${width})`,
        )
      : [];
  },
];
