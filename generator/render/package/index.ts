/**
 * Packaging of a rendered design for FPGA/ASIC flows: FuseSoC core, IP-XACT components (one per root
 * module, `<module>.component.xml`) and clock constraints. Every file sits at the top of the output folder
 * (a flat folder is what files.f users and the rtl-out checks expect). Pure and deterministic like the rest of render/.
 */
import type { ResolvedConfig } from '../../config/load';
import type { ModuleIR } from '../../dsl/ir';
import type { OutputFile } from '../design';
import { renderConstraints } from './constraints';
import { renderFusesocCore } from './fusesoc';
import { renderIpxact } from './ipxact';
import { rootModules } from './shape';

/** `modules` in dependency order, as renderDesign receives them. */
export function renderPackaging(
  resolved: ResolvedConfig,
  modules: readonly ModuleIR[],
): OutputFile[] {
  const roots = rootModules(modules);
  const constraints = renderConstraints(resolved, roots);
  const files = modules.map((module) => `${module.name}.v`);
  return [
    renderFusesocCore(resolved, modules, roots, constraints),
    ...roots.map((root) => renderIpxact(resolved, root, files)),
    ...constraints,
  ];
}
