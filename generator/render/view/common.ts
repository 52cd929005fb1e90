/**
 * The view parts every module template shares: file header, module declaration (parameters, ports,
 * localparams), nets and instances, and the reset style. Module views add their own values on top.
 */
import type { Config } from '../../config/schema';
import { resetPortName } from '../../dsl/builder';
import { type Expr, renderExpr, sub } from '../../dsl/expr';
import type { ModuleIR, Port } from '../../dsl/ir';
import type { ResetView } from '../helpers';
import { GENERATOR_NAME, GENERATOR_VERSION } from '../../version';

export interface RenderInput {
  config: Config;
  preset: string;
  configHash: string;
}

/** `[W-1:0] ` for vectors, '' for single bits. */
export function rangeOf(width: Expr): string {
  if (width.kind === 'const' && width.value === 1) return '';
  if (width.kind === 'const') return `[${width.value - 1}:0] `;
  return `[${renderExpr(sub(width, 1))}:0] `;
}

function portDeclaration(port: Port): string {
  const direction = port.direction === 'input' ? 'input ' : 'output';
  return `${direction} wire ${rangeOf(port.width)}${port.name}`;
}

function resetView(config: Config): ResetView {
  const port = resetPortName(config);
  const edge = config.reset.activeLow ? 'negedge' : 'posedge';
  return {
    port,
    sensitivity: config.reset.style === 'async' ? ` or ${edge} ${port}` : '',
    active: config.reset.activeLow ? `!${port}` : port,
  };
}

export function commonView(module: ModuleIR, input: RenderInput) {
  const declarations = module.ports.map(portDeclaration);
  const widest = Math.max(...declarations.map((d) => d.length));
  const bundleDocs = new Map(
    module.streams.map((s) => [
      s.name,
      `${s.direction === 'in' ? 'Input' : 'Output'} stream ${s.name}: ${s.doc}`,
    ]),
  );
  const ports = module.ports.map((port, index) => {
    const previous = module.ports[index - 1];
    const startsBundle = port.bundle !== undefined && previous?.bundle !== port.bundle;
    const last = index === module.ports.length - 1;
    return {
      decl: declarations[index],
      // Pad so the trailing comments line up; the comma (absent on the last port) counts as one column.
      pad: ' '.repeat(widest - (declarations[index] ?? '').length + (last ? 1 : 0)),
      doc: port.doc,
      banner: startsBundle ? bundleDocs.get(port.bundle ?? '') : undefined,
    };
  });
  return {
    header: {
      purpose: module.doc,
      generator: GENERATOR_NAME,
      version: GENERATOR_VERSION,
      preset: input.preset,
      configHash: input.configHash,
      params:
        module.params.length > 0
          ? module.params.map((p) => `${p.name}=${p.value}`).join(' ')
          : '(none)',
    },
    module: {
      name: module.name,
      params: module.params,
      ports,
      localparams: module.localparams.map((l) => ({
        name: l.name,
        value: renderExpr(l.value),
        doc: l.doc,
      })),
      nets: module.nets.map((n) => ({ name: n.name, range: rangeOf(n.width), doc: n.doc })),
      instances: module.instances.map((instance) => ({
        module: instance.module.name,
        name: instance.name,
        doc: instance.doc,
        params: Object.entries(instance.params).map(([name, value]) => ({
          name,
          value: renderExpr(value),
        })),
        connections: instance.module.ports.map((port) => ({
          port: port.name,
          signal: instance.connections[port.name],
        })),
      })),
    },
    reset: resetView(input.config),
  };
}
