/**
 * The only writer of output directories. Files are written to a temporary sibling directory, then the
 * directory is swapped into place, so a failure never leaves a partial output and a reader never sees a
 * half-written one. Bad output paths are rejected before anything is written.
 */
import { existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { InputError } from '../errors';
import type { OutputFile } from './design';

/** Throws InputError when `outDir` cannot become an output directory. Writes nothing. */
export function checkOutputDir(outDir: string): void {
  const target = resolve(outDir);
  if (existsSync(target) && !statSync(target).isDirectory()) {
    throw new InputError(`--out ${outDir}: is a file, not a directory (give a directory path)`);
  }
  let parent = dirname(target);
  while (!existsSync(parent)) parent = dirname(parent);
  if (!statSync(parent).isDirectory()) {
    throw new InputError(`--out ${outDir}: ${parent} is a file, not a directory`);
  }
}

export function writeOutputDir(outDir: string, files: readonly OutputFile[]): void {
  checkOutputDir(outDir);
  const target = resolve(outDir);
  const parent = dirname(target);
  mkdirSync(parent, { recursive: true });
  const staging = join(parent, `.${basename(target)}.tmp-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  try {
    for (const file of files) {
      const path = join(staging, file.path);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, file.content);
    }
    const previous = join(parent, `.${basename(target)}.old-${process.pid}`);
    if (existsSync(target)) renameSync(target, previous);
    renameSync(staging, target);
    rmSync(previous, { recursive: true, force: true });
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
