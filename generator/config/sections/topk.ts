/** Top-k engine (quick_select + topk): parallelism, buffer capacity, element format, output beat width. */
import type { Rule } from '../rules';
import { sectionViolation } from '../violation';
import { booleanField, intField, powerOfTwoField, section } from '../fields';
import { clog2 } from '../derive';

export const topkSection = section(
  {
    parallelism: powerOfTwoField(
      1,
      64,
      'Elements compared per cycle (P): input beat width and candidate buffer word width, in elements (the standalone engine; the core and the top take softmax.lanes).',
    ),
    capacity: intField(
      2,
      65536,
      'Most elements one request may hold on chip (n is clamped to this). A multiple of parallelism, at least 2 x parallelism.',
    ),
    valueBits: intField(2, 32, 'Width of one value (score, probability or importance) in bits.'),
    signed: booleanField(
      "Values are two's-complement signed (scores) rather than unsigned (probabilities, importances).",
    ),
    radixBits: intField(
      1,
      8,
      'Bits of the value resolved per selection round (radix digit); must divide valueBits. Rounds = valueBits / radixBits. The engines of the attention core and the top take the largest divisor of their value width up to this.',
    ),
    outLanes: intField(1, 256, 'Elements per output beat; at least parallelism.'),
    lengthBits: intField(
      2,
      32,
      'Width of the per-request n and k fields in bits; must hold capacity.',
    ),
  },
  'Standalone top-k engine: exact top-k by radix quick-select over on-chip candidate buffers (the attention core and the top size their own engines from the softmax lanes, model.maxTokens and the probability or importance width; only radixBits, the widest digit, reaches them).',
);

export const topkPresets = {
  tiny: {
    topk: {
      parallelism: 4,
      capacity: 64,
      valueBits: 8,
      signed: true,
      radixBits: 4,
      outLanes: 4,
      lengthBits: 8,
    },
  },
  fpga: {
    topk: {
      parallelism: 8,
      capacity: 2048,
      valueBits: 12,
      signed: false,
      radixBits: 4,
      outLanes: 8,
      lengthBits: 16,
    },
  },
  paper: {
    topk: {
      parallelism: 16,
      capacity: 2048,
      valueBits: 12,
      signed: false,
      radixBits: 4,
      outLanes: 16,
      lengthBits: 16,
    },
  },
} as const;

const violation = sectionViolation('topk');

export const topkRules: Rule[] = [
  ({ topk }) =>
    topk.capacity % topk.parallelism !== 0 || topk.capacity < 2 * topk.parallelism
      ? violation(
          'capacity',
          topk.capacity,
          `must be a multiple of topk.parallelism (${topk.parallelism}) and at least ${2 * topk.parallelism}`,
        )
      : [],
  ({ topk }) =>
    topk.valueBits % topk.radixBits !== 0
      ? violation('radixBits', topk.radixBits, `must divide topk.valueBits (${topk.valueBits})`)
      : [],
  ({ topk }) =>
    topk.outLanes < topk.parallelism
      ? violation(
          'outLanes',
          topk.outLanes,
          `must be at least topk.parallelism (${topk.parallelism})`,
        )
      : [],
  ({ topk }) =>
    topk.lengthBits < clog2(topk.capacity + 1)
      ? violation(
          'lengthBits',
          topk.lengthBits,
          `must be at least ${clog2(topk.capacity + 1)} to hold topk.capacity (${topk.capacity})`,
        )
      : [],
];
