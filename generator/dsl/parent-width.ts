/**
 * A child port's width as the parent sees it: an expression over the parent's parameters, so a net
 * declared with it still fits the port when the parent is re-parameterized with -G.
 */
import { type Expr, lit, substitute } from './expr';
import type { Instance } from './ir';

export function widthInParent(instance: Instance, width: Expr): Expr {
  const child = instance.module;
  const locals = new Map(child.localparams.map((local) => [local.name, local.value]));
  const defaults = new Map(child.params.map((param) => [param.name, param.value]));
  const bind = (name: string): Expr => {
    const local = locals.get(name);
    if (local) return substitute(local, bind);
    // An override is already over the parent's parameters; without one the child keeps its default.
    const given = instance.params[name];
    if (given) return given;
    const value = defaults.get(name);
    if (value === undefined) throw new Error(`${child.name} has no parameter ${name}`);
    return lit(value);
  };
  return substitute(width, bind);
}
