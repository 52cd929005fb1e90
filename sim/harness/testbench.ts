/**
 * Builds the stream testbench for a DUT from its IR: one driver per input stream, one monitor per output
 * stream, random stalls everywhere, constants or testbench attachments on the remaining ports.
 */
import { fileURLToPath } from 'node:url';
import type { ResolvedConfig } from '../../generator/config/load';
import { resetPortName } from '../../generator/dsl/builder';
import { evalExpr } from '../../generator/dsl/expr';
import type { ModuleIR, Stream } from '../../generator/dsl/ir';
import { renderTemplateFile } from '../../generator/render/engine';
import { type BeatLayout, beatWidth } from './vectors';

const TEMPLATE = fileURLToPath(new URL('./stream_tb.v.hbs', import.meta.url));

export interface TestbenchAttachment {
  /** Extra simulation-only source files (absolute paths); one named like a module file replaces it. */
  files: string[];
  /** Declarations and instances placed inside the testbench module. */
  verilog: string;
  /** DUT port -> testbench signal. */
  connect: Record<string, string>;
  /** Data files (name -> text) written into the run directory, e.g. memory images for $readmemh. */
  dataFiles?: Record<string, string>;
  /**
   * The attachment's own checks of the run (e.g. a bus model's rule violations): problems found in
   * the simulator's output. They count towards pass/fail like the testbench's stream checks.
   */
  checkLog?: (log: string) => string[];
}

export interface TestbenchSpec {
  resolved: ResolvedConfig;
  top: ModuleIR;
  params: Record<string, number>;
  /** Beats per input stream (memory depth is rounded up so small changes reuse a Verilator build). */
  inputCounts: Record<string, number>;
  constants: Record<string, bigint>;
  extra?: TestbenchAttachment | undefined;
}

/** Parameter values of the DUT with overrides applied, localparams included. */
export function dutEnv(top: ModuleIR, params: Record<string, number>): Map<string, number> {
  const env = new Map(top.params.map((p) => [p.name, params[p.name] ?? p.value]));
  for (const local of top.localparams) env.set(local.name, evalExpr(local.value, env));
  return env;
}

export function streamLayout(stream: Stream, env: ReadonlyMap<string, number>): BeatLayout {
  return {
    fields: stream.fields.map((f) => ({ name: f.name, width: evalExpr(f.width, env) })),
    hasLast: stream.last,
  };
}

/** What the testbench template shows of every stream: its slot, name, beat width and field layout. */
function streamView(stream: Stream, index: number, layout: BeatLayout) {
  const width = beatWidth(layout);
  const fields = [
    ...layout.fields.map((f) => `${f.name}:${f.width}`),
    ...(layout.hasLast ? ['last:1'] : []),
  ];
  return { index, name: stream.name, width, msb: width - 1, layout: fields.join(' ') };
}

function depthFor(count: number): number {
  let depth = 16;
  while (depth < count) depth *= 2;
  return depth;
}

export function renderTestbench(spec: TestbenchSpec): string {
  const { top, resolved } = spec;
  for (const name of Object.keys(spec.params)) {
    if (!top.params.some((p) => p.name === name))
      throw new Error(`${top.name} has no parameter ${name}`);
  }
  const env = dutEnv(top, spec.params);
  const connections: { port: string; signal: string }[] = [];
  const connected = new Set<string>();
  const connect = (port: string, signal: string) => {
    connections.push({ port, signal });
    connected.add(port);
  };
  const reset = resetPortName(resolved.config);
  connect('clk_i', 'clk');
  connect(reset, reset);

  const inputs = top.streams
    .filter((s) => s.direction === 'in')
    .map((stream, index) => {
      const layout = streamLayout(stream, env);
      const width = beatWidth(layout);
      let bit = width;
      connect(`${stream.name}_valid_i`, `in${index}_valid`);
      connect(`${stream.name}_ready_o`, `in${index}_ready`);
      for (const field of layout.fields) {
        connect(
          `${stream.name}_${field.name}_i`,
          `in${index}_beat[${bit - 1}:${bit - field.width}]`,
        );
        bit -= field.width;
      }
      if (layout.hasLast) connect(`${stream.name}_last_i`, `in${index}_beat[0]`);
      return {
        ...streamView(stream, index, layout),
        depthMsb: depthFor(spec.inputCounts[stream.name] ?? 0) - 1,
        multiplier: 2 * index + 3,
      };
    });

  const outputs = top.streams
    .filter((s) => s.direction === 'out')
    .map((stream, index) => {
      const layout = streamLayout(stream, env);
      connect(`${stream.name}_valid_o`, `out${index}_valid`);
      connect(`${stream.name}_ready_i`, `out${index}_ready`);
      const fields = layout.fields.map((f) => ({ name: f.name, msb: f.width - 1 }));
      if (layout.hasLast) fields.push({ name: 'last', msb: 0 });
      for (const field of fields)
        connect(`${stream.name}_${field.name}_o`, `out${index}_${field.name}`);
      return {
        ...streamView(stream, index, layout),
        fields,
        concat: fields.map((f) => `out${index}_${f.name}`).join(', '),
        multiplier: 2 * index + 101,
      };
    });

  for (const [port, signal] of Object.entries(spec.extra?.connect ?? {})) connect(port, signal);
  for (const [port, value] of Object.entries(spec.constants)) {
    const declared = top.ports.find((p) => p.name === port);
    if (declared?.direction !== 'input')
      throw new Error(`constant for ${port}: ${top.name} has no such input`);
    const width = evalExpr(declared.width, env);
    connect(port, `${width}'h${value.toString(16)}`);
  }
  const missing = top.ports.filter((p) => !connected.has(p.name)).map((p) => p.name);
  if (missing.length > 0)
    throw new Error(`testbench for ${top.name}: ports not connected: ${missing.join(', ')}`);
  // Keep the DUT's port order so the instance reads like the module.
  const order = new Map(top.ports.map((p, i) => [p.name, i]));
  connections.sort((a, b) => (order.get(a.port) ?? 0) - (order.get(b.port) ?? 0));

  const done = [
    ...inputs.map(
      (i) =>
        `in${i.index}_next >= in${i.index}_count && (!in${i.index}_valid || in${i.index}_fire)`,
    ),
    ...outputs.map((o) => `out${o.index}_got >= out${o.index}_expect`),
  ];
  return renderTemplateFile(TEMPLATE, {
    dut: {
      module: top.name,
      params: Object.entries(spec.params).map(([name, value]) => ({ name, value })),
      connections,
    },
    reset: {
      port: reset,
      active: resolved.config.reset.activeLow ? "1'b0" : "1'b1",
      inactive: resolved.config.reset.activeLow ? "1'b1" : "1'b0",
    },
    inputs,
    outputs,
    extra: spec.extra?.verilog ?? '',
    doneCondition: done.length > 0 ? done.join(' && ') : '1',
  });
}
