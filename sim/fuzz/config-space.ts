/**
 * The config space as the schema states it: every field with its legal values (from the field
 * builders in generator/config/fields.ts), random raw configs weighted to the ends of each range,
 * and the repair that turns a raw draw into one the cross-field rules accept (or discards it).
 *
 * Two scales: `full` draws every field over its whole legal range (for generation and lint), `sim`
 * narrows the fields that set simulation time (sizes, lanes, latency) to keep a co-simulation
 * within seconds, while every other field still spans its whole range.
 */
import fc from 'fast-check';
import { type Field, configFields } from '../../generator/config/field-list';
import { presetInput } from '../../generator/config/presets';
import { RULES, type RuleViolation } from '../../generator/config/rules';
import { type Config, configSchema } from '../../generator/config/schema';

export type Scale = 'full' | 'sim';

/**
 * Narrower bounds at scale `sim`: the fields that size the work of a co-simulation (elements per
 * row, tokens, lanes, buffer depths, heads, DRAM latency). Each still reaches the ends of its own
 * range in the `full` scale.
 */
const SIM_BOUNDS: Record<string, [number, number]> = {
  'model.headDim': [8, 16],
  'model.maxTokens': [1, 48],
  'datapath.multipliers': [1, 64],
  'datapath.bitserialLanes': [1, 4],
  'zeroEliminator.lanes': [1, 16],
  'zeroEliminator.outLanes': [1, 32],
  'topk.parallelism': [1, 8],
  'topk.capacity': [2, 96],
  'topk.outLanes': [1, 16],
  // 2^radixBits histogram bins per digit: radix 8 makes the Yosys latch check take minutes.
  'topk.radixBits': [1, 6],
  'softmax.lanes': [1, 8],
  'softmax.capacity': [2, 96],
  'softmax.tableBits': [1, 6],
  // The 2 LSB accuracy rule asks 2 x tableBits > probFrac of both formats: with tables of at most
  // 6 bits, finer formats could only be repaired by moving both probFrac fields at once.
  'softmax.probFrac': [1, 11],
  'datapath.probFrac': [0, 11],
  'fetcher.channels': [1, 3],
  'memory.latency': [1, 40],
  'top.heads': [1, 4],
  'top.layers': [1, 3],
};

/** The bounds of a numeric field at a scale. */
export function fieldBounds(field: Field, scale: Scale): [number, number] {
  const { domain } = field;
  if (domain.kind !== 'int' && domain.kind !== 'powerOfTwo' && domain.kind !== 'number') {
    throw new Error(`${field.path} is not numeric`);
  }
  const narrow = scale === 'sim' ? SIM_BOUNDS[field.path] : undefined;
  if (!narrow) return [domain.min, domain.max];
  return [Math.max(domain.min, narrow[0]), Math.min(domain.max, narrow[1])];
}

function powersOfTwo(min: number, max: number): number[] {
  const out: number[] = [];
  for (let value = 1; value <= max; value *= 2) if (value >= min) out.push(value);
  return out;
}

/**
 * Values of a range weighted to its ends: min and max, their neighbours, powers of two inside it,
 * and uniform values (fast-check's integer draw is itself biased to small values and bounds).
 */
type NumericKind = 'int' | 'powerOfTwo' | 'number';

function rangeArbitrary(kind: NumericKind, min: number, max: number): fc.Arbitrary<number> {
  if (kind === 'powerOfTwo') {
    const powers = powersOfTwo(min, max);
    return fc.oneof(
      { weight: 2, arbitrary: fc.constantFrom(min, max) },
      { weight: 3, arbitrary: fc.constantFrom(...powers) },
    );
  }
  const ends = [min, max, Math.min(max, min + 1), Math.max(min, max - 1)];
  const inside = powersOfTwo(min, max);
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...ends) },
    { weight: 2, arbitrary: inside.length > 0 ? fc.constantFrom(...inside) : fc.constant(min) },
    { weight: 3, arbitrary: fc.integer({ min: Math.ceil(min), max: Math.floor(max) }) },
  );
}

function fieldArbitrary(field: Field, scale: Scale, base: unknown): fc.Arbitrary<unknown> {
  const { domain } = field;
  switch (domain.kind) {
    case 'boolean':
      return fc.boolean();
    case 'enum':
      return fc.constantFrom(...domain.values);
    case 'text':
      // Names only label files; the preset's value is as good as any other legal text.
      return fc.constant(base);
    default: {
      const [min, max] = fieldBounds(field, scale);
      return rangeArbitrary(domain.kind, min, max);
    }
  }
}

type Tree = Record<string, Record<string, unknown>>;

/** Raw configs: every field drawn independently over its range at `scale`; rules not applied. */
export function rawConfigArbitrary(scale: Scale): fc.Arbitrary<Config> {
  const base = presetInput('tiny') as Tree;
  const fields = configFields();
  const arbitraries = fields.map((field) => {
    const [section, key] = field.path.split('.') as [string, string];
    return fieldArbitrary(field, scale, base[section]?.[key]);
  });
  return fc.tuple(...arbitraries).map((values) => {
    const tree: Tree = {};
    fields.forEach((field, i) => {
      const [section, key] = field.path.split('.') as [string, string];
      let node = tree[section];
      if (node === undefined) {
        node = {};
        tree[section] = node;
      }
      node[key] = values[i];
    });
    return configSchema.parse(tree);
  });
}

/** Draws `count` raw configs from `seed` (deterministic: the same seed gives the same draws). */
export function drawRawConfigs(scale: Scale, seed: number, count: number): Config[] {
  return fc.sample(rawConfigArbitrary(scale), { seed, numRuns: count });
}

/** A violation with the index in RULES of the rule that found it. */
export interface RuleHit extends RuleViolation {
  rule: number;
}

export function violations(config: Config): RuleHit[] {
  return RULES.flatMap((rule, index) => rule(config).map((hit) => ({ ...hit, rule: index })));
}

/**
 * Values to try for a field during repair, nearest to the drawn value first so the repaired config
 * stays close to the draw: the whole range when it is small, otherwise its ends, its powers of two
 * and m × 2^j for m up to 16 (multiples of any lane or channel count the rules ask for).
 */
function repairCandidates(field: Field, scale: Scale, current: unknown): unknown[] {
  if (field.domain.kind === 'boolean') return [current, !current];
  if (field.domain.kind === 'enum' || field.domain.kind === 'text' || typeof current !== 'number') {
    return [];
  }
  const [min, max] = fieldBounds(field, scale);
  let values: number[];
  if (field.domain.kind === 'powerOfTwo') values = powersOfTwo(min, max);
  else if (max - min <= 64) values = Array.from({ length: max - min + 1 }, (_, i) => min + i);
  else {
    const set = new Set<number>([min, max]);
    for (let m = 1; m <= 16; m += 1) for (let v = m; v <= max; v *= 2) if (v >= min) set.add(v);
    values = [...set];
  }
  return values.sort((a, b) => Math.abs(a - current) - Math.abs(b - current) || a - b);
}

function valueAt(config: Config, path: string): unknown {
  const [section, key] = path.split('.') as [keyof Config, string];
  return (config[section] as Record<string, unknown>)[key];
}

function withValue(config: Config, path: string, value: unknown): Config {
  const [section, key] = path.split('.') as [keyof Config, string];
  return { ...config, [section]: { ...config[section], [key]: value } } as Config;
}

export type Repair = { config: Config } | { blocked: RuleHit };

/**
 * The field a violation names, then the other fields its message names (rules name them all), as
 * key paths or as bare keys of the violation's own section.
 */
function fieldsOf(violation: RuleViolation, fields: ReadonlyMap<string, Field>): Field[] {
  const section = violation.path.split('.')[0];
  const words = [...violation.message.matchAll(/\b[a-z][A-Za-z]*(?:\.[a-z][A-Za-z]*)?\b/g)];
  const named = words.map((m) => (m[0].includes('.') ? m[0] : `${section}.${m[0]}`));
  return [...new Set([violation.path, ...named])].flatMap((path) => fields.get(path) ?? []);
}

const sameViolation = (a: RuleHit, b: RuleHit) => a.rule === b.rule && a.path === b.path;

/**
 * Repairs a raw draw by min-conflicts: while a rule is violated, one of the fields it involves
 * takes the candidate value that clears that violation with the fewest violations left (nearest the
 * current value on a tie). When none clears it, or repair does not settle, the draw is discarded and
 * `blocked` says which violation stopped it. Pinned fields keep their drawn value.
 */
export function repairConfig(raw: Config, scale: Scale, pinned = new Set<string>()): Repair {
  const fields = new Map(configFields().map((field) => [field.path, field]));
  let config = raw;
  for (let step = 0; step < 64; step += 1) {
    const first = violations(config)[0];
    if (!first) return { config };
    let best: { config: Config; left: number } | undefined;
    for (const field of fieldsOf(first, fields).filter((f) => !pinned.has(f.path))) {
      const current = valueAt(config, field.path);
      for (const value of repairCandidates(field, scale, current)) {
        const candidate = withValue(config, field.path, value);
        const after = violations(candidate);
        if (after.some((v) => sameViolation(v, first))) continue;
        // Candidates come nearest first, so on a tie the nearer value (and the earlier field) stays.
        // Not only the nearest value that clears it: one a step further may also clear the rule
        // that the nearest would break (expFrac >= probFrac + 3 beside tableBits <= expFrac / 2).
        if (!best || after.length < best.left) best = { config: candidate, left: after.length };
      }
    }
    if (!best) return { blocked: first };
    config = best.config;
  }
  return { blocked: violations(config)[0] as RuleHit };
}

/** The values a field must reach somewhere: both ends of a range, every choice (text: none). */
export function fieldEnds(field: Field, scale: Scale): unknown[] {
  switch (field.domain.kind) {
    case 'boolean':
      return [true, false];
    case 'enum':
      return [...field.domain.values];
    case 'text':
      return [];
    default:
      return fieldBounds(field, scale);
  }
}

const END_ATTEMPTS = 40;

export interface EndDraw {
  path: string;
  end: unknown;
  repair: Repair;
}

/**
 * One repaired draw per end of every field (from seed, seed + 1, ...), the field pinned to that end
 * while repair moves the others: every end is reached whatever the random draws do.
 */
export function endDraws(scale: Scale, seed: number): EndDraw[] {
  const fields = configFields();
  const ends = fields.flatMap((field) => fieldEnds(field, scale).map((end) => ({ field, end })));
  return ends.map(({ field, end }, i) => {
    const none = { path: field.path, value: end, message: 'no draw', rule: -1 };
    let repair: Repair = { blocked: none };
    // Some ends need several fields moved together (e.g. keyBits = 2: msbBits = lsbBits = 1), which
    // one repair step cannot do; a few fresh draws find one that repair completes.
    for (let attempt = 0; attempt < END_ATTEMPTS && 'blocked' in repair; attempt += 1) {
      const draw = drawRawConfigs(scale, seed + i * END_ATTEMPTS + attempt, 1)[0] as Config;
      repair = repairConfig(withValue(draw, field.path, end), scale, new Set([field.path]));
    }
    return { path: field.path, end, repair };
  });
}

/** `--set` overrides that turn the preset into `config`: a failure reproduces with one command. */
export function overridesFrom(config: Config, preset = presetInput('tiny') as Tree): string[] {
  return configFields().flatMap(({ path }) => {
    const [section, key] = path.split('.') as [string, string];
    const value = (config as unknown as Tree)[section]?.[key];
    return value === preset[section]?.[key] ? [] : [`${path}=${String(value)}`];
  });
}
