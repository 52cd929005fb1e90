import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../generator/config/load';
import { type DecodeShape, GPT2_MODELS } from '../../sim/workloads/decode-workload';
import { DENSE_SCHEDULE, SPATTEN_QUANTIZATION } from '../../sim/workloads/schedule';
import { readTrace } from '../../sim/workloads/trace';
import { GPT2_SMALL_DECODE, decodeFixture, realTrace } from '../support/workloads';

const scratch = mkdtempSync(join(tmpdir(), 'spatten-replay-'));
const spatten = (...args: string[]) =>
  execa('node', ['bin/spatten.mjs', ...args], { reject: false });
const REPORT_KEYS = [
  'trace',
  'preset',
  'mode',
  'layerDependency',
  'requests',
  'cycles',
  'lowerBoundCycles',
  'boundRatio',
  'time',
  'dramBytes',
  'bytesPerRequest',
  'utilization',
  'energy',
];
/** GPT-2 small decode workloads from the project's writer: pruned by the paper schedule, dense. */
const PRUNED = decodeFixture('gpt2-small-decode.csv');
const DENSE = decodeFixture('gpt2-small-dense.csv', GPT2_SMALL_DECODE, DENSE_SCHEDULE);
const REAL_PRUNED = realTrace('summary-gpt2-small-wikitext2-per8.csv');
const REAL_DENSE = realTrace('summary-gpt2-small-wikitext2-per8-step1+dedic.csv');

describe('spatten replay (performance model)', () => {
  it('gives time per decode step at design.clockMHz, and at the fmax of a timing report of the config', async () => {
    const plain = JSON.parse(
      (await spatten('replay', PRUNED, '--preset', 'fpga', '--json')).stdout,
    );
    const steps = new Set(readTrace(PRUNED).rows.map((row) => row.step)).size;
    const perStep = plain.cycles / steps;
    expect(plain.time).toEqual({
      decodeSteps: steps,
      clockMHz: 200,
      usPerStepAtClock: Math.round((perStep / 200) * 1000) / 1000,
      fmaxEstMHz: null,
      usPerStepAtFmaxEst: null,
      fmaxSource: null,
    });
    // A bench timing report of the same config: the design runs at its slowest module's clock.
    const hash = resolveConfig({ preset: 'fpga' }).hash;
    const report = join(scratch, 'timing.json');
    writeFileSync(
      report,
      JSON.stringify({
        configHash: hash,
        results: [
          { module: 'spatten_topk', fmaxEstMHz: 250 },
          { module: 'spatten_top', fmaxEstMHz: 125 },
        ],
      }),
    );
    const timed = JSON.parse(
      (await spatten('replay', PRUNED, '--preset', 'fpga', '--timing', report, '--json')).stdout,
    );
    expect(timed.time).toMatchObject({ fmaxEstMHz: 125, fmaxSource: `${report} (spatten_top)` });
    expect(timed.time.usPerStepAtFmaxEst).toBeCloseTo(perStep / 125, 2);
    const other = await spatten(
      'replay',
      PRUNED,
      '--preset',
      'fpga',
      '--set',
      'design.clockMHz=150',
      '--timing',
      report,
    );
    expect(other.exitCode).toBe(2);
    expect(other.stderr).toContain(`a report of config ${hash}`);
  });

  it('prints the report JSON; the paper schedule saves 8x DRAM bytes over dense', async () => {
    const pruned = JSON.parse(
      (await spatten('replay', PRUNED, '--preset', 'fpga', '--json')).stdout,
    );
    expect(Object.keys(pruned)).toEqual(REPORT_KEYS);
    const requests = readTrace(PRUNED).rows.length;
    expect(pruned).toMatchObject({
      trace: 'gpt2-small-decode.csv',
      preset: 'fpga',
      mode: 'model',
      layerDependency: true,
      requests,
    });
    expect(pruned.dramBytes.total).toBe(
      pruned.dramBytes.keyMsb + pruned.dramBytes.keyLsb + pruned.dramBytes.value,
    );
    expect(pruned.cycles).toBeGreaterThanOrEqual(pruned.lowerBoundCycles);
    // About 40 % of the keys at 6 of 12 bits, values for a fifth of those: about 1/9 of the bytes.
    const dense = JSON.parse((await spatten('replay', DENSE, '--preset', 'fpga', '--json')).stdout);
    expect(dense.requests).toBe(requests);
    expect(dense.dramBytes.total / pruned.dramBytes.total).toBeGreaterThanOrEqual(8);
    // Energy: the components add up, DRAM dominates a decode step, pruning saves most of it.
    const { nj } = pruned.energy;
    const parts = ['dram', 'qk', 'pv', 'softmax', 'topk', 'sram', 'control'];
    expect(parts.reduce((sum, c) => sum + nj[c], 0)).toBeCloseTo(nj.total, 1);
    expect(pruned.energy.dramShare).toBeGreaterThan(0.5);
    expect(pruned.energy.njPerToken).toBeCloseTo(nj.total / pruned.time.decodeSteps, 1);
    expect(pruned.energy.events.dramBytes.keyMsb).toBe(pruned.dramBytes.keyMsb);
    expect(dense.energy.nj.total / nj.total).toBeGreaterThan(4);
  });

  const absent = !REAL_PRUNED || !REAL_DENSE;
  it.skipIf(absent)('real GPT-2 traces: 4608 requests, 8x fewer bytes pruned', async () => {
    const replay = async (file?: string) =>
      JSON.parse((await spatten('replay', file as string, '--preset', 'fpga', '--json')).stdout);
    const pruned = await replay(REAL_PRUNED);
    expect(Object.keys(pruned)).toEqual(REPORT_KEYS);
    const trace = 'summary-gpt2-small-wikitext2-per8.csv';
    expect(pruned).toMatchObject({ trace, mode: 'model', requests: 4608 });
    expect(pruned.cycles).toBeGreaterThanOrEqual(pruned.lowerBoundCycles);
    const dense = await replay(REAL_DENSE);
    expect(dense.dramBytes.total / pruned.dramBytes.total).toBeGreaterThanOrEqual(8);
  });

  it('honours --limit and --independent', async () => {
    const limited = JSON.parse((await spatten('replay', PRUNED, '--limit', '24', '--json')).stdout);
    expect(limited.requests).toBe(24);
    const independent = JSON.parse(
      (await spatten('replay', PRUNED, '--limit', '24', '--independent', '--json')).stdout,
    );
    expect(independent.layerDependency).toBe(false);
    expect(independent.cycles).toBeLessThanOrEqual(limited.cycles);
  });

  it('writes a per-layer table and well-formed SVG charts with --report', async () => {
    const dir = join(scratch, 'report');
    expect((await spatten('replay', PRUNED, '--limit', '288', '--report', dir)).exitCode).toBe(0);
    const table = readFileSync(join(dir, 'layers.md'), 'utf8');
    expect(table.split('\n').filter((line) => /^\| \d+ \|/.test(line))).toHaveLength(12);
    for (const svg of ['layers-cycles.svg', 'layers-bytes.svg']) {
      const text = readFileSync(join(dir, svg), 'utf8');
      expect(XMLValidator.validate(text)).toBe(true);
      expect(text.match(/<rect [^>]*><title>/g)).toHaveLength(24);
    }
    // Energy: 12 layers x (dense, pruned) bars of 7 stacked components each.
    const energy = readFileSync(join(dir, 'layers-energy.svg'), 'utf8');
    expect(XMLValidator.validate(energy)).toBe(true);
    expect(energy.match(/<rect [^>]*><title>/g)).toHaveLength(12 * 2 * 7);
    expect(energy).toContain('<title>dense dram 0: ');
  });

  it('rejects malformed traces with file:line and column, exit 2, nothing written', async () => {
    const bad = join(scratch, 'bad.csv');
    const lines = readFileSync(PRUNED, 'utf8').split('\n').slice(0, 4);
    const cells = (lines[2] ?? '').split(',');
    cells[5] = '999'; // key_fetch_num above sentence_length_L
    lines[2] = cells.join(',');
    writeFileSync(bad, `${lines.join('\n')}\n`);
    const dir = join(scratch, 'never');
    const run = await spatten('replay', bad, '--report', dir);
    expect(run.exitCode).toBe(2);
    const message = `column key_fetch_num = 999: keys kept exceed sentence_length_L (${cells[4]})`;
    expect(run.stderr).toContain(`${bad}:3: ${message}`);
    expect(existsSync(dir)).toBe(false);
    const mode = await spatten('replay', PRUNED, '--mode', 'magic');
    expect(mode.exitCode).toBe(2);
  });
});

describe('spatten replay refuses a trace the design cannot hold (both engines)', () => {
  const shape = { ...(GPT2_MODELS['gpt2-medium'] as DecodeShape), context: 1023, steps: 2 };
  const medium = decodeFixture('gpt2-medium-decode.csv', shape);
  const rule = (column: string, allowed: string, fix: string) =>
    new RegExp(
      `^error: ${medium}:\\d+: column ${column} = 12: does not fit the design ` +
        `\\(allowed: 0 to 11, ${allowed} .*--set ${fix} fits the trace\\)$`,
    );

  const engines = ['model', 'rtl'];
  it.each(engines)('GPT-2 medium at fpga, --mode %s: exit 2, a line per rule', async (mode) => {
    const dir = join(scratch, `never-${mode}`);
    const report = mode === 'model' ? ['--report', dir] : [];
    const run = await spatten('replay', medium, '--preset', 'fpga', '--mode', mode, ...report);
    expect(run.exitCode).toBe(2);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(rule('layer_id', 'top.layers = 12', 'top.layers=24'));
    expect(lines[1]).toMatch(rule('head_id', 'top.heads = 12', 'top.heads=16'));
    expect(existsSync(dir)).toBe(false);
  });

  it('a GPT-2 small trace at preset tiny: its context and head dimension are named', async () => {
    const run = await spatten('replay', PRUNED, '--preset', 'tiny', '--json');
    expect(run.exitCode).toBe(2);
    expect(run.stdout).toBe('');
    const misfit = (column: string, allowed: string) =>
      `error: ${PRUNED}:2: column ${column}: does not fit the design (allowed: ${allowed};`;
    const tokens = 'at most model.maxTokens = 64 tokens per request';
    expect(run.stderr).toContain(misfit('sentence_length_L = 993', tokens));
    const headDim = "the design's head dimension model.headDim = 8";
    expect(run.stderr).toContain(misfit('embedding_length_D = 64', headDim));
  });
});

/** Preset tiny's shape (4 heads, up to 64 tokens): two steps of 3 layers, tokens, heads pruned. */
const TINY_SHAPE = { layers: 3, heads: 4, headDim: 8, context: 60, steps: 2 };
const TINY_SCHEDULE = {
  tokenKeep: 0.2,
  headKeep: 0.5,
  valueKeep: 0.25,
  quantization: { ...SPATTEN_QUANTIZATION, refetch: 0.5 },
};
const tinyTrace = () => decodeFixture('tiny-trace.csv', TINY_SHAPE, TINY_SCHEDULE);

describe('spatten replay --mode rtl (spatten_top in Verilator)', () => {
  it('replays the trace on the RTL, checked against the golden model, with the same report keys', async () => {
    const trace = tinyTrace();
    const run = await spatten('replay', trace, '--preset', 'tiny', '--mode', 'rtl', '--json');
    expect(run.exitCode, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(Object.keys(report)).toEqual(REPORT_KEYS);
    // First decode step only (the default subset): 3 layers of all 4 heads, the top skipping pruned ones.
    expect(report).toMatchObject({
      mode: 'rtl',
      preset: 'tiny',
      requests: 12,
      layerDependency: true,
    });
    expect(report.cycles).toBeGreaterThanOrEqual(report.lowerBoundCycles);
    // Layer 0 runs every head and some of its rows refetch LSBs (seeded): the refetch reaches DRAM.
    const rows = readTrace(trace).rows;
    expect(rows.some((r) => r.step === 0 && r.layer === 0 && r.requant)).toBe(true);
    expect(report.dramBytes.keyLsb).toBeGreaterThan(0);
    // Two steps' rows: 2 x 3 layers x 4 heads requests.
    const limit = String(2 * rows.filter((r) => r.step === 0).length);
    const rtl = ['--preset', 'tiny', '--mode', 'rtl'];
    const two = await spatten('replay', trace, ...rtl, '--limit', limit, '--json');
    const all = JSON.parse(two.stdout);
    expect(all.requests).toBe(24);
    expect(all.dramBytes.total).toBeGreaterThan(report.dramBytes.total);
  }, 300_000);

  it('refuses --independent and --report with the RTL engine (exit 2, nothing written)', async () => {
    const independent = await spatten(
      'replay',
      tinyTrace(),
      '--preset',
      'tiny',
      '--mode',
      'rtl',
      '--independent',
    );
    expect(independent.exitCode).toBe(2);
    expect(independent.stderr).toContain(
      '--independent: the RTL engine always honours the layer dependency',
    );
    const dir = join(scratch, 'rtl-report');
    const report = await spatten(
      'replay',
      tinyTrace(),
      '--preset',
      'tiny',
      '--mode',
      'rtl',
      '--report',
      dir,
    );
    expect(report.exitCode).toBe(2);
    expect(existsSync(dir)).toBe(false);
  });
});
