/** Simulation targets by unit name, for `spatten sim NAME` and the RTL tests. */
import type { SimTarget } from './types';
import { zeroEliminatorTarget } from './zero-eliminator';

export const SIM_TARGETS: Record<string, SimTarget> = {
  zero_eliminator: zeroEliminatorTarget,
};
