/**
 * Errors the user caused (bad config, flag, file). The CLI maps them to exit code 2 and prints every
 * message; nothing may be written once one is thrown. Each message names the key path or file:line,
 * the offending value and what is allowed.
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

/** Shows a user-supplied value in a message: strings quoted, everything else as JSON. */
export function showValue(value: unknown): string {
  if (value === undefined) return '(missing)';
  if (typeof value === 'string') return JSON.stringify(value);
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
