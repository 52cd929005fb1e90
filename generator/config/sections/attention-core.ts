/** Attention core: the unit that answers one attention request. */
import { intField, section } from '../fields';

export const attentionCoreSection = section(
  {
    requestIdBits: intField(
      1,
      16,
      'Width of the request ID a descriptor carries and its result and probabilities echo, bits.',
    ),
  },
  'Attention core: the request descriptor and result.',
);

export const attentionCorePresets = {
  tiny: {
    attentionCore: {
      requestIdBits: 4,
    },
  },
  fpga: {
    attentionCore: {
      requestIdBits: 4,
    },
  },
  paper: {
    attentionCore: {
      requestIdBits: 4,
    },
  },
} as const;
