/**
 * Whether a trace fits the configured design: a request may not hold more tokens than
 * model.maxTokens, its head dimension must be model.headDim, and its layer and head must exist in
 * spatten_top (top.layers, top.heads). Both replay engines refuse a trace that does not fit: their
 * figures describe the generated design, and a shape it cannot hold would describe hardware that
 * does not exist. Each broken rule is one line naming the first offending file:line, the value,
 * what is allowed and the --set that fits the trace.
 */
import type { Config } from '../../generator/config/schema';
import { InputError } from '../../generator/errors';
import type { TraceRow } from './trace';

interface FitRule {
  column: string;
  value: (row: TraceRow) => number;
  fits: (value: number, config: Config) => boolean;
  allowed: (config: Config) => string;
  /** The setting that would hold every value of the trace, if one does. */
  fix: (values: number[]) => string | undefined;
}

const max = (values: number[]) => values.reduce((a, b) => Math.max(a, b), 0);

const RULES: FitRule[] = [
  {
    column: 'sentence_length_L',
    value: (row) => row.contextLength,
    fits: (value, config) => value <= config.model.maxTokens,
    allowed: (config) => `at most model.maxTokens = ${config.model.maxTokens} tokens per request`,
    fix: (values) => `model.maxTokens=${max(values)}`,
  },
  {
    column: 'embedding_length_D',
    value: (row) => row.headDim,
    fits: (value, config) => value === config.model.headDim,
    allowed: (config) => `the design's head dimension model.headDim = ${config.model.headDim}`,
    fix: (values) => {
      const single = values.every((v) => v === values[0]);
      return single ? `model.headDim=${values[0]}` : undefined;
    },
  },
  {
    column: 'layer_id',
    value: (row) => row.layer,
    fits: (value, config) => value < config.top.layers,
    allowed: ({ top }) => `0 to ${top.layers - 1}, top.layers = ${top.layers} layers per step`,
    fix: (values) => `top.layers=${max(values) + 1}`,
  },
  {
    column: 'head_id',
    value: (row) => row.head,
    fits: (value, config) => value < config.top.heads,
    allowed: ({ top }) => `0 to ${top.heads - 1}, top.heads = ${top.heads} heads per layer`,
    fix: (values) => `top.heads=${max(values) + 1}`,
  },
];

export function traceFitProblems(
  file: string,
  rows: readonly TraceRow[],
  config: Config,
): string[] {
  return RULES.flatMap((rule) => {
    const misfits = rows.filter((row) => !rule.fits(rule.value(row), config));
    const first = misfits[0];
    if (first === undefined) return [];
    const others = misfits.length > 1 ? `; ${misfits.length - 1} more rows do not fit` : '';
    const fix = rule.fix(rows.map(rule.value));
    const where = `${file}:${first.line}: column ${rule.column} = ${rule.value(first)}`;
    const setting = fix ? `; --set ${fix} fits the trace` : '';
    const allowed = `${rule.allowed(config)}${others}${setting}`;
    return [`${where}: does not fit the design (allowed: ${allowed})`];
  });
}

/** Throws the InputError (exit 2) of a trace that does not fit the design. */
export function checkTraceFits(file: string, rows: readonly TraceRow[], config: Config): void {
  const problems = traceFitProblems(file, rows, config);
  if (problems.length > 0) throw new InputError(problems);
}
