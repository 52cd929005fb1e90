/**
 * The only writer of output folders and files. A folder may be written when it is new or empty,
 * or when its marker (output-marker.ts) says this tool wrote it with output of the same kind; then
 * only the files the marker lists are replaced or removed, and every other file is left untouched.
 * Each file goes to a temporary sibling and is renamed into place: no reader sees half a file.
 * Every refusal and every file-system failure is an InputError (exit 2) naming the path.
 */
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  rmdirSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, isAbsolute, join, normalize, resolve, sep } from 'node:path';
import { InputError, showValue } from '../errors';
import {
  OUTPUT_KINDS,
  OUTPUT_MARKER,
  type OutputKind,
  type OutputMarker,
  markerText,
  readMarker,
} from './output-marker';

export interface OutputContent {
  /** Path relative to the output folder. */
  path: string;
  content: string | Uint8Array;
}

const WRITABLE = 'allowed: a folder on a writable disk';

const allowed = (kind: OutputKind) =>
  `allowed: a new or empty folder, or one that ${OUTPUT_KINDS[kind]} wrote, ` +
  `marked by ${OUTPUT_MARKER}`;

/** Runs `work`, turning a file-system failure (read-only, no permission, /proc) into bad input. */
function fsErrors<T>(at: string, work: () => T): T {
  try {
    return work();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (error instanceof InputError || typeof code !== 'string') throw error;
    const path = (error as NodeJS.ErrnoException).path ?? 'there';
    throw new InputError(`${at}: cannot write ${path} (${code}); ${WRITABLE}`);
  }
}

/**
 * Creates `dir` and its missing parents one at a time: Node's recursive mkdir never returns under
 * /proc (it retries ENOENT forever).
 */
function makeFolder(dir: string): void {
  const missing: string[] = [];
  for (let d = dir; !existsSync(d); d = dirname(d)) missing.unshift(d);
  for (const folder of missing) mkdirSync(folder);
}

/** Proves a folder can be written without leaving anything: creates and removes an empty folder. */
function probeWritable(dir: string, at: string): void {
  const probe = join(dir, `.spatten-probe-${process.pid}`);
  try {
    mkdirSync(probe);
    rmdirSync(probe);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new InputError(`${at}: cannot create files in ${dir} (${code}); ${WRITABLE}`);
  }
}

function writeAtomically(path: string, content: string | Uint8Array): void {
  const staging = `${path}.tmp-${process.pid}`;
  try {
    writeFileSync(staging, content);
    renameSync(staging, path);
  } finally {
    rmSync(staging, { force: true });
  }
}

function sameContent(path: string, content: string | Uint8Array): boolean {
  if (!statSync(path).isFile()) return false;
  const bytes = typeof content === 'string' ? Buffer.from(content) : content;
  return statSync(path).size === bytes.length && readFileSync(path).equals(bytes);
}

/** Paths come from the tool itself; one escaping the folder is a bug, not bad input. */
function checkRelative(path: string): string {
  const clean = normalize(path);
  if (isAbsolute(clean) || clean.split(sep).includes('..') || clean === OUTPUT_MARKER) {
    throw new Error(`output path ${path} leaves its folder or is the marker`);
  }
  return clean;
}

/**
 * Throws InputError unless `dir` may receive output of `kind`; returns its marker (undefined for a
 * new or empty folder). Writes nothing (a probe folder is created and removed).
 */
export function checkOutputDir(
  dir: string,
  kind: OutputKind,
  flag = '--out',
): OutputMarker | undefined {
  const at = `${flag} ${dir}`;
  const target = resolve(dir);
  return fsErrors(at, () => {
    if (!existsSync(target)) {
      let parent = dirname(target);
      while (!existsSync(parent)) parent = dirname(parent);
      if (!statSync(parent).isDirectory()) {
        throw new InputError(`${at}: ${parent} is a file, not a folder`);
      }
      probeWritable(parent, at);
      return undefined;
    }
    if (!statSync(target).isDirectory()) {
      throw new InputError(`${at}: is a file, not a folder (${allowed(kind)})`);
    }
    const entries = readdirSync(target).sort();
    const marker = entries.length === 0 ? undefined : readMarker(target);
    if (entries.length > 0 && marker === undefined) {
      const shown = entries.slice(0, 3).map(showValue).join(', ');
      const more = entries.length > 3 ? ', ...' : '';
      throw new InputError(
        `${at}: not empty (${shown}${more}) and not written by spatten; ` +
          `nothing was changed (${allowed(kind)})`,
      );
    }
    if (marker !== undefined && marker.kind !== kind) {
      throw new InputError(
        `${at}: holds the output of ${OUTPUT_KINDS[marker.kind]}; ` +
          `nothing was changed (${allowed(kind)})`,
      );
    }
    probeWritable(target, at);
    return marker;
  });
}

/** Removes a file we listed and no longer write, then its folders left empty (below `root`). */
function removeStale(root: string, path: string): void {
  const full = join(root, path);
  if (existsSync(full) && statSync(full).isFile()) unlinkSync(full);
  const emptyBelowRoot = (d: string) => d !== root && existsSync(d) && readdirSync(d).length === 0;
  for (let d = dirname(full); emptyBelowRoot(d); d = dirname(d)) rmdirSync(d);
}

function commit(
  dir: string,
  kind: OutputKind,
  files: readonly OutputContent[],
  flag: string,
  keepListed: boolean,
): void {
  const at = `${flag} ${dir}`;
  const before = new Set(checkOutputDir(dir, kind, flag)?.files ?? []);
  const target = resolve(dir);
  const paths = files.map((file) => checkRelative(file.path));
  // A file already holding exactly what would be written loses nothing by becoming ours; a folder
  // put where a listed file was is the user's.
  const foreign = paths.filter((path, i) => {
    const full = join(target, path);
    if (!existsSync(full)) return false;
    if (!statSync(full).isFile()) return true;
    return !before.has(path) && !sameContent(full, files[i]?.content ?? '');
  });
  if (foreign.length > 0) {
    throw new InputError(
      `${at}: ${showValue(foreign[0])} is there and spatten did not write it; ` +
        'nothing was changed (allowed: move it away, or give a new or empty folder)',
    );
  }
  const after = new Set(keepListed ? [...before, ...paths] : paths);
  fsErrors(at, () => {
    makeFolder(target);
    // Listed first, so a write cut short leaves only files the marker already claims.
    writeAtomically(join(target, OUTPUT_MARKER), markerText(kind, [...before, ...paths]));
    files.forEach((file, i) => {
      const path = join(target, paths[i] as string);
      makeFolder(dirname(path));
      writeAtomically(path, file.content);
    });
    for (const stale of before) if (!after.has(stale)) removeStale(target, stale);
    writeAtomically(join(target, OUTPUT_MARKER), markerText(kind, after));
  });
}

/** Makes `files` the folder's whole output of `kind`: listed files not among them are removed. */
export function writeOutputDir(
  dir: string,
  kind: OutputKind,
  files: readonly OutputContent[],
  flag = '--out',
): void {
  commit(dir, kind, files, flag, false);
}

/** Adds or replaces `files`, keeping the rest of the folder's earlier output (incremental). */
export function addToOutputDir(
  dir: string,
  kind: OutputKind,
  files: readonly OutputContent[],
  flag = '--out',
): void {
  commit(dir, kind, files, flag, true);
}

/** Whether a single output file goes into a folder of its kind (listed there) or stands alone. */
function ownsFolder(folder: string, kind: OutputKind): boolean {
  if (!existsSync(folder)) return true;
  return readdirSync(folder).length === 0 || readMarker(folder)?.kind === kind;
}

/**
 * Throws InputError unless `path` may be written: a new file, or one this tool wrote into a folder
 * of `kind` (listed by its marker). An existing file anywhere else is never overwritten.
 */
export function checkOutputFile(path: string, kind: OutputKind, flag: string): void {
  const full = resolve(path);
  const folder = dirname(full);
  const marker = readMarker(folder);
  const listed = marker?.kind === kind && marker.files.includes(basename(full));
  if (existsSync(full) && !listed) {
    throw new InputError(
      `${flag} ${path}: exists and spatten did not write it (allowed: a new file)`,
    );
  }
  if (ownsFolder(folder, kind)) checkOutputDir(folder, kind, flag);
  else probeWritable(folder, `${flag} ${path}`);
}

/**
 * Replaces one file that the caller has already judged ours (a file that names its writer, such as a
 * trace whose footer says which command wrote it), through a temporary sibling. The folder must
 * exist; a file-system failure is bad input naming the path.
 */
export function replaceOwnFile(path: string, content: string | Uint8Array, flag: string): void {
  try {
    writeAtomically(path, content);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new InputError(`${flag} ${path}: cannot write there (${code})`);
  }
}

/**
 * Writes one file: listed in its folder's marker when the folder is new, empty or of `kind` (so a
 * later run may replace it), otherwise as a new file beside the user's, never over one.
 */
export function writeOutputFile(
  path: string,
  kind: OutputKind,
  content: string | Uint8Array,
  flag: string,
): void {
  checkOutputFile(path, kind, flag);
  const full = resolve(path);
  if (ownsFolder(dirname(full), kind)) {
    addToOutputDir(dirname(full), kind, [{ path: basename(full), content }], flag);
    return;
  }
  fsErrors(`${flag} ${path}`, () => writeAtomically(full, content));
}
