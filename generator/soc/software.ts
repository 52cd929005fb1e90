/**
 * The software side of the integration shell, written beside its Verilog when the design has one:
 * the C header, the host driver and the Markdown register map, from the same register map and ring
 * layouts.
 */
import type { ResolvedConfig } from '../config/load';
import type { ModuleIR } from '../dsl/ir';
import type { OutputFile } from '../render/design';
import { renderDriver } from './c-driver';
import { regsHeaderName, renderRegsHeader } from './c-header';
import { renderRegisterDoc } from './register-doc';

export function renderSoftware(
  resolved: ResolvedConfig,
  modules: readonly ModuleIR[],
): OutputFile[] {
  if (!modules.some((module) => module.stem === 'soc')) return [];
  const config = resolved.config;
  return [
    { path: regsHeaderName(config), content: renderRegsHeader(config, resolved.hash) },
    ...renderDriver(config, resolved.hash),
    { path: `${config.design.modulePrefix}soc_registers.md`, content: renderRegisterDoc(config) },
  ];
}
