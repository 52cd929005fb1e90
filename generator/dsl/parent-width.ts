/**
 * A child port's width as the parent sees it: an expression over the parent's parameters, so a net
 * declared with it still fits the port when the parent is re-parameterized with -G.
 */
import { type Expr, lit, ref, substitute } from './expr';
import type { Instance, Localparam } from './ir';

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

/**
 * A function that writes every part of a width that equals one of the parent's localparams as its
 * name, so an implied net reads `[CountWidth-1:0]` rather than the expression it stands for. Both
 * sides are compared with localparams expanded; the largest matching part wins, constants stay
 * numbers. The localparams are expanded once, for all the nets of a module.
 */
export function namedInParent(localparams: readonly Localparam[]): (width: Expr) => Expr {
  const values = new Map(localparams.map((local) => [local.name, local.value]));
  const expand = (expr: Expr): Expr =>
    substitute(expr, (name) => {
      const value = values.get(name);
      return value ? expand(value) : ref(name);
    });
  const names = new Map<string, string>();
  for (const local of localparams) {
    const key = JSON.stringify(expand(local.value));
    if (local.value.kind !== 'const' && !names.has(key)) names.set(key, local.name);
  }
  const name = (expr: Expr): Expr => {
    const known = names.get(JSON.stringify(expr));
    if (known) return ref(known);
    switch (expr.kind) {
      case 'const':
      case 'param':
        return expr;
      case 'clog2':
      case 'divisor':
        return { ...expr, arg: name(expr.arg) };
      default:
        return { ...expr, left: name(expr.left), right: name(expr.right) };
    }
  };
  return (width) => name(expand(width));
}
