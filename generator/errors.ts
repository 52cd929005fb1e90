/**
 * Errors the user caused (bad config, flag, file). The CLI maps them to exit code 2 and prints
 * every message; nothing may be written once one is thrown. Each message names the key path or
 * file:line, the offending value and what is allowed.
 */
export class InputError extends Error {
  readonly problems: readonly string[];

  constructor(problems: string | readonly string[]) {
    const list = typeof problems === 'string' ? [problems] : problems;
    super(list.join('\n'));
    this.name = 'InputError';
    this.problems = list;
  }
}

/** A check on generated hardware failed (mismatch, lint error, latch): exit code 1. */
export class CheckFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CheckFailure';
  }
}

/** Longest rendering of a user value in a message: enough to recognise it, never a flood. */
const SHOWN_CHARS = 80;

/** Cuts `text` to SHOWN_CHARS, saying how much was left out (a value may be megabytes long). */
export function clip(text: string, limit = SHOWN_CHARS): string {
  if (text.length <= limit) return text;
  return `${text.slice(0, limit - 3)}... (${text.length} characters)`;
}

/** JSON, except for what JSON cannot say: NaN and ±Infinity (JSON would print null) and bigints. */
function literal(value: unknown): string {
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  if (typeof value === 'bigint') return `${value}n`;
  const replacer = (_key: string, v: unknown) =>
    (typeof v === 'number' && !Number.isFinite(v)) || typeof v === 'bigint' ? String(v) : v;
  return JSON.stringify(value, replacer) ?? String(value);
}

/**
 * Shows a user-supplied value in a message: strings quoted, everything else as JSON, never longer
 * than SHOWN_CHARS. Every message that echoes a value goes through here.
 */
export function showValue(value: unknown): string {
  if (value === undefined) return '(missing)';
  return clip(literal(value));
}
