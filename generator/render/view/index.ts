/** Which view builds the template context of each module stem; modules without one use the common view. */
import type { ModuleIR } from '../../dsl/ir';
import { type RenderInput, commonView } from './common';
import { zeroCompactView } from './zero-compact';
import { softmaxView } from './softmax';
import { attentionCoreView } from './attention-core';
import { socRegsView } from './soc-regs';
import { socView } from './soc';

type View = (module: ModuleIR, input: RenderInput) => object;

const VIEWS: Record<string, View> = {
  zero_compact: zeroCompactView,
  softmax: softmaxView,
  attention_core: attentionCoreView,
  soc_regs: socRegsView,
  soc: socView,
};

export function viewFor(module: ModuleIR, input: RenderInput): object {
  return (VIEWS[module.stem] ?? commonView)(module, input);
}
