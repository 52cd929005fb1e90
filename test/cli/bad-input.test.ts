/**
 * The table of bad input: every row runs the CLI in an empty sandbox folder holding only the row's
 * files, and must exit 2 with one `error:` line naming the key or file:line, the value and what is
 * allowed (no stack trace, no flood), leaving the sandbox byte-identical.
 */
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { ToolMissing, importToolPackage } from '../../generator/flows/tools';
import { markerText } from '../../generator/render/output-marker';

const CLI = resolve('bin/spatten.mjs');
const scratch = mkdtempSync(join(tmpdir(), 'spatten-bad-input-'));

/** A PATH holding node and nothing else: every external tool is missing. */
const bareBin = join(scratch, 'bare-bin');
mkdirSync(bareBin);
symlinkSync(process.execPath, join(bareBin, 'node'));

/** Nine aliases of nine aliases, seven deep: 9^7 strings from a 300-byte file. */
const aliasBomb = [
  'a: &a ["x","x","x","x","x","x","x","x","x"]',
  ...'bcdefg'.split('').map((name, i) => {
    const previous = 'abcdef'[i];
    return `${name}: &${name} [${Array(9).fill(`*${previous}`).join(',')}]`;
  }),
].join('\n');

interface BadInput {
  name: string;
  argv: string[];
  /** Files of the sandbox before the run (path -> content). */
  files?: Record<string, string>;
  /** Run with no external tool on PATH. */
  bare?: boolean;
  /** Needs Linux's /proc or /sys. */
  linux?: boolean;
  /** The one `error:` line must match this. */
  message: string | RegExp;
}

const SIMULATORS = 'bash scripts/install-simulators.sh, or apt-get install -y';
const generateOut = ['generate', '--preset', 'tiny', '--out', 'out'];

const CASES: BadInput[] = [
  {
    name: 'YAML alias bomb in a config file',
    argv: ['generate', '--config', 'bomb.yaml', '--out', 'out'],
    files: { 'bomb.yaml': aliasBomb },
    message:
      'error: bomb.yaml:2: alias "*a" expands too far ' +
      '(allowed: at most 100 alias expansions in a config file)',
  },
  {
    name: 'preset: 5 in a config file',
    argv: ['generate', '--config', 'five.yaml', '--out', 'out'],
    files: { 'five.yaml': '# base\npreset: 5\n' },
    message: 'error: five.yaml:2: preset = 5: unknown preset (allowed: tiny, fpga, paper)',
  },
  {
    name: 'preset given as a list in a config file',
    argv: ['config', 'print', '--config', 'list.yaml'],
    files: { 'list.yaml': 'preset: [tiny]\n' },
    message: 'error: list.yaml:1: preset = ["tiny"]: unknown preset (allowed: tiny, fpga, paper)',
  },
  {
    name: 'NaN in a config file is shown as NaN, not null',
    argv: ['generate', '--config', 'nan.yaml', '--out', 'out'],
    files: { 'nan.yaml': 'preset: tiny\nmodel:\n  maxTokens: .nan\n' },
    message: 'error: config: model.maxTokens = NaN: must be an integer from 1 to 65536',
  },
  {
    name: 'Infinity from --set is shown as Infinity, once',
    argv: ['generate', '--preset', 'tiny', '--set', 'model.maxTokens=1e999', '--out', 'out'],
    message: 'error: config: model.maxTokens = Infinity: must be an integer from 1 to 65536',
  },
  {
    name: 'a 50 MB string value is cut in the message',
    argv: ['generate', '--config', 'huge.yaml', '--out', 'out'],
    files: { 'huge.yaml': `design:\n  modulePrefix: ${'a'.repeat(50_000_000)}\n` },
    message:
      `error: config: design.modulePrefix = "${'a'.repeat(76)}... (50000002 characters): ` +
      'must be at most 24 characters',
  },
  {
    name: 'a 100 KB --set assignment is cut in the message',
    argv: ['generate', '--set', `nosuch.${'k'.repeat(100_000)}=1`, '--out', 'out'],
    message:
      `error: --set nosuch.${'k'.repeat(70)}... (100009 characters): ` +
      'nosuch is not a config section (allowed sections: design, ',
  },
  {
    name: 'a 100 KB unknown option is cut in the message',
    argv: ['generate', `--${'x'.repeat(100_000)}`],
    message: /^error: unknown option '--x+\.\.\. \(100026 characters\)$/,
  },
  {
    name: 'sweep with a missing trace creates no output folder',
    argv: [
      'sweep',
      '--preset',
      'tiny',
      '--grid',
      'topk.parallelism=2,4',
      '--metrics',
      'cycles,dramBytes',
      '--pareto',
      'cycles,dramBytes',
      '--trace',
      'missing.csv',
      '--out',
      'D',
    ],
    message: 'error: missing.csv: cannot read trace (ENOENT)',
  },
  {
    name: 'bench with a target it does not take',
    argv: ['bench', 'topk', '--preset', 'tiny', '--target', 'xilinx'],
    message:
      'error: --target: bench "topk" synthesizes nothing (benchmarks that do: timing, leopard)',
  },
  {
    name: 'bench timing with an unknown Yosys',
    argv: ['bench', 'timing', '--preset', 'tiny', '--yosys', 'vivado'],
    message: 'error: --yosys "vivado": unknown Yosys (allowed: wasm, system)',
  },
  {
    name: 'generate into a folder holding files spatten did not write',
    argv: generateOut,
    files: { 'out/notes.txt': 'mine' },
    message:
      'error: --out out: not empty ("notes.txt") and not written by spatten; nothing was changed ' +
      '(allowed: a new or empty folder, or one that spatten generate wrote, ' +
      'marked by .spatten-output.json)',
  },
  {
    name: 'generate --out . in a working folder',
    argv: ['generate', '--preset', 'tiny', '--out', '.'],
    files: { 'paper.tex': 'years of work', 'src/main.c': 'int main;' },
    message:
      'error: --out .: not empty ("paper.tex", "src") and not written by spatten; ' +
      'nothing was changed',
  },
  {
    name: 'generate over a file of the user inside a folder spatten wrote',
    argv: generateOut,
    files: { 'out/.spatten-output.json': markerText('design', []), 'out/files.f': 'my own list' },
    message:
      'error: --out out: "files.f" is there and spatten did not write it; nothing was changed ' +
      '(allowed: move it away, or give a new or empty folder)',
  },
  {
    name: 'generate --out under /proc returns at once',
    argv: ['generate', '--preset', 'tiny', '--out', '/proc/spatten-out'],
    linux: true,
    message:
      'error: --out /proc/spatten-out: cannot create files in /proc (ENOENT); ' +
      'allowed: a folder on a writable disk',
  },
  {
    name: 'generate --out where the parent refuses new entries, even to root (/sys)',
    argv: ['generate', '--preset', 'tiny', '--out', '/sys/spatten-out/x'],
    linux: true,
    message:
      /^error: --out \/sys\/spatten-out\/x: cannot create files in \/sys \((EPERM|EACCES)\); /,
  },
  {
    name: 'replay --report into a design folder',
    argv: ['replay', 'trace.csv', '--report', 'design'],
    files: {
      'design/.spatten-output.json': markerText('design', ['a.v']),
      'design/a.v': 'module a; endmodule',
    },
    message:
      'error: --report design: holds the output of spatten generate; nothing was changed ' +
      '(allowed: a new or ' +
      'empty folder, or one that spatten replay --report wrote, marked by .spatten-output.json)',
  },
  {
    name: 'sim --waves over a file spatten did not write',
    argv: ['sim', 'zero_eliminator', '--preset', 'tiny', '--seed', '1', '--waves', 'mine.vcd'],
    files: { 'mine.vcd': 'a VCD from another tool' },
    message: 'error: --waves mine.vcd: exists and spatten did not write it (allowed: a new file)',
  },
  {
    name: 'synth --out into a folder without a design',
    argv: ['synth', 'zero_compact', '--preset', 'tiny', '--out', 'empty'],
    message: 'error: --out empty: no manifest.json there (run spatten generate --out empty first)',
  },
  {
    name: 'missing verilator (sim)',
    argv: [
      'sim',
      'zero_eliminator',
      '--preset',
      'tiny',
      '--simulator',
      'verilator',
      '--seed',
      '1',
      '--count',
      '5',
    ],
    bare: true,
    message: `error: verilator: not installed or not on PATH (install: ${SIMULATORS} verilator)`,
  },
  {
    name: 'missing iverilog (sim)',
    argv: ['sim', 'zero_eliminator', '--preset', 'tiny', '--seed', '1', '--count', '5'],
    bare: true,
    message: `error: iverilog: not installed or not on PATH (install: ${SIMULATORS} iverilog)`,
  },
  {
    name: 'missing verilator (lint)',
    argv: ['lint', '--preset', 'tiny'],
    bare: true,
    message: `error: verilator: not installed or not on PATH (install: ${SIMULATORS} verilator)`,
  },
  {
    name: 'missing system yosys (synth --yosys system)',
    argv: ['synth', 'zero_compact', '--preset', 'tiny', '--yosys', 'system'],
    bare: true,
    message:
      'error: yosys: not installed or not on PATH ' +
      '(install: apt-get install -y yosys, or use --yosys wasm (the default, from npm))',
  },
];

/** Every file and folder below `dir`, files by content hash: after must equal before. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      const key = relative(dir, path);
      if (statSync(path).isDirectory()) {
        out[`${key}/`] = 'folder';
        walk(path);
      } else {
        out[key] = createHash('sha256').update(readFileSync(path)).digest('hex');
      }
    }
  };
  walk(dir);
  return out;
}

let sandboxes = 0;

describe('bad input: exit 2, one line (key or file:line, value, what is allowed), no write', () => {
  const linux = process.platform === 'linux';
  it.each(CASES.filter((c) => linux || !c.linux).map((c) => [c.name, c] as const))(
    '%s',
    async (_name, bad) => {
      const sandbox = join(scratch, `case${sandboxes++}`);
      mkdirSync(sandbox);
      for (const [path, content] of Object.entries(bad.files ?? {})) {
        mkdirSync(dirname(join(sandbox, path)), { recursive: true });
        writeFileSync(join(sandbox, path), content);
      }
      const before = snapshot(sandbox);
      const env = bad.bare ? { PATH: bareBin } : {};
      const run = await execa(process.execPath, [CLI, ...bad.argv], {
        cwd: sandbox,
        reject: false,
        env,
        timeout: 150_000,
      });
      expect(run.exitCode, run.stderr.slice(0, 2000)).toBe(2);
      const errors = run.stderr.split('\n').filter((line) => line.startsWith('error:'));
      expect(errors, run.stderr.slice(0, 2000)).toHaveLength(1);
      if (typeof bad.message === 'string') expect(errors[0]).toContain(bad.message);
      else expect(errors[0]).toMatch(bad.message);
      expect(errors[0]?.length ?? 0).toBeLessThan(400);
      expect(run.stderr, 'no stack trace').not.toMatch(/^\s+at /m);
      expect(snapshot(sandbox)).toEqual(before);
      if (bad.argv.includes('/sys/spatten-out/x'))
        expect(existsSync('/sys/spatten-out')).toBe(false);
    },
    180_000,
  );
});

describe('a missing npm tool package', () => {
  // The WebAssembly Yosys and nextpnr load on first use; without the package the fix is npm ci.
  it('is ToolMissing (exit 2) naming the package and npm ci', async () => {
    const failure = await importToolPackage('@yowasp/no-such-tool').catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(ToolMissing);
    expect((failure as ToolMissing).problems).toEqual([
      '@yowasp/no-such-tool: npm package not installed (install: npm ci)',
    ]);
  });
});
