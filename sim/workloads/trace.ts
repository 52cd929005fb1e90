/**
 * Reader of the SpAtten workload trace format (CSV, one row per attention request: decode step, layer,
 * head). Every problem is reported as file:line with the column, the value and what is allowed; the
 * whole file is checked before anything is returned. The last line of a trace is a footer naming the
 * model config (first cell only, the rest empty); it is kept as `footer`, not read as a request.
 */
import { readFileSync } from 'node:fs';
import { InputError } from '../../generator/errors';

export interface TraceRow {
  /** 1-based line in the file, for later messages. */
  line: number;
  step: number;
  layer: number;
  /** Head index after head pruning (renumbered). */
  head: number;
  headDim: number;
  /** Context length before pruning. */
  contextLength: number;
  keysKept: number;
  /** Bits of the key MSB plane; null = full precision (-1 in the file). */
  keyBits: number | null;
  queryBits: number | null;
  /** Max-probability threshold below which LSBs are refetched; null = not used. */
  requantThreshold: number | null;
  requant: boolean;
  /** LSB bits fetched on a requant; null = not used. */
  requantExtraBits: number | null;
  valuesKept: number;
  valueBits: number | null;
  accumulateImportance: boolean;
  rescaleImportance: boolean;
  /** A global token top-k runs after this row, keeping `topk` tokens. */
  tokenTopk: boolean;
  topk: number | null;
}

export interface Trace {
  file: string;
  rows: TraceRow[];
  footer: string | undefined;
}

type Parser = (text: string) => number | boolean | null | string;
interface Column {
  name: string;
  key: keyof TraceRow;
  parse: Parser;
}

/** A parse failure: the message says what is allowed. */
class Bad extends Error {}

const count: Parser = (text) => {
  // The release writes some integers as floats ("64.0"); accept integral values only.
  const value = Number(text);
  if (text.trim() === '' || !Number.isInteger(value) || value < 0)
    throw new Bad('must be a non-negative integer');
  return value;
};
const optionalBits: Parser = (text) => {
  if (text === '-1') return null;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > 32)
    throw new Bad('must be -1 (full precision) or an integer from 1 to 32');
  return value;
};
const optionalCount: Parser = (text) => (text === '-1' ? null : count(text));
const optionalProbability: Parser = (text) => {
  if (text === '-1') return null;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0 || value > 1)
    throw new Bad('must be -1 (unused) or a probability from 0 to 1');
  return value;
};
const flag: Parser = (text) => {
  if (text === 'True') return true;
  if (text === 'False') return false;
  throw new Bad('must be True or False');
};

export const TRACE_COLUMNS: readonly Column[] = [
  { name: 'iteration_id', key: 'step', parse: count },
  { name: 'layer_id', key: 'layer', parse: count },
  { name: 'head_id', key: 'head', parse: count },
  { name: 'embedding_length_D', key: 'headDim', parse: count },
  { name: 'sentence_length_L', key: 'contextLength', parse: count },
  { name: 'key_fetch_num', key: 'keysKept', parse: count },
  { name: 'quant_key_bit', key: 'keyBits', parse: optionalBits },
  { name: 'quant_query_bit', key: 'queryBits', parse: optionalBits },
  { name: 'auto_requant_thres', key: 'requantThreshold', parse: optionalProbability },
  { name: 'if_requant', key: 'requant', parse: flag },
  { name: 'auto_requant_incre', key: 'requantExtraBits', parse: optionalBits },
  { name: 'value_fetch_num', key: 'valuesKept', parse: count },
  { name: 'quant_value_bit', key: 'valueBits', parse: optionalBits },
  { name: 'if_accumulate_importance', key: 'accumulateImportance', parse: flag },
  { name: 'if_rescale_previous_importance', key: 'rescaleImportance', parse: flag },
  { name: 'if_topk', key: 'tokenTopk', parse: flag },
  { name: 'topk', key: 'topk', parse: optionalCount },
];

const MAX_REPORTED = 20;

/** Cross-column rules of one row: what the hardware could not have done. */
function rowProblems(row: TraceRow): string[] {
  const problems: string[] = [];
  if (row.keysKept > row.contextLength)
    problems.push(
      `column key_fetch_num = ${row.keysKept}: keys kept exceed sentence_length_L (${row.contextLength})`,
    );
  if (row.valuesKept > row.keysKept)
    problems.push(
      `column value_fetch_num = ${row.valuesKept}: values kept exceed key_fetch_num (${row.keysKept})`,
    );
  if (row.headDim === 0) problems.push('column embedding_length_D = 0: must be at least 1');
  if (row.tokenTopk && row.topk === null)
    problems.push('column topk = -1: if_topk is True, so topk must be a count');
  if (row.requant && row.requantExtraBits === null)
    problems.push(
      'column auto_requant_incre = -1: if_requant is True, so the LSB bits must be given',
    );
  return problems;
}

export function parseTrace(file: string, text: string): Trace {
  const lines = text.split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1]?.trim() === '') lines.pop();
  const problems: string[] = [];
  const header = (lines[0] ?? '').split(',').map((cell) => cell.trim());
  const expected = TRACE_COLUMNS.map((c) => c.name);
  for (const name of header.filter((n) => !expected.includes(n)))
    problems.push(`${file}:1: unknown column "${name}" (allowed: ${expected.join(', ')})`);
  for (const name of expected.filter((n) => !header.includes(n)))
    problems.push(`${file}:1: missing column "${name}"`);
  if (problems.length > 0) throw new InputError(problems);
  const order = TRACE_COLUMNS.map((column) => header.indexOf(column.name));

  let footer: string | undefined;
  const last = lines[lines.length - 1] ?? '';
  const lastCells = last.split(',');
  if (
    lines.length > 1 &&
    lastCells.slice(1).every((cell) => cell.trim() === '') &&
    !/^\d/.test(last)
  ) {
    footer = lastCells[0]?.trim();
    lines.pop();
  }

  const rows: TraceRow[] = [];
  const seen = new Map<string, number>();
  lines.slice(1).forEach((line, index) => {
    const lineNumber = index + 2;
    const cells = line.split(',').map((cell) => cell.trim());
    if (cells.length !== header.length) {
      problems.push(
        `${file}:${lineNumber}: ${cells.length} fields, expected ${header.length} (truncated or malformed row)`,
      );
      return;
    }
    const row = { line: lineNumber } as Record<string, unknown>;
    let ok = true;
    TRACE_COLUMNS.forEach((column, i) => {
      const cell = cells[order[i] ?? 0] ?? '';
      try {
        row[column.key] = column.parse(cell);
      } catch (error) {
        if (!(error instanceof Bad)) throw error;
        problems.push(
          `${file}:${lineNumber}: column ${column.name} = ${JSON.stringify(cell)}: ${error.message}`,
        );
        ok = false;
      }
    });
    if (!ok) return;
    const typed = row as unknown as TraceRow;
    problems.push(...rowProblems(typed).map((p) => `${file}:${lineNumber}: ${p}`));
    // One request per (step, layer, head): a repeat would count a head twice at its layer.
    const request = `iteration_id ${typed.step}, layer_id ${typed.layer}, head_id ${typed.head}`;
    const earlier = seen.get(request);
    if (earlier !== undefined) {
      problems.push(`${file}:${lineNumber}: request ${request} repeats line ${earlier}`);
    }
    seen.set(request, lineNumber);
    rows.push(typed);
  });
  if (rows.length === 0 && problems.length === 0) problems.push(`${file}: no request rows`);
  if (problems.length > 0) {
    const shown = problems.slice(0, MAX_REPORTED);
    if (problems.length > MAX_REPORTED)
      shown.push(`${file}: ... and ${problems.length - MAX_REPORTED} more problems`);
    throw new InputError(shown);
  }
  return { file, rows, footer };
}

export function readTrace(file: string): Trace {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError(
      `${file}: cannot read trace (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
    );
  }
  return parseTrace(file, text);
}
