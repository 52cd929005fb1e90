/**
 * Performance model calibration: figures `spatten replay --mode model` charges, fitted to the RTL.
 * No emitted module reads them, so they stay out of the config hash the generated files carry.
 */
import { intField, section } from '../fields';

export const perfModelSection = section(
  {
    requestsInFlight: intField(
      1,
      64,
      'Requests between their key fetch and their last prob×V row at once, as the model charges them. The RTL core holds four (two key-side contexts, pending, value side): other values model a different core.',
    ),
    topkOverhead: intField(
      0,
      4096,
      'Cycles a top-k takes beyond streaming its n inputs once at topk.parallelism per cycle (calibrated against `spatten bench topk`).',
    ),
    keyPipelineOverhead: intField(
      0,
      4096,
      "Cycles between the end of a request's final key transfer and the next request's first key fetch: the context hand-off and the fetch path (calibrated against RTL by `spatten bench replay`).",
    ),
  },
  'Performance model calibration (not RTL): the figures the model charges for what it does not simulate.',
);

const calibrated = { requestsInFlight: 4, topkOverhead: 22, keyPipelineOverhead: 80 };

export const perfModelPresets = {
  tiny: { perfModel: calibrated },
  fpga: { perfModel: calibrated },
  paper: { perfModel: calibrated },
} as const;
