import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';

const scratch = mkdtempSync(join(tmpdir(), 'spatten-replay-'));
const spatten = (...args: string[]) => execa('node', ['bin/spatten.mjs', ...args], { reject: false });
const PRUNED = '../shared/workloads/summary-gpt2-small-wikitext2-per8.csv';
const DENSE = '../shared/workloads/summary-gpt2-small-wikitext2-per8-step1+dedic.csv';

describe('spatten replay (performance model)', () => {
  it('prints the report JSON of the issue, and pruning saves at least 8x DRAM bytes over the baseline', async () => {
    const pruned = JSON.parse((await spatten('replay', PRUNED, '--preset', 'fpga', '--json')).stdout);
    expect(Object.keys(pruned)).toEqual(['trace', 'preset', 'mode', 'layerDependency', 'requests', 'cycles', 'lowerBoundCycles', 'boundRatio', 'dramBytes', 'bytesPerRequest', 'utilization']);
    expect(pruned).toMatchObject({ trace: 'summary-gpt2-small-wikitext2-per8.csv', preset: 'fpga', mode: 'model', layerDependency: true, requests: 4608 });
    expect(pruned.dramBytes.total).toBe(pruned.dramBytes.keyMsb + pruned.dramBytes.keyLsb + pruned.dramBytes.value);
    expect(pruned.cycles).toBeGreaterThanOrEqual(pruned.lowerBoundCycles);
    const dense = JSON.parse((await spatten('replay', DENSE, '--preset', 'fpga', '--json')).stdout);
    expect(dense.dramBytes.total / pruned.dramBytes.total).toBeGreaterThanOrEqual(8);
  });

  it('honours --limit and --independent', async () => {
    const limited = JSON.parse((await spatten('replay', PRUNED, '--limit', '24', '--json')).stdout);
    expect(limited.requests).toBe(24);
    const independent = JSON.parse((await spatten('replay', PRUNED, '--limit', '24', '--independent', '--json')).stdout);
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
  });

  it('rejects malformed traces with file:line and column, exit 2, nothing written', async () => {
    const bad = join(scratch, 'bad.csv');
    const lines = readFileSync(PRUNED, 'utf8').split('\n').slice(0, 4);
    lines[2] = (lines[2] ?? '').replace(/^0,0,1,64.0,993,993,/, '0,0,1,64.0,993,999,');
    writeFileSync(bad, `${lines.join('\n')}\n`);
    const dir = join(scratch, 'never');
    const run = await spatten('replay', bad, '--report', dir);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(`${bad}:3: column key_fetch_num = 999: keys kept exceed sentence_length_L (993)`);
    expect(existsSync(dir)).toBe(false);
    const mode = await spatten('replay', PRUNED, '--mode', 'magic');
    expect(mode.exitCode).toBe(2);
  });
});

/** A trace that fits preset tiny (4 heads, 64 tokens): two decode steps of 3 layers, tokens and heads pruned. */
function tinyTrace(): string {
  const header = 'iteration_id,layer_id,head_id,embedding_length_D,sentence_length_L,key_fetch_num,quant_key_bit,quant_query_bit,auto_requant_thres,if_requant,auto_requant_incre,value_fetch_num,quant_value_bit,if_accumulate_importance,if_rescale_previous_importance,if_topk,topk';
  const lines = [header];
  for (const step of [0, 1]) {
    [[60, 4], [30, 3], [12, 2]].forEach(([keys, heads], layer) => {
      for (let head = 0; head < (heads ?? 0); head += 1) {
        lines.push(`${step},${layer},${head},8.0,60,${keys},4,8,0.05,${head % 2 === 0 ? 'True' : 'False'},4,${Math.ceil((keys ?? 0) / 4)},8,True,False,False,-1`);
      }
    });
  }
  lines.push('configs/tiny.yml,,,,,,,,,,,,,,,,');
  const file = join(scratch, 'tiny-trace.csv');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

describe('spatten replay --mode rtl (spatten_top in Verilator)', () => {
  it('replays the trace on the RTL, checked against the golden model, with the same report keys', async () => {
    const run = await spatten('replay', tinyTrace(), '--preset', 'tiny', '--mode', 'rtl', '--json');
    expect(run.exitCode, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(Object.keys(report)).toEqual(['trace', 'preset', 'mode', 'layerDependency', 'requests', 'cycles', 'lowerBoundCycles', 'boundRatio', 'dramBytes', 'bytesPerRequest', 'utilization']);
    // First decode step only (the default subset): 3 layers of all 4 heads, the top skipping pruned ones.
    expect(report).toMatchObject({ mode: 'rtl', preset: 'tiny', requests: 12, layerDependency: true });
    expect(report.cycles).toBeGreaterThanOrEqual(report.lowerBoundCycles);
    expect(report.dramBytes.keyLsb).toBeGreaterThan(0);
    const all = JSON.parse((await spatten('replay', tinyTrace(), '--preset', 'tiny', '--mode', 'rtl', '--limit', '18', '--json')).stdout);
    expect(all.requests).toBe(24);
    expect(all.dramBytes.total).toBeGreaterThan(report.dramBytes.total);
  }, 300_000);

  it('refuses --independent and --report with the RTL engine (exit 2, nothing written)', async () => {
    const independent = await spatten('replay', tinyTrace(), '--preset', 'tiny', '--mode', 'rtl', '--independent');
    expect(independent.exitCode).toBe(2);
    expect(independent.stderr).toContain('--independent: the RTL engine always honours the layer dependency');
    const dir = join(scratch, 'rtl-report');
    const report = await spatten('replay', tinyTrace(), '--preset', 'tiny', '--mode', 'rtl', '--report', dir);
    expect(report.exitCode).toBe(2);
    expect(existsSync(dir)).toBe(false);
  });
});
