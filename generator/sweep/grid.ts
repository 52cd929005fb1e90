/**
 * The grid of a sweep: `--grid key.path=v1,v2` axes, checked against the config tree, expanded into
 * points (cartesian product, first axis slowest) and split into shards for a scheduler's array jobs.
 */
import { createHash } from 'node:crypto';
import { parseDocument } from 'yaml';
import type { Config } from '../config/schema';
import { InputError, clip, showValue } from '../errors';

export interface Axis {
  /** The key path as written; `a.b,c.d` links several keys that take the same value together. */
  path: string;
  paths: string[];
  /** Values as the user wrote them (each becomes a `--set path=value`). */
  values: string[];
}

export interface GridPoint {
  /** Position in the full grid, 0-based. */
  index: number;
  /** Stable name from the point's settings, so a resumed or merged sweep finds it again. */
  id: string;
  /** The grid value of each axis, by key path. */
  settings: Record<string, string>;
}

function leafPaths(tree: unknown, prefix = ''): string[] {
  if (typeof tree !== 'object' || tree === null || Array.isArray(tree)) return [prefix];
  return Object.entries(tree).flatMap(([key, value]) =>
    leafPaths(value, prefix ? `${prefix}.${key}` : key),
  );
}

/**
 * Parses one `--grid key.path=v1,v2,...`; every key must be a leaf of `config`. Linked keys
 * (`topk.parallelism,softmax.lanes=2,4`) move together, for parameters a rule requires to be equal.
 */
export function parseAxis(text: string, config: Config): Axis {
  const match = /^([A-Za-z][A-Za-z0-9.,]*)=(.+)$/.exec(text);
  if (!match) {
    throw new InputError(
      `--grid ${showValue(text)}: expected key.path=v1,v2,... e.g. topk.parallelism=2,4,8`,
    );
  }
  const path = match[1] as string;
  const paths = path.split(',');
  const leaves = leafPaths(config);
  const unknown = paths.find((key) => !leaves.includes(key));
  if (unknown !== undefined) {
    const sections = Object.keys(config).join(', ');
    throw new InputError(
      `--grid ${clip(unknown)}: not a config key path ` +
        `(sections: ${sections}; see spatten config print)`,
    );
  }
  const values = (match[2] as string).split(',').map((value) => value.trim());
  if (values.some((value) => value === '')) {
    throw new InputError(`--grid ${showValue(text)}: empty value in the list`);
  }
  const duplicate = values.find((value, index) => values.indexOf(value) !== index);
  if (duplicate !== undefined) {
    throw new InputError(`--grid ${clip(path)}: value ${clip(duplicate)} is listed twice`);
  }
  return { path, paths, values };
}

export function checkAxes(axes: readonly Axis[]): void {
  if (axes.length === 0)
    throw new InputError('--grid: give at least one axis, e.g. --grid topk.parallelism=2,4,8');
  const paths = axes.flatMap((axis) => axis.paths);
  const repeated = paths.find((path, index) => paths.indexOf(path) !== index);
  if (repeated !== undefined)
    throw new InputError(
      `--grid ${repeated}: axis given twice (list all its values in one --grid)`,
    );
}

/** A display form of a grid value: numbers and booleans as YAML reads them, everything else as written. */
export function gridValue(text: string): string | number | boolean {
  const value: unknown = parseDocument(text).toJS();
  return typeof value === 'number' || typeof value === 'boolean' ? value : text;
}

/** The `--set` assignments of a point: each axis value applied to every key of the axis. */
export function pointAssignments(axes: readonly Axis[], point: GridPoint): string[] {
  return axes.flatMap((axis) => axis.paths.map((path) => `${path}=${point.settings[axis.path]}`));
}

/** `context` names everything else a point's result depends on (base config, target, metrics). */
export function expandGrid(axes: readonly Axis[], context: string): GridPoint[] {
  let combos: Record<string, string>[] = [{}];
  for (const axis of axes)
    combos = combos.flatMap((combo) =>
      axis.values.map((value) => ({ ...combo, [axis.path]: value })),
    );
  return combos.map((settings, index) => {
    const key = Object.entries(settings)
      .map(([path, value]) => `${path}=${value}`)
      .join(' ');
    return {
      index,
      id: `p-${createHash('sha256').update(`${context}\n${key}`).digest('hex').slice(0, 12)}`,
      settings,
    };
  });
}

/** `i/n` with 1 <= i <= n: shard i takes points i-1, i-1+n, ... (round robin balances slow corners). */
export function parseShard(text: string): { index: number; count: number } {
  const match = /^(\d+)\/(\d+)$/.exec(text);
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index < 1 || index > count) {
    throw new InputError(`--shard ${showValue(text)}: expected i/n with 1 <= i <= n, e.g. 2/4`);
  }
  return { index, count };
}

export function shardPoints(
  points: readonly GridPoint[],
  shard: { index: number; count: number },
): GridPoint[] {
  return points.filter((point) => point.index % shard.count === shard.index - 1);
}
