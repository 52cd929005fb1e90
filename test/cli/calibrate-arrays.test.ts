/**
 * `spatten calibrate --workload FOLDER`: a user's queries and keys as .npy. The arrays here are
 * structured cases written back as reals, so the thresholds and the masses the command reports
 * can be checked against the golden functions on the same cases (which also checks the layout:
 * layer, case, token, element). Bad folders and arrays exit 2 with one line naming the file.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { calibrateThreshold, keptMass } from '../../sim/golden/keep-mass';
import { Rng } from '../../sim/harness/random';
import { type AttentionCase, structuredAttention } from '../../sim/harness/structured-attention';
import { configWith } from '../support/config';
import { writeNpy } from '../support/npy';

const spatten = (...args: string[]) =>
  execa('node', ['bin/spatten.mjs', ...args], { reject: false });
const scratch = mkdtempSync(join(tmpdir(), 'spatten-calibrate-'));
const { config } = configWith('tiny');
const dp = config.datapath;
const D = config.model.headDim;
const TOKENS = 32;

/** Layers of cases, and a folder holding them as queries.npy and keys.npy (reals, float32). */
function arraysFolder(name: string, layers: number, cases: number, layerAxis = true) {
  const rng = new Rng(5);
  const drawn: AttentionCase[][] = Array.from({ length: layers }, (_, layer) =>
    Array.from({ length: cases }, () =>
      structuredAttention(config, rng, { tokens: TOKENS, dominant: 2 + layer }),
    ),
  );
  const real = (raw: bigint, frac: number) => Number(raw) / 2 ** frac;
  const queries = drawn.flat().flatMap((c) => c.query.map((x) => real(x, dp.queryFrac)));
  const keys = drawn.flat().flatMap((c) => c.keys.flat().map((x) => real(x, dp.keyFrac)));
  const folder = join(scratch, name);
  mkdirSync(folder);
  const lead = layerAxis ? [layers] : [];
  writeNpy(join(folder, 'queries.npy'), [...lead, cases, D], queries);
  writeNpy(join(folder, 'keys.npy'), [...lead, cases, TOKENS, D], keys);
  return { folder, drawn };
}

interface Report {
  workload: string;
  tokens: number;
  saturated: { queryElements: number; keyElements: number };
  layers: {
    layer: number;
    threshold: string;
    calibrationCases: number;
    checkCases: number;
    keptMassMin: number;
  }[];
}

const calibrate = (folder: string, ...more: string[]) =>
  spatten('calibrate', '--mode', 'leopard', '--preset', 'tiny', '--workload', folder, ...more);

describe('spatten calibrate --workload FOLDER', () => {
  it('calibrates each layer on the first half of its cases and checks the rest', async () => {
    const { folder, drawn } = arraysFolder('two-layers', 2, 6);
    const run = await calibrate(folder, '--json');
    expect(run.exitCode, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as Report;
    expect(report).toMatchObject({ workload: folder, tokens: TOKENS });
    expect(report.saturated).toEqual({ queryElements: 0, keyElements: 0 });
    expect(report.layers.map((l) => l.layer)).toEqual([0, 1]);
    report.layers.forEach((l, layer) => {
      const cases = drawn[layer] as AttentionCase[];
      const threshold = calibrateThreshold(config, cases.slice(0, 3), 0.99);
      expect(l).toMatchObject({ calibrationCases: 3, checkCases: 3 });
      expect(l.threshold).toBe(threshold.toString());
      const masses = cases.slice(3).map((c) => keptMass(config, c, threshold));
      expect(l.keptMassMin).toBeCloseTo(Math.min(...masses), 12);
    });
  });

  it('takes arrays without a layer axis as one layer, and reports what clipped', async () => {
    const { folder } = arraysFolder('one-layer', 1, 4, false);
    const run = await calibrate(folder, '--json');
    expect(run.exitCode, run.stderr).toBe(0);
    expect((JSON.parse(run.stdout) as Report).layers).toHaveLength(1);
    const loud = join(scratch, 'loud');
    mkdirSync(loud);
    const huge = 2 ** (dp.queryBits - dp.queryFrac + 2);
    writeNpy(
      join(loud, 'queries.npy'),
      [2, D],
      Array.from({ length: 2 * D }, () => huge),
    );
    writeNpy(
      join(loud, 'keys.npy'),
      [2, 3, D],
      Array.from({ length: 6 * D }, () => 0.5),
    );
    const text = await calibrate(loud);
    expect(text.exitCode, text.stderr).toBe(0);
    expect(text.stderr).toContain(`calibrate: ${2 * D} query and 0 key elements clipped`);
    expect(text.stdout).toMatch(/^layer {2}threshold/);
  });

  it('refuses bad folders and arrays with exit 2 and one line naming the file', async () => {
    const { folder } = arraysFolder('good', 1, 2);
    const bad = (name: string, queries: number[], keys: number[], data = 0.25) => {
      const dir = join(scratch, name);
      mkdirSync(dir);
      const fill = (shape: number[]) =>
        Array.from({ length: shape.reduce((a, b) => a * b) }, () => data);
      writeNpy(join(dir, 'queries.npy'), queries, fill(queries));
      writeNpy(join(dir, 'keys.npy'), keys, fill(keys));
      return dir;
    };
    const cases: [string[], RegExp][] = [
      [[join(scratch, 'absent')], /--workload ".*absent": neither structured, head nor a folder/],
      [[scratch], /keys\.npy: cannot read \(ENOENT\)|queries\.npy: cannot read \(ENOENT\)/],
      [
        [folder, '--layers', '3'],
        /^error: --layers: shapes the structured and head workloads only/,
      ],
      [[bad('wide', [2, D + 1], [2, 3, D + 1])], /queries\.npy: D is 9, model\.headDim is 8/],
      [[bad('few', [1, D], [1, 3, D])], /queries\.npy: 1 case per layer \(at least 2/],
      [[bad('long', [2, D], [2, 65, D])], /keys\.npy: 65 tokens \(allowed: 1\.\.64/],
      [[bad('flat', [2 * D], [2, 3, D])], /queries\.npy: shape \(16\), expected \[layers, cases/],
      [[bad('nan', [2, D], [2, 3, D], Number.NaN)], /queries\.npy: element 0 is NaN/],
    ];
    for (const [args, message] of cases) {
      const run = await calibrate(...(args as [string, ...string[]]));
      expect(run.exitCode, `${args.join(' ')}: ${run.stderr}`).toBe(2);
      const errors = run.stderr.split('\n').filter((line) => line.startsWith('error'));
      expect(errors.length, run.stderr).toBeGreaterThanOrEqual(1);
      expect(run.stderr).toMatch(message);
      expect(run.stdout).toBe('');
    }
  });
});
