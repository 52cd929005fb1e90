/**
 * The marker that makes an output folder this tool's: `.spatten-output.json`, listing every file
 * the tool wrote there and the kind of output the folder holds. The writer (write.ts) replaces or
 * removes only listed files, only in a folder of the same kind; anything else there is the user's.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GENERATOR_NAME } from '../version';

export const OUTPUT_MARKER = '.spatten-output.json';

/** What a folder holds, so which command may write it (synth --out adds reports to a design). */
export const OUTPUT_KINDS = {
  design: 'spatten generate',
  sweep: 'spatten sweep --out',
  'replay-report': 'spatten replay --report',
  waves: 'spatten sim --waves',
} as const;
export type OutputKind = keyof typeof OUTPUT_KINDS;

export interface OutputMarker {
  writtenBy: string;
  kind: OutputKind;
  /** Paths relative to the folder, sorted. */
  files: string[];
}

/**
 * A design folder written before markers existed: its manifest.json (by this generator) lists the
 * module files, files.f and itself; nothing else in the folder counts as ours.
 */
function legacyDesignMarker(dir: string): OutputMarker | undefined {
  try {
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as {
      generator?: { name?: unknown };
      modules?: { file?: unknown }[];
    };
    if (manifest.generator?.name !== GENERATOR_NAME || !Array.isArray(manifest.modules))
      return undefined;
    const modules = manifest.modules
      .map((module) => module.file)
      .filter((file): file is string => typeof file === 'string');
    return {
      writtenBy: GENERATOR_NAME,
      kind: 'design',
      files: [...modules, 'files.f', 'manifest.json'],
    };
  } catch {
    return undefined;
  }
}

/** The folder's marker; undefined when it has none or one this tool cannot have written. */
export function readMarker(dir: string): OutputMarker | undefined {
  const path = join(dir, OUTPUT_MARKER);
  if (!existsSync(path)) {
    return existsSync(join(dir, 'manifest.json')) ? legacyDesignMarker(dir) : undefined;
  }
  try {
    const marker = JSON.parse(readFileSync(path, 'utf8')) as Partial<OutputMarker>;
    const valid =
      marker.writtenBy === GENERATOR_NAME &&
      typeof marker.kind === 'string' &&
      marker.kind in OUTPUT_KINDS &&
      Array.isArray(marker.files) &&
      marker.files.every((file) => typeof file === 'string');
    return valid ? (marker as OutputMarker) : undefined;
  } catch {
    return undefined;
  }
}

/** The marker's text: deterministic (sorted, no timestamps), so committed output is byte-stable. */
export function markerText(kind: OutputKind, files: Iterable<string>): string {
  const marker = {
    writtenBy: GENERATOR_NAME,
    kind,
    note: 'spatten replaces or removes only the files listed here; every other file is left alone',
    files: [...new Set(files)].sort(),
  };
  return `${JSON.stringify(marker, null, 2)}\n`;
}
