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

/** Builds (or reuses) a simulation binary for `sources`; returns the path of the executable. */
export async function verilatorBuild(
  sources: readonly SourceFile[],
  top: string,
  options: { waves: boolean },
): Promise<string> {
  const version = await requireTool('verilator');
  const flags = [
    '--binary',
    '--timing',
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
    .update(JSON.stringify({ version, flags, sources }))
    .digest('hex')
    .slice(0, 24);
  const buildDir = join(VERILATOR_CACHE, hash);
  const binary = join(buildDir, 'obj', 'Vsim');
  if (existsSync(binary)) return binary;
  const staging = `${buildDir}.tmp-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(join(staging, 'src'), { recursive: true });
  for (const source of sources) writeFileSync(join(staging, 'src', source.name), source.content);
  const paths = sources.map((s) => join('src', s.name));
  const args = [...flags, '-Mdir', 'obj', '-o', 'Vsim', ...paths];
  const result = await runTool('verilator', args, staging);
  if (!result.ok) {
    rmSync(staging, { recursive: true, force: true });
    throw new Error(`verilator build failed:\n${result.output}`);
  }
  // Another process may have finished the same build meanwhile; either copy is good.
  if (existsSync(binary)) rmSync(staging, { recursive: true, force: true });
  else renameSync(staging, buildDir);
  return binary;
}
