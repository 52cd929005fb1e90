/**
 * Every command that writes output, end to end: it replaces only what it wrote before (listed in
 * the folder's .spatten-output.json) and keeps every other file.
 */
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { OUTPUT_MARKER } from '../../generator/render/output-marker';
import { TRACE_COLUMNS } from '../../sim/workloads/trace';
import { availableSimulators } from '../support/simulators';

const CLI = resolve('bin/spatten.mjs');
const scratch = mkdtempSync(join(tmpdir(), 'spatten-output-'));
const spatten = (cwd: string, ...args: string[]) =>
  execa(process.execPath, [CLI, ...args], { cwd, reject: false });
const listed = (dir: string) =>
  JSON.parse(readFileSync(join(dir, OUTPUT_MARKER), 'utf8')).files as string[];

/** A small trace of our own: 2 layers x 2 heads of one decode step (sim/workloads/trace.ts). */
function writeTrace(path: string): void {
  const row = (layer: number, head: number) => {
    const values: Record<string, string> = {
      iteration_id: '0',
      layer_id: String(layer),
      head_id: String(head),
      embedding_length_D: '64',
      sentence_length_L: '40',
      key_fetch_num: '32',
      quant_key_bit: '6',
      quant_query_bit: '16',
      auto_requant_thres: '0.05',
      if_requant: 'False',
      auto_requant_incre: '4',
      value_fetch_num: '8',
      quant_value_bit: '6',
      if_accumulate_importance: 'True',
      if_rescale_previous_importance: 'False',
      if_topk: 'False',
      topk: '-1',
    };
    return TRACE_COLUMNS.map((column) => values[column.name]).join(',');
  };
  const header = TRACE_COLUMNS.map((column) => column.name).join(',');
  const footer = `own-fixture${','.repeat(TRACE_COLUMNS.length - 1)}`;
  writeFileSync(path, [header, row(0, 0), row(0, 1), row(1, 0), row(1, 1), footer, ''].join('\n'));
}

describe('generate', () => {
  it("regenerating replaces its files, drops those no longer made, keeps the user's", async () => {
    const out = join(scratch, 'design');
    expect((await spatten(scratch, 'generate', '--preset', 'tiny', '--out', out)).exitCode).toBe(0);
    writeFileSync(join(out, 'notes.txt'), 'mine');
    const renamed = await spatten(
      scratch,
      'generate',
      '--preset',
      'tiny',
      '--set',
      'design.modulePrefix=x_',
      '--out',
      out,
    );
    expect(renamed.exitCode, renamed.stderr).toBe(0);
    const names = readdirSync(out);
    expect(
      names.filter((name) => name.startsWith('spatten_')),
      "the old prefix's files were ours",
    ).toEqual([]);
    expect(names).toContain('x_topk.v');
    expect(readFileSync(join(out, 'notes.txt'), 'utf8')).toBe('mine');
    expect(listed(out)).not.toContain('notes.txt');
  }, 60_000);

  it('takes over a folder from before markers (rtl-out/<preset> of older versions)', async () => {
    const old = join(scratch, 'legacy');
    cpSync('rtl-out/tiny', old, { recursive: true });
    rmSync(join(old, OUTPUT_MARKER));
    writeFileSync(join(old, 'notes.txt'), 'mine');
    const run = await spatten(scratch, 'generate', '--preset', 'tiny', '--out', old);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(readFileSync(join(old, OUTPUT_MARKER), 'utf8')).toBe(
      readFileSync(join('rtl-out/tiny', OUTPUT_MARKER), 'utf8'),
    );
    expect(readFileSync(join(old, 'notes.txt'), 'utf8')).toBe('mine');
  }, 60_000);
});

describe('replay --report', () => {
  it('rewrites its own report and keeps other files', async () => {
    const trace = join(scratch, 'trace.csv');
    writeTrace(trace);
    const report = join(scratch, 'report');
    const first = await spatten(scratch, 'replay', trace, '--preset', 'fpga', '--report', report);
    expect(first.exitCode, first.stderr).toBe(0);
    expect(listed(report)).toEqual([
      'layers-bytes.svg',
      'layers-cycles.svg',
      'layers-energy.svg',
      'layers.md',
      'replay.json',
    ]);
    writeFileSync(join(report, 'notes.txt'), 'mine');
    expect(
      (await spatten(scratch, 'replay', trace, '--preset', 'fpga', '--report', report)).exitCode,
    ).toBe(0);
    expect(readFileSync(join(report, 'notes.txt'), 'utf8')).toBe('mine');
  }, 60_000);
});

describe('sweep --out', () => {
  it("starts in an empty folder, resumes in its own and keeps the user's files", async () => {
    const trace = join(scratch, 'sweep-trace.csv');
    writeTrace(trace);
    const out = join(scratch, 'sweep');
    mkdirSync(out);
    const args = [
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
      trace,
      '--out',
      out,
    ];
    expect((await spatten(scratch, ...args)).exitCode).toBe(0);
    writeFileSync(join(out, 'notes.txt'), 'mine');
    const again = await spatten(scratch, ...args);
    expect(again.exitCode, again.stderr).toBe(0);
    expect(again.stderr).toContain('2 already done');
    expect(readFileSync(join(out, 'notes.txt'), 'utf8')).toBe('mine');
    expect(listed(out)).toEqual(
      expect.arrayContaining(['sweep.json', 'results.csv', 'summary.md', 'pareto.svg']),
    );
    for (const point of readdirSync(join(out, 'rtl')))
      expect(listed(join(out, 'rtl', point))).toContain('manifest.json');
  }, 120_000);
});

const simulators = availableSimulators();

describe.runIf(simulators.includes('icarus'))('sim --waves', () => {
  it("sim-out/<unit>-<seed>.vcd is rewritten by the same run; a user's VCD is not", async () => {
    const cwd = join(scratch, 'waves');
    mkdirSync(cwd);
    const args = [
      'sim',
      'zero_eliminator',
      '--preset',
      'tiny',
      '--simulator',
      'icarus',
      '--seed',
      '7',
      '--count',
      '5',
      '--waves',
    ];
    expect((await spatten(cwd, ...args)).exitCode).toBe(0);
    const again = await spatten(cwd, ...args);
    expect(again.exitCode, again.stderr).toBe(0);
    expect(listed(join(cwd, 'sim-out'))).toEqual(['zero_eliminator-7.vcd']);
    expect(readFileSync(join(cwd, 'sim-out', 'zero_eliminator-7.vcd'), 'utf8')).toMatch(
      /^\$date|\$version|\$timescale/m,
    );
    writeFileSync(join(cwd, 'sim-out', 'other.vcd'), 'mine');
    const over = await spatten(cwd, ...args.slice(0, -1), '--waves', 'sim-out/other.vcd');
    expect(over.exitCode).toBe(2);
    expect(readFileSync(join(cwd, 'sim-out', 'other.vcd'), 'utf8')).toBe('mine');
  }, 120_000);
});
