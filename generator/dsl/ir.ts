/**
 * The hardware IR: what a module looks like from outside (parameters, ports, stream bundles) and how
 * structural modules wire submodules together. Module bodies are Verilog in templates; the IR holds
 * everything the checker and the packaging need.
 */
import type { Expr } from './expr';

export type Direction = 'input' | 'output';

export interface Param {
  name: string;
  /** Default value, resolved from the config. */
  value: number;
  doc: string;
}

export interface Localparam {
  name: string;
  value: Expr;
  doc: string;
}

export interface Port {
  name: string;
  direction: Direction;
  width: Expr;
  doc: string;
  /** Stream bundle this port belongs to, if any. */
  bundle?: string;
}

export interface StreamField {
  name: string;
  width: Expr;
  doc: string;
}

/** A valid/ready stream (DESIGN §3). `in` streams are consumed by the module, `out` streams produced. */
export interface Stream {
  name: string;
  direction: 'in' | 'out';
  fields: StreamField[];
  last: boolean;
  doc: string;
}

export interface Net {
  name: string;
  width: Expr;
  doc: string;
}

/** A connection from a submodule port to a whole signal (port or net) of the parent. */
export interface Instance {
  name: string;
  module: ModuleIR;
  /** Parameter overrides, expressions over the parent's parameters. */
  params: Record<string, Expr>;
  connections: Record<string, string>;
  doc: string;
}

export interface ModuleIR {
  /** Full Verilog module name, prefix included. */
  name: string;
  /** Hardware concept stem (snake_case): selects the template `templates/<stem>.v.hbs`. */
  stem: string;
  /** One-line purpose for the file header and docs. */
  doc: string;
  params: Param[];
  localparams: Localparam[];
  ports: Port[];
  streams: Stream[];
  nets: Net[];
  instances: Instance[];
  /**
   * 'structural': the module is only its instances, so every output and net must be driven by
   * exactly one instance output. 'template': the template's body drives the rest.
   */
  body: 'structural' | 'template';
}
