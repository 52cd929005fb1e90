import { derive } from '../../config/derive';
import type { ModuleIR } from '../../dsl/ir';
import { type RenderInput, commonView } from './common';

export function zeroCompactView(module: ModuleIR, input: RenderInput) {
  return {
    ...commonView(module, input),
    latency: derive(input.config).zeroEliminator.compactLatency,
  };
}
