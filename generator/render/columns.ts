/**
 * Emitted Verilog stays within 100 columns, like the code. Code lines are kept short by the
 * templates and views; comments are prose of any length, so they are wrapped here, after rendering:
 * a long comment line becomes several at its indentation, and a long trailing comment moves onto
 * comment lines above its code. A code line that is still too long is the template's to fix (the
 * render test counts them).
 */
export const MAX_COLUMNS = 100;

/** `text` as `prefix`-led lines of at most MAX_COLUMNS columns (a single long word stays whole). */
function wrapProse(prefix: string, text: string): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    if (line !== '' && prefix.length + line.length + 1 + word.length > MAX_COLUMNS) {
      lines.push(prefix + line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(prefix + line);
  return lines;
}

/** A line's code and `//` comment; undefined without one (or when `//` may sit in a string). */
function splitComment(line: string): { code: string; comment: string } | undefined {
  const at = line.indexOf('//');
  if (at < 0 || line.slice(0, at).includes('"')) return undefined;
  return { code: line.slice(0, at), comment: line.slice(at + 2) };
}

function wrapLine(line: string): string[] {
  if (line.length <= MAX_COLUMNS) return [line];
  const parts = splitComment(line);
  if (parts === undefined) return [line];
  const indent = /^\s*/.exec(line)?.[0] ?? '';
  // Leading spaces after `//` are layout (an indented list or formula): continuation lines keep it;
  // a comment written flush against `//` continues after one space.
  const layout = /^\s*/.exec(parts.comment)?.[0] || ' ';
  const prose = parts.comment.trim();
  if (parts.code.trim() === '') return wrapProse(`${indent}//${layout}`, prose);
  return [...wrapProse(`${indent}// `, prose), parts.code.trimEnd()];
}

/**
 * A generated declaration (a port or net whose width is a long expression) broken at spaces so
 * each line, `indent` columns in, fits; continuation lines start `hang` columns further in.
 * Verilog ignores the whitespace, and a generated declaration holds no strings or comments.
 */
export function breakCode(code: string, indent: number, hang: number, room = 0): string {
  const lines: string[] = [];
  let rest = code;
  let first = true;
  while (rest.length > 0) {
    const start = first ? indent : indent + hang;
    const fits = MAX_COLUMNS - start - room;
    if (rest.length <= fits) break;
    const at = rest.lastIndexOf(' ', fits);
    if (at <= 0) break;
    lines.push(rest.slice(0, at));
    rest = rest.slice(at + 1);
    first = false;
  }
  lines.push(rest);
  return lines.join(`\n${' '.repeat(indent + hang)}`);
}

export function wrapComments(text: string): string {
  return text.split('\n').flatMap(wrapLine).join('\n');
}

/** `path:line: N columns` for each line of `content` wider than MAX_COLUMNS. */
export function overlongLines(path: string, content: string): string[] {
  return content
    .split('\n')
    .flatMap((line, index) =>
      line.length > MAX_COLUMNS ? [`${path}:${index + 1}: ${line.length} columns`] : [],
    );
}
