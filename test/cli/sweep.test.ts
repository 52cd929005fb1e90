import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { decodeFixture } from '../support/workloads';

const scratch = mkdtempSync(join(tmpdir(), 'spatten-sweep-'));
const spatten = (...args: string[]) =>
  execa('nice', ['node', 'bin/spatten.mjs', ...args], { reject: false });
/** Cycle figures only (performance model, no synthesis): a whole grid in seconds. */
const fast = [
  'sweep',
  '--preset',
  'tiny',
  '--grid',
  'topk.parallelism,softmax.lanes=2,4',
  '--grid',
  'datapath.multipliers=4,8,3',
  '--metrics',
  'cycles,dramBytes,cyclesPerToken',
  '--pareto',
  'dramBytes,cycles',
  '--trace-limit',
  '100',
];

describe('spatten sweep', () => {
  it('runs every point, reports invalid configs per point and writes the four outputs', async () => {
    const out = join(scratch, 'full');
    const run = await spatten(...fast, '--jobs', '2', '--out', out);
    expect(run.exitCode, run.stderr).toBe(0);
    for (const file of ['results.csv', 'results.jsonl', 'summary.md', 'pareto.svg'])
      expect(existsSync(join(out, file)), file).toBe(true);
    const results = readFileSync(join(out, 'results.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(results.map((r) => r.index)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(results.map((r) => r.status)).toEqual(['ok', 'ok', 'invalid', 'ok', 'ok', 'invalid']);
    expect(results[2].errors).toEqual([
      'config: datapath.multipliers = 3: must be a multiple or a divisor of model.headDim (8)',
    ]);
    // More softmax and top-k lanes: fewer cycles. More datapath.multipliers: the same cycles, since
    // the core's arrays take one row per beat (D multipliers) whatever the standalone arrays have.
    expect(results[3].metrics.cycles).toBeLessThan(results[0].metrics.cycles);
    expect(results[1].metrics.cycles).toBe(results[0].metrics.cycles);
    // A token is every layer's requests in sequence: more than one request's mean time.
    expect(results[0].metrics.cyclesPerToken).toBeGreaterThan(2 * results[0].metrics.cycles);
    expect(readFileSync(join(out, 'results.csv'), 'utf8').split('\n')[0]).toBe(
      'index,id,status,"topk.parallelism,softmax.lanes",datapath.multipliers,cycles,dramBytes,cyclesPerToken,seconds,errors',
    );
    expect(readFileSync(join(out, 'summary.md'), 'utf8')).toContain(
      '6 points: 4 measured, 2 invalid configs, 0 tool failures.',
    );
    expect(XMLValidator.validate(readFileSync(join(out, 'pareto.svg'), 'utf8'))).toBe(true);
    expect(readdirSync(join(out, 'rtl')).length).toBe(4);
    // No --trace: each point replays a gpt2-decode workload generated for its own design.
    expect(JSON.parse(readFileSync(join(out, 'sweep.json'), 'utf8')).trace).toBeNull();

    const again = await spatten(...fast, '--out', out);
    expect(again.stderr).toContain('6 points, 6 in this run, 6 already done');
  }, 120_000);

  it('shards run separately merge into the same reports', async () => {
    const one = join(scratch, 'shard1');
    const two = join(scratch, 'shard2');
    expect((await spatten(...fast, '--shard', '1/2', '--out', one)).exitCode).toBe(0);
    expect((await spatten(...fast, '--shard', '2/2', '--out', two)).exitCode).toBe(0);
    expect(readFileSync(join(one, 'summary.md'), 'utf8')).toContain('3 not run yet (other shards)');
    const merge = await spatten('sweep', '--merge', two, '--out', one);
    expect(merge.exitCode, merge.stderr).toBe(0);
    const strip = (text: string) =>
      text.split('\n').map((line) => line.replace(/,[\d.]+,([^,]*)$/, ',$1'));
    const full = readFileSync(join(scratch, 'full', 'results.csv'), 'utf8');
    expect(strip(readFileSync(join(one, 'results.csv'), 'utf8'))).toEqual(strip(full));
  }, 120_000);

  it('bad grid keys, metrics and output folders exit 2 with the reason', async () => {
    const key = await spatten(
      'sweep',
      '--preset',
      'tiny',
      '--grid',
      'topk.lanes=1,2',
      '--out',
      join(scratch, 'never'),
    );
    expect(key.exitCode).toBe(2);
    expect(key.stderr).toContain('error: --grid topk.lanes: not a config key path');
    expect(existsSync(join(scratch, 'never'))).toBe(false);
    const metric = await spatten(
      'sweep',
      '--preset',
      'tiny',
      '--grid',
      'topk.parallelism=2',
      '--metrics',
      'speed',
    );
    expect(metric.exitCode).toBe(2);
    expect(metric.stderr).toContain('error: --metrics "speed": unknown metric speed');
    const locked = join(scratch, 'locked');
    mkdirSync(locked);
    chmodSync(locked, 0o500);
    const unwritable = await spatten(...fast, '--out', join(locked, 'out'));
    // root ignores permission bits; everyone else gets exit 2.
    if (process.getuid?.() !== 0) {
      expect(unwritable.exitCode).toBe(2);
      expect(unwritable.stderr).toContain(
        `error: --out ${join(locked, 'out')}: cannot create files in ${locked} (EACCES)`,
      );
    }
    const file = await spatten(...fast, '--out', '/dev/null/x');
    expect(file.exitCode).toBe(2);
    expect(file.stderr).toContain('error: --out /dev/null/x: /dev/null is a file, not a folder');
    const merge = await spatten('sweep', '--merge', '--out', join(scratch, 'empty'));
    expect(merge.exitCode).toBe(2);
    expect(merge.stderr).toContain('holds no sweep.json');
    // Six CLI runs, one a whole sweep when run as root (which ignores the locked folder's bits).
  }, 300_000);

  it('a --trace the points cannot hold makes them invalid, naming line and setting', async () => {
    const trace = decodeFixture('gpt2-small.csv');
    const out = join(scratch, 'misfit');
    const one = [
      'sweep',
      '--preset',
      'tiny',
      '--grid',
      'topk.parallelism,softmax.lanes=2',
      '--metrics',
      'cycles,dramBytes',
      '--pareto',
      'dramBytes,cycles',
    ];
    const run = await spatten(...one, '--trace', trace, '--trace-limit', '10', '--out', out);
    expect(run.exitCode, run.stderr).toBe(0);
    const lines = readFileSync(join(out, 'results.jsonl'), 'utf8').trim().split('\n');
    const [point] = lines.map((line) => JSON.parse(line));
    expect(point.status).toBe('invalid');
    expect(point.errors[0]).toContain(
      `${trace}:2: column sentence_length_L = 993: does not fit ` +
        'the design (allowed: at most model.maxTokens = 64',
    );
    expect(point.errors[0]).toContain('--set model.headDim=64 fits the trace');
    const absent = join(scratch, 'missing.csv');
    const missing = await spatten(...one, '--trace', absent, '--out', join(scratch, 'misfit2'));
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain('missing.csv: cannot read trace (ENOENT)');
  }, 120_000);

  it('synthesizes the points when area metrics are asked (zero eliminator, generic)', async () => {
    const out = join(scratch, 'synth');
    const run = await spatten(
      'sweep',
      '--preset',
      'tiny',
      '--grid',
      'zeroEliminator.lanes=2,4',
      '--metrics',
      'luts,ffs,cycles',
      '--modules',
      'zero_eliminator',
      '--jobs',
      '2',
      '--trace-limit',
      '10',
      '--out',
      out,
    );
    expect(run.exitCode, run.stderr).toBe(0);
    const results = readFileSync(join(out, 'results.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(results.map((r) => r.status)).toEqual(['ok', 'ok']);
    expect(results[1].metrics.luts).toBeGreaterThan(results[0].metrics.luts);
    expect(results[1].metrics.ffs).toBeGreaterThan(results[0].metrics.ffs);
  }, 600_000);
});
