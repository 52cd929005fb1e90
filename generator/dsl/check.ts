/**
 * IR invariants: legal and unique identifiers, naming conventions, instance connections complete and
 * width-correct, no signal driven twice, structural modules fully driven with every net read.
 * Returns every problem found.
 */
import { type Env, evalExpr, exprParams } from './expr';
import { identifierProblem } from './identifiers';
import type { ModuleIR } from './ir';

/** The module's parameters and localparams at their default values. */
export function paramEnv(module: ModuleIR): Map<string, number> {
  const env = new Map(module.params.map((param) => [param.name, param.value]));
  for (const local of module.localparams) env.set(local.name, evalExpr(local.value, env));
  return env;
}

function checkNames(module: ModuleIR, problems: string[]): void {
  const seen = new Set<string>();
  const named = [
    ...module.params.map((p) => ({ name: p.name, what: 'parameter' })),
    ...module.localparams.map((p) => ({ name: p.name, what: 'localparam' })),
    ...module.ports.map((p) => ({ name: p.name, what: 'port' })),
    ...module.nets.map((n) => ({ name: n.name, what: 'net' })),
    ...module.instances.map((i) => ({ name: i.name, what: 'instance' })),
  ];
  for (const { name, what } of [{ name: module.name, what: 'module' }, ...named]) {
    const problem = identifierProblem(name);
    if (problem) problems.push(`${module.name}: ${what} ${problem}`);
  }
  for (const { name, what } of named) {
    if (seen.has(name)) problems.push(`${module.name}: duplicate name "${name}" (${what})`);
    seen.add(name);
  }
  for (const param of module.params) {
    if (!/^[A-Z][A-Za-z0-9]*$/.test(param.name))
      problems.push(`${module.name}: parameter "${param.name}" must be UpperCamelCase`);
  }
  for (const port of module.ports) {
    const suffix = port.direction === 'input' ? /_(i|ni)$/ : /_(o|no)$/;
    if (!suffix.test(port.name))
      problems.push(
        `${module.name}: ${port.direction} port "${port.name}" must end in ${port.direction === 'input' ? '_i' : '_o'}`,
      );
  }
  for (const instance of module.instances) {
    if (!instance.name.startsWith('u_'))
      problems.push(`${module.name}: instance "${instance.name}" must start with u_`);
  }
}

function checkWidthsResolve(module: ModuleIR, env: Env, problems: string[]): void {
  const known = new Set(env.keys());
  for (const signal of [...module.ports, ...module.nets]) {
    for (const name of exprParams(signal.width)) {
      if (!known.has(name))
        problems.push(`${module.name}: width of "${signal.name}" uses unknown parameter ${name}`);
    }
    if (
      exprParams(signal.width).every((name) => known.has(name)) &&
      evalExpr(signal.width, env) < 1
    ) {
      problems.push(
        `${module.name}: "${signal.name}" has width ${evalExpr(signal.width, env)} (must be at least 1)`,
      );
    }
  }
}

/** Ports are declared before localparams in Verilog-2005, so their widths may use parameters only. */
function checkPortWidthsUseParams(module: ModuleIR, problems: string[]): void {
  const params = new Set(module.params.map((param) => param.name));
  for (const port of module.ports) {
    for (const name of exprParams(port.width)) {
      if (!params.has(name))
        problems.push(
          `${module.name}: width of port "${port.name}" uses ${name}, which is not a parameter`,
        );
    }
  }
}

function checkInstances(module: ModuleIR, env: Env, problems: string[]): void {
  const signals = new Map([...module.ports, ...module.nets].map((s) => [s.name, s]));
  const drivers = new Map<string, string[]>();
  const read = new Set<string>();
  const addDriver = (signal: string, by: string) =>
    drivers.set(signal, [...(drivers.get(signal) ?? []), by]);
  for (const port of module.ports)
    if (port.direction === 'input') addDriver(port.name, `input port ${port.name}`);

  for (const instance of module.instances) {
    const child = instance.module;
    const childEnv = paramEnv(child);
    for (const [name, value] of Object.entries(instance.params)) {
      if (!child.params.some((param) => param.name === name)) {
        problems.push(`${module.name}.${instance.name}: ${child.name} has no parameter ${name}`);
        continue;
      }
      childEnv.set(name, evalExpr(value, env));
    }
    for (const local of child.localparams)
      childEnv.set(local.name, evalExpr(local.value, childEnv));
    for (const connected of Object.keys(instance.connections)) {
      if (!child.ports.some((port) => port.name === connected)) {
        problems.push(`${module.name}.${instance.name}: ${child.name} has no port ${connected}`);
      }
    }
    for (const port of child.ports) {
      const where = `${module.name}.${instance.name}.${port.name}`;
      const target = instance.connections[port.name];
      if (target === undefined) {
        problems.push(`${where}: unconnected port`);
        continue;
      }
      const signal = signals.get(target);
      if (!signal) {
        problems.push(`${where}: connected to unknown signal "${target}"`);
        continue;
      }
      const childWidth = evalExpr(port.width, childEnv);
      const parentWidth = evalExpr(signal.width, env);
      if (childWidth !== parentWidth) {
        problems.push(
          `${where}: width mismatch, port is ${childWidth} bits but "${target}" is ${parentWidth} bits`,
        );
      }
      if (port.direction === 'output') addDriver(target, `${instance.name}.${port.name}`);
      else read.add(target);
    }
  }

  for (const [signal, by] of drivers) {
    if (by.length > 1)
      problems.push(`${module.name}: "${signal}" is driven more than once (${by.join(', ')})`);
  }
  if (module.body === 'structural') {
    const needDriver = [
      ...module.nets,
      ...module.ports.filter((port) => port.direction === 'output'),
    ];
    for (const signal of needDriver) {
      if (!drivers.has(signal.name))
        problems.push(`${module.name}: "${signal.name}" is never driven`);
    }
    // A net the connections imply (a misspelt signal among them) has no other reader.
    for (const net of module.nets) {
      if (!read.has(net.name)) problems.push(`${module.name}: "${net.name}" is never read`);
    }
  }
}

export function checkModule(module: ModuleIR): string[] {
  const problems: string[] = [];
  checkNames(module, problems);
  const env = paramEnv(module);
  checkWidthsResolve(module, env, problems);
  checkPortWidthsUseParams(module, problems);
  if (problems.length === 0) checkInstances(module, env, problems);
  return problems;
}
