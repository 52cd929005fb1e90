import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { readTrace } from '../../sim/workloads/trace';
import { traceFitProblems } from '../../sim/workloads/trace-fit';
import { configWith } from '../support/config';

const scratch = mkdtempSync(join(tmpdir(), 'spatten-workload-'));
const spatten = (...args: string[]) =>
  execa('node', ['bin/spatten.mjs', ...args], { reject: false });

describe('spatten workload gpt2-decode', () => {
  it('writes a trace the reader and preset fpga accept, identical for the same flags', async () => {
    const file = join(scratch, 'small.csv');
    const run = await spatten('workload', 'gpt2-decode', '--steps', '4', '--out', file);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.stderr).toContain(
      'wrote gpt2-decode: 576 requests (4 steps x 12 layers, up to 12 ' +
        `heads, context 1021 to 1024) to ${file}`,
    );
    const trace = readTrace(file);
    expect(trace.rows).toHaveLength(4 * 12 * 12);
    expect(trace.footer).toMatch(/^spatten-gen workload gpt2-decode model=gpt2-small .*steps=4 /);
    expect(traceFitProblems(file, trace.rows, configWith('fpga').config)).toEqual([]);
    const first = readFileSync(file, 'utf8');
    // A trace this command wrote may be replaced; the same flags give the same bytes.
    const again = await spatten('workload', 'gpt2-decode', '--steps', '4', '--out', file);
    expect(again.exitCode).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(first);
  });

  it('takes the shape and the schedule from flags', async () => {
    const file = join(scratch, 'shaped.csv');
    const shape = ['--model', 'gpt2-medium', '--heads', '4', '--steps', '2', '--context', '100'];
    const both = ['--head-keep', '0.5', '--dense'];
    const run = await spatten('workload', 'gpt2-decode', ...shape, ...both, '--out', file);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('error: --dense: no pruning and full precision, so --head-keep');
    const ok = await spatten('workload', 'gpt2-decode', ...shape, '--dense', '--out', file);
    expect(ok.exitCode, ok.stderr).toBe(0);
    const rows = readTrace(file).rows;
    expect(rows).toHaveLength(2 * 24 * 4);
    expect(new Set(rows.map((r) => r.contextLength))).toEqual(new Set([100, 101]));
    expect(rows.every((r) => r.keysKept === r.contextLength && r.keyBits === null)).toBe(true);
  });

  const bad: [string[], string][] = [
    [
      ['--model', 'gpt3'],
      '--model "gpt3": unknown model (allowed: gpt2-small, gpt2-medium, gpt2-large, gpt2-xl)',
    ],
    [['--steps', '0'], '--steps "0": must be an integer from 1 to 1024'],
    [
      ['--context', '1000'],
      '--context 1000: the last of 32 steps would attend to 1031 tokens, ' +
        "more than GPT-2's 1024-token window (allowed: 1 to 993)",
    ],
    [['--token-keep', '0'], '--token-keep "0": must be a number above 0 to 1'],
    [['--refetch', '1.5'], '--refetch "1.5": must be a number from 0 to 1'],
    [['--key-bits', '40'], '--key-bits "40": must be an integer from 1 to 32'],
  ];
  it.each(bad)('bad flags %s: exit 2, the flag, value and what is allowed', async (flags, text) => {
    const file = join(scratch, 'never.csv');
    const run = await spatten('workload', 'gpt2-decode', ...flags, '--out', file);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toBe(`error: ${text}`);
  });

  it('never replaces a file it did not write, and names an unwritable path', async () => {
    const mine = join(scratch, 'notes.csv');
    writeFileSync(mine, 'my own notes\n');
    const run = await spatten('workload', 'gpt2-decode', '--out', mine);
    expect(run.exitCode).toBe(2);
    const refusal = 'exists and was not written by spatten workload (refusing to replace it)';
    expect(run.stderr).toBe(`error: --out ${mine}: ${refusal}`);
    expect(readFileSync(mine, 'utf8')).toBe('my own notes\n');
    const nowhere = join(scratch, 'no-such-folder', 'w.csv');
    const missing = await spatten('workload', 'gpt2-decode', '--out', nowhere);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toBe(`error: --out ${nowhere}: cannot write there (ENOENT)`);
    expect((await spatten('workload', 'gpt2-decode')).exitCode).toBe(2);
  });
});
