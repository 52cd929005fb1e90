/**
 * Builders for the IR. A module file describes its interface with these calls; `build()` runs the IR
 * checks and throws a DslError naming every problem, so a bad module never reaches a template.
 */
import type { Config } from '../config/schema';
import { type Expr, type ExprLike, ref, toExpr } from './expr';
import { checkModule } from './check';
import { namedInParent, widthInParent } from './parent-width';
import type { Instance, Localparam, ModuleIR, Net, Param, Port, Stream, StreamField } from './ir';

export class DslError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid hardware description:\n  ${problems.join('\n  ')}`);
    this.name = 'DslError';
  }
}

export interface FieldSpec {
  width: ExprLike;
  doc: string;
}

export interface StreamSpec {
  doc: string;
  fields: Record<string, FieldSpec>;
  last?: boolean;
}

/** Name of the reset port for the configured polarity. */
export function resetPortName(config: Config): string {
  return config.reset.activeLow ? 'rst_ni' : 'rst_i';
}

export class ModuleBuilder {
  private readonly params: Param[] = [];
  private readonly localparams: Localparam[] = [];
  private readonly ports: Port[] = [];
  private readonly streams: Stream[] = [];
  private readonly nets: Net[] = [];
  private readonly instances: Instance[] = [];

  /**
   * @param stem hardware concept in snake_case; the module is named prefix + stem.
   */
  constructor(
    private readonly config: Config,
    private readonly stem: string,
    private readonly doc: string,
    private readonly body: ModuleIR['body'] = 'template',
  ) {}

  get resetPort(): string {
    return resetPortName(this.config);
  }

  get name(): string {
    return `${this.config.design.modulePrefix}${this.stem}`;
  }

  /** Adds clk_i and the reset port in the configured polarity. */
  clockAndReset(): this {
    this.input('clk_i', 1, 'Clock; everything is rising-edge triggered.');
    const active = this.config.reset.activeLow ? 'low' : 'high';
    this.input(
      resetPortName(this.config),
      1,
      `Reset, ${this.config.reset.style}, active ${active}.`,
    );
    return this;
  }

  param(name: string, value: number, doc: string): Expr {
    this.params.push({ name, value, doc });
    return ref(name);
  }

  localparam(name: string, value: ExprLike, doc: string): Expr {
    this.localparams.push({ name, value: toExpr(value), doc });
    return ref(name);
  }

  input(name: string, width: ExprLike, doc: string, bundle?: string): this {
    this.ports.push({
      name,
      direction: 'input',
      width: toExpr(width),
      doc,
      ...(bundle ? { bundle } : {}),
    });
    return this;
  }

  output(name: string, width: ExprLike, doc: string, bundle?: string): this {
    this.ports.push({
      name,
      direction: 'output',
      width: toExpr(width),
      doc,
      ...(bundle ? { bundle } : {}),
    });
    return this;
  }

  /** A stream the module consumes: <name>_valid_i, <name>_ready_o, <name>_<field>_i, <name>_last_i. */
  streamIn(name: string, spec: StreamSpec): this {
    return this.stream(name, 'in', spec);
  }

  /** A stream the module produces: <name>_valid_o, <name>_ready_i, <name>_<field>_o, <name>_last_o. */
  streamOut(name: string, spec: StreamSpec): this {
    return this.stream(name, 'out', spec);
  }

  private stream(name: string, direction: Stream['direction'], spec: StreamSpec): this {
    const fields: StreamField[] = Object.entries(spec.fields).map(([field, f]) => ({
      name: field,
      width: toExpr(f.width),
      doc: f.doc,
    }));
    const last = spec.last ?? true;
    this.streams.push({ name, direction, fields, last, doc: spec.doc });
    const [into, from] =
      direction === 'in' ? (['input', 'output'] as const) : (['output', 'input'] as const);
    const sfx = (dir: 'input' | 'output') => (dir === 'input' ? 'i' : 'o');
    this[into](`${name}_valid_${sfx(into)}`, 1, `${spec.doc}: beat valid.`, name);
    this[from](
      `${name}_ready_${sfx(from)}`,
      1,
      `${spec.doc}: beat accepted when valid and ready.`,
      name,
    );
    for (const field of fields)
      this[into](`${name}_${field.name}_${sfx(into)}`, field.width, field.doc, name);
    if (last)
      this[into](`${name}_last_${sfx(into)}`, 1, `${spec.doc}: final beat of the packet.`, name);
    return this;
  }

  net(name: string, width: ExprLike, doc: string): this {
    this.nets.push({ name, width: toExpr(width), doc });
    return this;
  }

  instance(
    name: string,
    module: ModuleIR,
    params: Record<string, ExprLike>,
    connections: Record<string, string>,
    doc: string,
  ): this {
    const exprs = Object.fromEntries(
      Object.entries(params).map(([key, value]) => [key, toExpr(value)]),
    );
    this.instances.push({ name, module, params: exprs, connections, doc });
    return this;
  }

  build(): ModuleIR {
    const declared = new Set([...this.ports, ...this.nets].map((signal) => signal.name));
    const named = namedInParent(this.localparams);
    const module: ModuleIR = {
      name: this.name,
      stem: this.stem,
      doc: this.doc,
      params: [...this.params],
      localparams: [...this.localparams],
      ports: [...this.ports],
      streams: [...this.streams],
      // Widths read as the localparams they equal, whether declared or implied.
      nets: [...this.nets, ...instanceNets(declared, this.instances)].map((net) => ({
        ...net,
        width: named(net.width),
      })),
      instances: [...this.instances],
      body: this.body,
    };
    const problems = checkModule(module);
    if (problems.length > 0) throw new DslError(problems);
    return module;
  }
}

/**
 * The nets the connections imply: a signal that no port or net declares, connected to instance
 * ports, is a net with the width of the port that drives it (of the first port, if none does) as
 * the parent sees it, so it follows the parent's parameters. A misspelt signal becomes a net
 * nothing drives or nothing reads, which Verilator -Wall reports.
 */
function instanceNets(declared: ReadonlySet<string>, instances: Instance[]): Net[] {
  const widthFrom = new Map<string, { instance: Instance; port: Port }>();
  for (const instance of instances) {
    for (const [name, signal] of Object.entries(instance.connections)) {
      const port = instance.module.ports.find((p) => p.name === name);
      if (declared.has(signal) || !port) continue; // an unknown port is the checker's to report
      if (!widthFrom.has(signal) || port.direction === 'output')
        widthFrom.set(signal, { instance, port });
    }
  }
  return [...widthFrom].map(([signal, { instance, port }]) => ({
    name: signal,
    width: widthInParent(instance, port.width),
    doc: port.doc,
  }));
}

/**
 * Connects every port of `child` stream `childBundle` to parent signals named with `parentPrefix`
 * (e.g. child in_* ports to parent nets mid_*), the usual way two stream stages are chained.
 */
export function streamConnections(
  child: ModuleIR,
  childBundle: string,
  parentSignal: (field: string, port: Port) => string,
): Record<string, string> {
  const connections: Record<string, string> = {};
  for (const port of child.ports.filter((p) => p.bundle === childBundle)) {
    const field = port.name.slice(childBundle.length + 1).replace(/_(i|o)$/, '');
    connections[port.name] = parentSignal(field, port);
  }
  return connections;
}
