/** What packaging needs to know about a design: its root modules and resolved port widths. */
import { evalExpr } from '../../dsl/expr';
import type { ModuleIR, Port } from '../../dsl/ir';

/** The clock port every sequential module has (DSL `clockAndReset`). */
export const CLOCK_PORT = 'clk_i';

/**
 * What a user integrates: the modules of `modules` that no other module of the list instantiates,
 * and `top`, which the integration shell wraps but which stands on its own too (its streams).
 */
export function rootModules(modules: readonly ModuleIR[]): ModuleIR[] {
  const used = new Set(
    modules.flatMap((module) => module.instances.map((instance) => instance.module.name)),
  );
  return modules.filter((module) => !used.has(module.name) || module.stem === 'top');
}

/** The root a single-toplevel package (FuseSoC default target) points at: `top` once it exists. */
export function primaryModule(roots: readonly ModuleIR[]): ModuleIR {
  const primary = roots.find((module) => module.stem === 'top') ?? roots[0];
  if (!primary) throw new Error('a design without modules cannot be packaged');
  return primary;
}

/** Width in bits of `port` with the module's parameters at their (config-resolved) defaults. */
export function portWidth(module: ModuleIR, port: Port): number {
  return evalExpr(port.width, new Map(module.params.map((param) => [param.name, param.value])));
}

export function hasClock(module: ModuleIR): boolean {
  return module.ports.some((port) => port.name === CLOCK_PORT);
}
