/**
 * Verilator behind a typed wrapper: lint, and testbench builds cached by content hash (sources, flags and
 * tool version), because a Verilator build costs tens of seconds and the same testbench runs many times.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type ToolRun, requireTool, runTool } from './tools';

export type { ToolRun } from './tools';

export interface SourceFile {
  name: string;
  content: string;
}

/**
 * `verilator --lint-only -Wall` on `files` with `top` as the top module; no waivers. `overrides`
 * re-parameterize the top module (-G).
 */
export async function verilatorLint(
  dir: string,
  files: readonly string[],
  top: string,
  overrides: Readonly<Record<string, number>> = {},
): Promise<ToolRun> {
  const set = Object.entries(overrides).map(([name, value]) => `-G${name}=${value}`);
  return runTool('verilator', ['--lint-only', '-Wall', ...set, '--top-module', top, ...files], dir);
}

export const VERILATOR_CACHE = resolve(process.env.SPATTEN_CACHE ?? '.cache', 'verilator');

/**
 * A testbench driven from C++ instead of Verilog: `cpp` holds its main (it ticks the clock), `c`
 * C99 sources built with gcc -Werror and linked in (a host driver), `headers` what both include.
 */
export interface HostProgram {
  cpp: readonly SourceFile[];
  c: readonly SourceFile[];
  headers: readonly SourceFile[];
}

/**
 * Builds (or reuses) a simulation binary for `sources`; returns the path of the executable. With
 * `host`, the top module has no testbench of its own: the C++ main drives it.
 */
export async function verilatorBuild(
  sources: readonly SourceFile[],
  top: string,
  options: { waves: boolean; host?: HostProgram },
): Promise<string> {
  const version = await requireTool('verilator');
  const { host } = options;
  const flags = [
    ...(host ? ['--cc', '--exe', '--build'] : ['--binary', '--timing']),
    '-Wno-fatal',
    '-Wno-lint',
    '-Wno-style',
    '-Wno-TIMESCALEMOD',
    '--top-module',
    top,
    '-j',
    '2',
  ];
  if (options.waves) flags.push('--trace');
  const hash = createHash('sha256')
    .update(JSON.stringify({ version, flags, sources, host }))
    .digest('hex')
    .slice(0, 24);
  const buildDir = join(VERILATOR_CACHE, hash);
  const binary = join(buildDir, 'obj', 'Vsim');
  if (existsSync(binary)) return binary;
  const staging = `${buildDir}.tmp-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(join(staging, 'src'), { recursive: true });
  const files = [...sources, ...(host?.cpp ?? []), ...(host?.c ?? []), ...(host?.headers ?? [])];
  for (const source of files) writeFileSync(join(staging, 'src', source.name), source.content);
  const fail = (output: string) => {
    rmSync(staging, { recursive: true, force: true });
    return new Error(`verilator build failed:\n${output}`);
  };
  const objects: string[] = [];
  for (const source of host?.c ?? []) {
    const object = join(staging, `${source.name}.o`);
    const args = ['-std=c99', '-Wall', '-Wextra', '-Werror', '-O1', '-c', join('src', source.name)];
    const built = await runTool('gcc', [...args, '-o', object], staging);
    if (!built.ok) throw fail(built.output);
    objects.push(object);
  }
  const hostFlags = host ? ['-CFLAGS', '-I../src', '-LDFLAGS', objects.join(' ')] : [];
  const paths = [...sources, ...(host?.cpp ?? [])].map((s) => join('src', s.name));
  const args = [...flags, ...hostFlags, '-Mdir', 'obj', '-o', 'Vsim', ...paths];
  const result = await runTool('verilator', args, staging);
  if (!result.ok) throw fail(result.output);
  // Another process may have finished the same build meanwhile; either copy is good.
  if (existsSync(binary)) rmSync(staging, { recursive: true, force: true });
  else renameSync(staging, buildDir);
  return binary;
}
