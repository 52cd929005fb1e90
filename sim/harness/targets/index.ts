/** Simulation targets by unit name, for `spatten sim NAME` and the RTL tests. */
import type { SimTarget } from './types';
import { zeroEliminatorTarget } from './zero-eliminator';
import { topkTarget } from './topk';
import { qkArrayTarget } from './qk-array';
import { qkBitserialTarget } from './qk-bitserial';
import { prescoreTarget } from './prescore';
import { pvArrayTarget } from './pv-array';
import { softmaxTarget } from './softmax';
import { fetcherTarget } from './fetcher';
import { attentionCoreTarget } from './attention-core';
import { topTarget } from './top';

export const SIM_TARGETS: Record<string, SimTarget> = {
  zero_eliminator: zeroEliminatorTarget,
  topk: topkTarget,
  qk_array: qkArrayTarget,
  qk_bitserial: qkBitserialTarget,
  prescore: prescoreTarget,
  pv_array: pvArrayTarget,
  softmax: softmaxTarget,
  fetcher: fetcherTarget,
  attention_core: attentionCoreTarget,
  top: topTarget,
};
