/** Simulation targets by unit name, for `spatten sim NAME` and the RTL tests. */
import type { SimTarget } from './types';
import { zeroEliminatorTarget } from './zero-eliminator';
import { qkArrayTarget } from './qk-array';
import { pvArrayTarget } from './pv-array';

export const SIM_TARGETS: Record<string, SimTarget> = {
  zero_eliminator: zeroEliminatorTarget,
  qk_array: qkArrayTarget,
  pv_array: pvArrayTarget,
};
