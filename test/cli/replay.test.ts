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
