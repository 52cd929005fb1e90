/** spatten_top: the cascade state it holds (heads, layers of a decode step) and how importance ages. */
import type { Rule } from '../rules';
import { sectionViolation } from '../violation';
import { intField, section } from '../fields';
import { deriveTop } from '../derive-top';

export const topSection = section(
  {
    heads: intField(
      1,
      64,
      'Heads per layer the kept-head mask and head importance registers hold; a descriptor naming a higher head is an error.',
    ),
    layers: intField(
      1,
      256,
      'Layers of one decode step; sizes the importance accumulators so they cannot saturate within a step.',
    ),
    importanceShift: intField(
      0,
      8,
      "Rescale of the previous importance at each layer boundary: kept tokens' importance is shifted right by this many bits (truncating) so older layers weigh less; 0 keeps the plain sum.",
    ),
  },
  'Accelerator top: cascade token and head pruning state across the layers of a decode step.',
);

export const topPresets = {
  tiny: { top: { heads: 4, layers: 3, importanceShift: 0 } },
  fpga: { top: { heads: 12, layers: 12, importanceShift: 0 } },
  paper: { top: { heads: 12, layers: 12, importanceShift: 0 } },
} as const;

/** Token importances go through the top-k engine, whose values are at most 32 bits wide (head importances are ranked by comparators: no limit). */
const MAX_IMPORTANCE_BITS = 32;

const violation = sectionViolation('top');

export const topRules: Rule[] = [
  (config) => {
    const { importanceBits } = deriveTop(config);
    return importanceBits > MAX_IMPORTANCE_BITS
      ? violation(
          'layers',
          config.top.layers,
          `datapath.probBits + clog2(top.heads × top.layers) is the token importance width and must be at most ${MAX_IMPORTANCE_BITS} (is ${importanceBits})`,
        )
      : [];
  },
  ({ top, datapath }) =>
    top.importanceShift >= datapath.probBits
      ? violation(
          'importanceShift',
          top.importanceShift,
          `must be less than datapath.probBits (${datapath.probBits})`,
        )
      : [],
];
