/** -G overrides that take a module emitted for one config to the parameter values of another. */
import type { ModuleIR } from '../../generator/dsl/ir';

/** `module`'s parameters whose value in `other` (the same module at a second config) differs. */
export function overridesTo(module: ModuleIR, other: ModuleIR): Record<string, number> {
  return Object.fromEntries(
    module.params.flatMap((param) => {
      const value = other.params.find((p) => p.name === param.name)?.value;
      return value === undefined || value === param.value ? [] : [[param.name, value] as const];
    }),
  );
}
