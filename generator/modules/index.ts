/**
 * The design: the top-level modules `generate` emits for a config, and the walk that collects every
 * module they instantiate, children first (the order of files.f).
 */
import type { Config } from '../config/schema';
import type { ModuleIR } from '../dsl/ir';
import { zeroEliminatorModule } from './zero-eliminator';
import { topkModule } from './topk';
import { qkArrayModule } from './qk-array';
import { qkBitserialModule } from './qk-bitserial';
import { prescoreModule } from './prescore';
import { pvArrayModule } from './pv-array';
import { softmaxModule } from './softmax';
import { fetcherChannelsModule } from './fetcher-channels';
import { attentionCoreModule } from './attention-core';
import { topModule } from './top';
import { socModule } from './soc';

/** Hardware units a user can generate and simulate on their own, by stem. */
export const UNIT_BUILDERS: Record<string, (config: Config) => ModuleIR> = {
  zero_eliminator: zeroEliminatorModule,
  topk: topkModule,
  qk_array: qkArrayModule,
  qk_bitserial: qkBitserialModule,
  prescore: prescoreModule,
  pv_array: pvArrayModule,
  softmax: softmaxModule,
  fetcher: fetcherChannelsModule,
  attention_core: attentionCoreModule,
  top: topModule,
  soc: socModule,
};

export function unitNames(): string[] {
  return Object.keys(UNIT_BUILDERS);
}

/** Every module of `roots` and below, each once, dependencies before their users. */
export function collectModules(roots: readonly ModuleIR[]): ModuleIR[] {
  const ordered: ModuleIR[] = [];
  const seen = new Map<string, ModuleIR>();
  const visit = (module: ModuleIR) => {
    const known = seen.get(module.name);
    if (known) {
      if (known.stem !== module.stem) throw new Error(`two modules are both named ${module.name}`);
      return;
    }
    seen.set(module.name, module);
    for (const instance of module.instances) visit(instance.module);
    ordered.push(module);
  };
  roots.forEach(visit);
  return ordered;
}

export function designModules(config: Config): ModuleIR[] {
  return collectModules(Object.values(UNIT_BUILDERS).map((build) => build(config)));
}
