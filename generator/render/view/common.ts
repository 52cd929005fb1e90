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
import { MAX_COLUMNS, breakCode } from '../columns';

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

/** Declarations up to this length align their comments (the rest of the 100 columns is prose). */
const ALIGNED_DECLARATION = 44;
/** Net ranges up to this length align the names after them. */
const ALIGNED_RANGE = 24;

function portDeclaration(port: Port): string {
  const direction = port.direction === 'input' ? 'input ' : 'output';
  // Indented two columns, followed by a comma; continuation lines hang under the range.
  return breakCode(`${direction} wire ${rangeOf(port.width)}${port.name}`, 2, 13, 1);
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

/**
 * Where a declaration's doc goes: after it on the same line when the line fits, else on comment
 * lines above it (wrapped at render), so a doc never splits a declaration broken over lines.
 */
function placeDoc(line: string, doc: string): { docAbove?: string; docAfter?: string } {
  const fits = !line.includes('\n') && line.length + ' // '.length + doc.length <= MAX_COLUMNS;
  return fits ? { docAfter: doc } : { docAbove: doc };
}

/** The nets, names aligned after the widest range short enough to leave them room. */
function netViews(module: ModuleIR) {
  const ranges = module.nets.map((n) => rangeOf(n.width));
  const widest = Math.max(0, ...ranges.map((r) => r.length).filter((l) => l <= ALIGNED_RANGE));
  return module.nets.map((n, index) => {
    const range = ranges[index] ?? '';
    const padded = range.padEnd(widest);
    const declaration = breakCode(`wire ${padded}${n.name};`, 2, 6);
    return { declaration, ...placeDoc(`  ${declaration}`, n.doc) };
  });
}

export function commonView(module: ModuleIR, input: RenderInput) {
  const declarations = module.ports.map(portDeclaration);
  // Trailing comments line up after the widest declaration short enough to leave them room; a
  // longer one takes a single space (and its comment may wrap onto the lines above it).
  const widest = Math.max(
    0,
    ...declarations.map((d) => d.length).filter((length) => length <= ALIGNED_DECLARATION),
  );
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
    const decl = declarations[index] ?? '';
    // Pad so the trailing comments line up; the comma (absent on the last port) counts as one.
    const pad = ' '.repeat(Math.max(0, widest - decl.length) + (last ? 1 : 0));
    return {
      decl,
      pad,
      ...placeDoc(`  ${decl},${pad}`, port.doc),
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
        declaration: breakCode(`localparam integer ${l.name} = ${renderExpr(l.value)};`, 2, 4),
        doc: l.doc,
      })),
      nets: netViews(module),
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
