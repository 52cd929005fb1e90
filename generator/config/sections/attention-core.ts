/** Attention core: the unit that answers one attention request (issue 6) and how many overlap. */
import { intField, section } from '../fields';

export const attentionCoreSection = section(
  {
    requestsInFlight: intField(
      1,
      64,
      'Requests between their key fetch and their last prob×V row at once, as the performance model charges them (the RTL core holds four: two key-side contexts, pending, value side).',
    ),
    topkOverhead: intField(
      0,
      4096,
      "Cycles a top-k takes beyond streaming its n inputs once at topk.parallelism per cycle (the performance model's charge, calibrated against `spatten bench topk`).",
    ),
    keyPipelineOverhead: intField(
      0,
      4096,
      "Cycles the performance model charges between the end of a request's final key transfer and the next request's first key fetch: the context hand-off and the fetch path (calibrated against RTL by `spatten bench replay`).",
    ),
    requestIdBits: intField(
      1,
      16,
      'Width of the request ID a descriptor carries and its result and probabilities echo, bits.',
    ),
  },
  'Attention core: request overlap and the timing figures the performance model uses.',
);

export const attentionCorePresets = {
  tiny: {
    attentionCore: {
      requestsInFlight: 2,
      topkOverhead: 22,
      keyPipelineOverhead: 80,
      requestIdBits: 4,
    },
  },
  fpga: {
    attentionCore: {
      requestsInFlight: 4,
      topkOverhead: 22,
      keyPipelineOverhead: 80,
      requestIdBits: 4,
    },
  },
  paper: {
    attentionCore: {
      requestsInFlight: 8,
      topkOverhead: 22,
      keyPipelineOverhead: 80,
      requestIdBits: 4,
    },
  },
} as const;
