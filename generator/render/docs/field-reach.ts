/**
 * Which emitted modules each config field reaches, measured rather than declared, so the claim
 * cannot go stale: the field alone is moved to a neighbouring legal value, every module of the
 * design is rendered again, and the modules whose Verilog differs (or that appear or vanish) are
 * the ones it reaches. Files are compared with the first config's hash in their headers, so only
 * what the field does to the hardware counts.
 */
import type { FieldDomain } from '../../config/fields';
import { type Field, configFields } from '../../config/field-list';
import { type ResolvedConfig, resolveConfig } from '../../config/load';
import type { PresetName } from '../../config/presets';
import { InputError } from '../../errors';
import { designModules } from '../../modules';
import { renderModule } from '../design';

export interface FieldReach {
  path: string;
  /** The moves measured: this field's values, each with the other fields it had to move with. */
  moves: Record<string, unknown>[];
  /** Stems of the modules whose Verilog changes under any of the moves, in design order. */
  modules: string[];
}

/** Values near `value` that the field's own domain allows. */
function neighbours(domain: FieldDomain, value: unknown): unknown[] {
  switch (domain.kind) {
    case 'boolean':
      return [!value];
    case 'enum':
      return domain.values.filter((other) => other !== value);
    case 'text':
      return [`${value}x`];
    default: {
      const n = value as number;
      const steps = domain.kind === 'powerOfTwo' ? [n * 2, n / 2] : [n + 1, n - 1, n * 2];
      return steps.filter((v) => v >= domain.min && v <= domain.max);
    }
  }
}

/** Verilog of every module of `resolved`'s design by stem, headers carrying `hash`. */
function verilogByStem(resolved: ResolvedConfig, hash: string): Map<string, string> {
  const withHash = { ...resolved, hash };
  return new Map(
    designModules(resolved.config).map((module) => [module.stem, renderModule(module, withHash)]),
  );
}

/** The config of `preset` with the fields of `move` set, or undefined when the rules refuse it. */
function moved(preset: PresetName, move: Record<string, unknown>): ResolvedConfig | undefined {
  const sets = Object.entries(move).map(([path, value]) => `${path}=${value}`);
  try {
    return resolveConfig({ preset, sets });
  } catch (error) {
    if (error instanceof InputError) return undefined;
    throw error;
  }
}

/** Reach of every field at one preset. */
function reachAt(preset: PresetName): FieldReach[] {
  const resolved = resolveConfig({ preset });
  const { hash } = resolved;
  const base = verilogByStem(resolved, hash);
  const sections = resolved.config as unknown as Record<string, Record<string, unknown>>;
  const fields = configFields();
  const valuesOf = (field: Field) => {
    const [section, key] = field.path.split('.') as [string, string];
    return neighbours(field.domain, sections[section]?.[key]);
  };
  const single = (field: Field) => valuesOf(field).map((value) => ({ [field.path]: value }));
  // A field the rules tie to others (key bits = MSB + LSB bits) moves with one of them.
  const paired = (field: Field) =>
    fields
      .flatMap((other) => (other === field ? [] : single(other)))
      .flatMap((partner) => single(field).map((move) => ({ ...move, ...partner })));
  return fields.map((field) => {
    const legal = (moves: Record<string, unknown>[]) =>
      moves.flatMap((move) => {
        const other = moved(preset, move);
        return other === undefined ? [] : [{ move, other }];
      });
    const alone = legal(single(field));
    const runs = alone.length > 0 ? alone : legal(paired(field)).slice(0, 1);
    const reached = new Set<string>();
    for (const { other } of runs) {
      const files = verilogByStem(other, hash);
      for (const stem of new Set([...base.keys(), ...files.keys()])) {
        if (base.get(stem) !== files.get(stem)) reached.add(stem);
      }
    }
    return { path: field.path, moves: runs.map((run) => run.move), modules: [...reached] };
  });
}

/**
 * Reach of every field, measured at each of `presets` and joined: a field reaches a module when it
 * does at any of them (a field can matter only at some operating points).
 */
export function fieldReach(presets: readonly PresetName[]): FieldReach[] {
  const [first = 'fpga'] = presets;
  const order = designModules(resolveConfig({ preset: first }).config).map((m) => m.stem);
  const rank = (stem: string) => (order.includes(stem) ? order.indexOf(stem) : order.length);
  const joined = new Map<string, { moves: Record<string, unknown>[]; modules: Set<string> }>();
  for (const field of presets.flatMap(reachAt)) {
    const entry = joined.get(field.path) ?? { moves: [], modules: new Set<string>() };
    entry.moves.push(...field.moves);
    for (const stem of field.modules) entry.modules.add(stem);
    joined.set(field.path, entry);
  }
  return [...joined].map(([path, { moves, modules }]) => ({
    path,
    moves,
    modules: [...modules].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b)),
  }));
}

/** The reach column of `spatten config docs`: module stems, "every module" or "no module". */
export function reachText(reach: readonly FieldReach[]): Map<string, string> {
  const every = new Set(reach.flatMap((field) => field.modules)).size;
  return new Map(
    reach.map(({ path, modules }) => {
      if (modules.length === 0) return [path, 'no module'];
      if (modules.length === every) return [path, 'every module'];
      return [path, modules.map((stem) => `\`${stem}\``).join(', ')];
    }),
  );
}
