/**
 * Resolves the configuration the user asked for: preset, then config file, then `--set` overrides,
 * then schema validation and cross-field rules. Every problem is collected and thrown together as
 * one InputError so the user fixes them in one go.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { type Document, LineCounter, isMap, isScalar, parseDocument, visit } from 'yaml';
import type { ZodIssue } from 'zod';
import { InputError, clip, showValue } from '../errors';
import {
  DEFAULT_PRESET,
  PRESET_NAMES,
  type PresetName,
  isPresetName,
  presetInput,
} from './presets';
import { checkRules } from './rules';
import { type Config, configSchema } from './schema';

export interface ConfigRequest {
  preset?: string | undefined;
  configFile?: string | undefined;
  sets?: readonly string[] | undefined;
}

export interface ResolvedConfig {
  config: Config;
  preset: PresetName;
  /** First 12 hex digits of the SHA-256 of the canonical JSON of `config`. */
  hash: string;
}

type Tree = Record<string, unknown>;

function isTree(value: unknown): value is Tree {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function mergeInto(base: Tree, override: Tree): Tree {
  for (const [key, value] of Object.entries(override)) {
    const current = base[key];
    base[key] = isTree(current) && isTree(value) ? mergeInto(current, value) : value;
  }
  return base;
}

/** Alias expansions a config file may use: a few are handy, a billion laughs are an attack. */
const MAX_ALIAS_EXPANSIONS = 100;

/** The document as plain data; an alias bomb is bad input at the line of its first alias. */
function documentData(document: Document, file: string, lines: LineCounter): unknown {
  try {
    return document.toJS({ maxAliasCount: MAX_ALIAS_EXPANSIONS });
  } catch (error) {
    if (!(error instanceof ReferenceError)) throw error;
    let alias = { line: 1, name: '' };
    visit(document, {
      Alias(_key, node) {
        alias = { line: lines.linePos(node.range?.[0] ?? 0).line, name: node.source };
        return visit.BREAK;
      },
    });
    const name = showValue(`*${alias.name}`);
    throw new InputError(
      `${file}:${alias.line}: alias ${name} expands too far ` +
        `(allowed: at most ${MAX_ALIAS_EXPANSIONS} alias expansions in a config file)`,
    );
  }
}

/** Line of the top-level `key` of a config file (1 when absent). */
function lineOfKey(document: Document, key: string, lines: LineCounter): number {
  const contents = document.contents;
  const items = isMap(contents) ? contents.items : [];
  const pair = items.find((item) => isScalar(item.key) && item.key.value === key);
  const offset = isScalar(pair?.key) ? pair.key.range?.[0] : undefined;
  return offset === undefined ? 1 : lines.linePos(offset).line;
}

export interface ConfigFile {
  tree: Tree;
  /** The preset the file names as its base (`preset: tiny`), if any; checked. */
  preset: PresetName | undefined;
}

/** Reads a YAML or JSON config file; syntax errors are reported as file:line. */
export function readConfigFile(file: string): ConfigFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError(
      `${file}: cannot read config file (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
    );
  }
  const extension = extname(file).toLowerCase();
  if (!['.yaml', '.yml', '.json'].includes(extension)) {
    throw new InputError(
      `${file}: config file must end in .yaml, .yml or .json (got "${extension || 'no extension'}")`,
    );
  }
  // YAML is a superset of JSON, so one parser gives line numbers for both.
  const lines = new LineCounter();
  const document = parseDocument(text, { uniqueKeys: true, lineCounter: lines });
  if (document.errors.length > 0) {
    throw new InputError(
      document.errors.map(
        (error) => `${file}:${error.linePos?.[0]?.line ?? 1}: ${error.message.split('\n')[0]}`,
      ),
    );
  }
  const content = documentData(document, file, lines);
  if (!isTree(content)) {
    throw new InputError(
      `${file}:1: config file must hold a mapping of sections (got ${showValue(content)})`,
    );
  }
  const { preset, ...tree } = content;
  if (preset !== undefined && !(typeof preset === 'string' && isPresetName(preset))) {
    const line = lineOfKey(document, 'preset', lines);
    throw new InputError(
      `${file}:${line}: preset = ${showValue(preset)}: ` +
        `unknown preset (allowed: ${PRESET_NAMES.join(', ')})`,
    );
  }
  return { tree, preset };
}

/** Parses one `key.path=value` override; the value is read as a YAML scalar (number, boolean, string). */
export function parseSet(assignment: string): { path: string[]; value: unknown } {
  const match = /^([A-Za-z][A-Za-z0-9]*(?:\.[A-Za-z][A-Za-z0-9]*)*)=(.*)$/.exec(assignment);
  if (!match) {
    throw new InputError(
      `--set ${showValue(assignment)}: expected key.path=value, e.g. zeroEliminator.lanes=8`,
    );
  }
  const document = parseDocument(match[2] ?? '');
  const value: unknown = document.errors.length > 0 ? match[2] : document.toJS();
  return { path: (match[1] ?? '').split('.'), value };
}

function applySet(tree: Tree, path: string[], value: unknown, text: string): void {
  const assignment = clip(text);
  let node = tree;
  path.slice(0, -1).forEach((key, depth) => {
    const next = node[key];
    if (!isTree(next)) {
      const where = clip(path.slice(0, depth + 1).join('.'));
      throw new InputError(
        `--set ${assignment}: ${where} is not a config section (allowed sections: ${Object.keys(node).join(', ')})`,
      );
    }
    node = next;
  });
  const leaf = path[path.length - 1] as string;
  if (isTree(node[leaf])) {
    const keys = Object.keys(node[leaf] as Tree).join(', ');
    throw new InputError(
      `--set ${assignment}: ${clip(path.join('.'))} is a section; ` +
        `set one of its keys (${keys})`,
    );
  }
  node[leaf] = value;
}

function valueAt(tree: unknown, path: readonly (string | number)[]): unknown {
  return path.reduce<unknown>((node, key) => (isTree(node) ? node[String(key)] : undefined), tree);
}

function describeIssue(issue: ZodIssue, input: Tree): string[] {
  const path = issue.path.join('.');
  if (issue.code === 'unrecognized_keys') {
    const allowed = Object.keys(valueAt(input, issue.path) as Tree).filter(
      (key) => !issue.keys.includes(key),
    );
    return issue.keys.map(
      (key) =>
        `${path ? `${path}.` : ''}${clip(key)}: unknown key (allowed: ${allowed.join(', ')})`,
    );
  }
  return [`${path} = ${showValue(valueAt(input, issue.path))}: ${issue.message}`];
}

/** Validates raw config input; throws one InputError listing every problem. */
export function validateConfig(input: Tree): Config {
  const parsed = configSchema.safeParse(input);
  if (!parsed.success) {
    // One value can break several checks with one message (Infinity: not an integer, too large).
    const messages = new Set(parsed.error.issues.flatMap((issue) => describeIssue(issue, input)));
    throw new InputError([...messages].map((m) => `config: ${m}`));
  }
  const violations = checkRules(parsed.data);
  if (violations.length > 0) {
    throw new InputError(
      violations.map((v) => `config: ${v.path} = ${showValue(v.value)}: ${v.message}`),
    );
  }
  return parsed.data;
}

/**
 * The sections an emitted file can depend on: all but the memory model (memory), the performance
 * model's calibration (perfModel) and the energy per event (technology), so changing them changes
 * no generated file (nor the hash they carry).
 */
export function hardwareConfig(
  config: Config,
): Omit<Config, 'memory' | 'perfModel' | 'technology'> {
  const {
    memory: _memoryModel,
    perfModel: _calibration,
    technology: _energy,
    ...hardware
  } = config;
  return hardware;
}

export function configHash(config: Config): string {
  const hardware = JSON.stringify(hardwareConfig(config));
  return createHash('sha256').update(hardware).digest('hex').slice(0, 12);
}

export function resolveConfig(request: ConfigRequest = {}): ResolvedConfig {
  const file: ConfigFile =
    request.configFile === undefined
      ? { tree: {}, preset: undefined }
      : readConfigFile(request.configFile);
  const presetName = request.preset ?? file.preset ?? DEFAULT_PRESET;
  if (!isPresetName(presetName)) {
    throw new InputError(
      `preset ${showValue(presetName)}: unknown preset (allowed: ${PRESET_NAMES.join(', ')})`,
    );
  }
  const tree = mergeInto(presetInput(presetName), file.tree);
  for (const assignment of request.sets ?? []) {
    const { path, value } = parseSet(assignment);
    applySet(tree, path, value, assignment);
  }
  const config = validateConfig(tree);
  return { config, preset: presetName, hash: configHash(config) };
}
