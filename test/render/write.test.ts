import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../generator/errors';
import { OUTPUT_MARKER, markerText } from '../../generator/render/output-marker';
import {
  addToOutputDir,
  checkOutputDir,
  checkOutputFile,
  writeOutputDir,
  writeOutputFile,
} from '../../generator/render/write';

const scratch = mkdtempSync(join(tmpdir(), 'spatten-write-'));
let folders = 0;
const fresh = () => join(scratch, `f${folders++}`);

/** Every file below `dir` with its content: the evidence that a refused write changed nothing. */
function tree(dir: string): Record<string, string> {
  if (!existsSync(dir)) return {};
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else out[relative(dir, path)] = readFileSync(path, 'utf8');
    }
  };
  walk(dir);
  return out;
}

function refusal(work: () => void): string {
  try {
    work();
  } catch (error) {
    if (error instanceof InputError) return error.problems.join('\n');
    throw error;
  }
  throw new Error('expected an InputError');
}

const files = (...names: string[]) =>
  names.map((path) => ({ path, content: `content of ${path}\n` }));

describe('output folders', () => {
  it('a new folder gets the files and a sorted marker listing them', () => {
    const dir = fresh();
    writeOutputDir(dir, 'design', files('b.v', 'a.v', 'sub/c.md'));
    expect(tree(dir)).toEqual({
      [OUTPUT_MARKER]: markerText('design', ['a.v', 'b.v', 'sub/c.md']),
      'a.v': 'content of a.v\n',
      'b.v': 'content of b.v\n',
      'sub/c.md': 'content of sub/c.md\n',
    });
    expect(JSON.parse(readFileSync(join(dir, OUTPUT_MARKER), 'utf8')).files).toEqual([
      'a.v',
      'b.v',
      'sub/c.md',
    ]);
  });

  it('rewriting replaces listed files, drops listed ones no longer written, keeps the rest', () => {
    const dir = fresh();
    writeOutputDir(dir, 'design', files('a.v', 'old.v', 'docs/old.md'));
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    mkdirSync(join(dir, 'mine'));
    writeFileSync(join(dir, 'mine', 'x.v'), 'mine too');
    writeOutputDir(dir, 'design', [{ path: 'a.v', content: 'new a\n' }, ...files('b.v')]);
    expect(tree(dir)).toEqual({
      [OUTPUT_MARKER]: markerText('design', ['a.v', 'b.v']),
      'a.v': 'new a\n',
      'b.v': 'content of b.v\n',
      'notes.txt': 'mine',
      'mine/x.v': 'mine too',
    });
    expect(existsSync(join(dir, 'docs')), 'a folder emptied of our files goes too').toBe(false);
  });

  it('refuses a non-empty folder it did not write, says what is allowed, changes nothing', () => {
    const dir = fresh();
    mkdirSync(dir);
    writeFileSync(join(dir, 'thesis.tex'), 'years of work');
    const before = tree(dir);
    const message = refusal(() => writeOutputDir(dir, 'design', files('thesis.tex', 'a.v')));
    expect(message).toBe(
      `--out ${dir}: not empty ("thesis.tex") and not written by spatten; nothing was changed ` +
        '(allowed: a new or empty folder, or one that spatten generate wrote, ' +
        `marked by ${OUTPUT_MARKER})`,
    );
    expect(tree(dir)).toEqual(before);
  });

  it('refuses a folder holding another kind of output', () => {
    const dir = fresh();
    writeOutputDir(dir, 'design', files('a.v'));
    const before = tree(dir);
    expect(
      refusal(() => writeOutputDir(dir, 'replay-report', files('layers.md'), '--report')),
    ).toContain(
      `--report ${dir}: holds the output of spatten generate; nothing was changed ` +
        '(allowed: a new or empty folder, or one that spatten replay --report wrote',
    );
    expect(tree(dir)).toEqual(before);
  });

  it('refuses to overwrite an unlisted file in its folder, unless it holds the same bytes', () => {
    const dir = fresh();
    writeOutputDir(dir, 'design', files('a.v'));
    writeFileSync(join(dir, 'b.v'), 'the user wrote this');
    const before = tree(dir);
    expect(refusal(() => writeOutputDir(dir, 'design', files('a.v', 'b.v')))).toContain(
      `--out ${dir}: "b.v" is there and spatten did not write it`,
    );
    expect(tree(dir)).toEqual(before);
    writeFileSync(join(dir, 'b.v'), 'content of b.v\n');
    writeOutputDir(dir, 'design', files('a.v', 'b.v'));
    expect(JSON.parse(readFileSync(join(dir, OUTPUT_MARKER), 'utf8')).files).toEqual([
      'a.v',
      'b.v',
    ]);
  });

  it('adopts a design folder from before markers: files its manifest.json lists, no others', () => {
    const dir = fresh();
    mkdirSync(dir);
    const manifest = JSON.stringify({
      generator: { name: 'spatten-gen' },
      modules: [{ file: 'a.v' }],
    });
    writeFileSync(join(dir, 'manifest.json'), manifest);
    writeFileSync(join(dir, 'a.v'), 'old a');
    writeFileSync(join(dir, 'mine.v'), 'mine');
    writeOutputDir(dir, 'design', [
      ...files('a.v', 'files.f'),
      { path: 'manifest.json', content: manifest },
    ]);
    expect(readFileSync(join(dir, 'a.v'), 'utf8')).toBe('content of a.v\n');
    expect(readFileSync(join(dir, 'mine.v'), 'utf8')).toBe('mine');
    const foreign = fresh();
    mkdirSync(foreign);
    writeFileSync(
      join(foreign, 'manifest.json'),
      JSON.stringify({ generator: { name: 'someone-else' }, modules: [] }),
    );
    expect(refusal(() => checkOutputDir(foreign, 'design'))).toContain('not written by spatten');
  });

  it('adding keeps the earlier output; an empty existing folder is accepted', () => {
    const dir = fresh();
    mkdirSync(dir);
    addToOutputDir(dir, 'sweep', files('sweep.json'));
    addToOutputDir(dir, 'sweep', files('points/1.json'));
    expect(Object.keys(tree(dir)).sort()).toEqual([OUTPUT_MARKER, 'points/1.json', 'sweep.json']);
    expect(JSON.parse(readFileSync(join(dir, OUTPUT_MARKER), 'utf8')).files).toEqual([
      'points/1.json',
      'sweep.json',
    ]);
  });

  it('a path that is a file, or below one, is refused', () => {
    const file = join(scratch, 'plain');
    writeFileSync(file, 'x');
    expect(refusal(() => checkOutputDir(file, 'design'))).toContain(
      `--out ${file}: is a file, not a folder`,
    );
    expect(refusal(() => checkOutputDir(join(file, 'x'), 'design'))).toBe(
      `--out ${join(file, 'x')}: ${file} is a file, not a folder`,
    );
  });
});

describe('unwritable places are bad input, not a hang or a stack trace', () => {
  // Node's recursive mkdir spins forever on /proc; the writer must return at once.
  it.runIf(existsSync('/proc/self'))('a folder under /proc', () => {
    const started = Date.now();
    expect(refusal(() => writeOutputDir('/proc/spatten-out/x', 'design', files('a.v')))).toMatch(
      '--out /proc/spatten-out/x: cannot create files in /proc (ENOENT); ' +
        'allowed: a folder on a writable disk',
    );
    expect(Date.now() - started).toBeLessThan(5000);
  });

  // sysfs refuses new entries even to root (EPERM): a real failure wherever the tests run.
  it.runIf(existsSync('/sys/kernel'))('a folder whose parent refuses new entries (/sys)', () => {
    expect(refusal(() => writeOutputDir('/sys/spatten-out', 'design', files('a.v')))).toMatch(
      /^--out \/sys\/spatten-out: cannot create files in \/sys \((EPERM|EACCES)\)/,
    );
    expect(existsSync('/sys/spatten-out')).toBe(false);
  });

  // Permission bits do not bind root: this case runs for other users (the /sys case covers root).
  it.runIf(process.getuid?.() !== 0)('a read-only parent folder', () => {
    const parent = fresh();
    mkdirSync(parent);
    chmodSync(parent, 0o555);
    expect(refusal(() => writeOutputDir(join(parent, 'out'), 'design', files('a.v')))).toContain(
      'cannot create files in',
    );
    chmodSync(parent, 0o755);
    expect(readdirSync(parent)).toEqual([]);
  });
});

describe('single output files (sim --waves)', () => {
  it('a new file in a new folder is listed there, so a later run may replace it', () => {
    const path = join(fresh(), 'top-1.vcd');
    writeOutputFile(path, 'waves', 'first', '--waves');
    writeOutputFile(path, 'waves', 'second', '--waves');
    expect(readFileSync(path, 'utf8')).toBe('second');
  });

  it("beside the user's files: written once, never over an existing file", () => {
    const dir = fresh();
    mkdirSync(dir);
    writeFileSync(join(dir, 'design.v'), 'mine');
    const path = join(dir, 'run.vcd');
    writeOutputFile(path, 'waves', 'waves', '--waves');
    expect(existsSync(join(dir, OUTPUT_MARKER)), "the user's folder is not claimed").toBe(false);
    expect(refusal(() => checkOutputFile(path, 'waves', '--waves'))).toBe(
      `--waves ${path}: exists and spatten did not write it (allowed: a new file)`,
    );
    expect(refusal(() => checkOutputFile(join(dir, 'design.v'), 'waves', '--waves'))).toContain(
      'exists and spatten did not write it',
    );
    expect(readFileSync(join(dir, 'design.v'), 'utf8')).toBe('mine');
  });
});
