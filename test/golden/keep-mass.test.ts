/**
 * Threshold calibration by kept softmax mass (sim/golden/keep-mass.ts) on the structured workload,
 * the early-termination benchmark's figures that need no synthesis (bench/leopard.ts), and the
 * SpAtten-against-SPRINT benchmark's (bench/sprint.ts).
 */
import { describe, expect, it } from 'vitest';
import { leopardFigures } from '../../bench/leopard';
import { reuseFigures, sprintFigures } from '../../bench/sprint';
import {
  calibrateThreshold,
  caseAccs,
  caseThreshold,
  keptMass,
  keptOutputError,
  prunedOutputError,
} from '../../sim/golden/keep-mass';
import { Rng } from '../../sim/harness/random';
import { structuredAttention } from '../../sim/harness/structured-attention';
import { headCase, structuredHead } from '../../sim/harness/structured-head';
import { configWith } from '../support/config';

/** The least of some accumulator values (bigints: no Math.min). */
const least = (values: readonly bigint[]) => [...values].sort((a, b) => (a < b ? -1 : 1))[0];

describe.each(['tiny', 'fpga'])('keep-mass calibration at %s', (preset) => {
  const config = configWith(preset).config;
  const rng = new Rng(11);
  const cases = Array.from({ length: 8 }, () =>
    structuredAttention(config, rng, { tokens: 64, dominant: 4 }),
  );

  it("keeps the mass asked for, and a case's threshold is the largest that does", () => {
    for (const c of cases) {
      const t = caseThreshold(config, c, 0.99);
      expect(keptMass(config, c, t)).toBeGreaterThanOrEqual(0.99);
      // The next larger score would drop the token at t: below the mass (or no token left).
      const above = caseAccs(c).filter((a) => a > t);
      const next = least(above) ?? t + 1n;
      expect(keptMass(config, c, next)).toBeLessThan(0.99);
    }
  });

  it('picks one threshold under which every calibration case keeps the mass', () => {
    const t = calibrateThreshold(config, cases, 0.99);
    for (const c of cases) {
      expect(t <= caseThreshold(config, c, 0.99)).toBe(true);
      expect(keptMass(config, c, t)).toBeGreaterThanOrEqual(0.99);
      expect(prunedOutputError(config, c, t)).toBeLessThan(0.2);
    }
    // Pruning nothing changes nothing.
    for (const c of cases) {
      expect(prunedOutputError(config, c, least(caseAccs(c)) ?? 0n)).toBeLessThan(1e-9);
    }
  });

  it('has no output error when every token is kept, and some when most are pruned', () => {
    for (const c of cases) {
      const all = keptOutputError(
        config,
        c,
        c.keys.map((_, i) => i),
      );
      expect(all.maxLsb).toBeLessThan(1e-9);
      expect(all.relative).toBeLessThan(1e-12);
      const one = keptOutputError(config, c, [0]);
      expect(one.maxLsb).toBeGreaterThan(one.meanLsb);
      expect(one.meanLsb).toBeGreaterThan(0);
    }
  });

  it('gives the SPRINT benchmark consistent figures', () => {
    const f = sprintFigures(config, 3, 64);
    const [spatten, sprint] = f.results;
    const { headDim: D } = config.model;
    expect(spatten?.keysScoredPerQuery).toBe(64);
    // Sound pre-score: every kept key passed it, so at least the kept keys are scored.
    expect(sprint?.keysScoredPerQuery).toBeGreaterThanOrEqual((sprint?.keptShare ?? 1) * 64);
    expect(sprint?.keysScoredPerQuery).toBeLessThan(64);
    expect(sprint?.nearMemoryBytesPerQuery).toBe((64 * config.datapath.prescoreBits * D) / 8);
    expect(sprint?.busBytesPerQuery).toBeLessThan(spatten?.busBytesPerQuery ?? 0);
    expect(f.preScoreCycles).toBe(17 + 16 * 64);
  });

  it('builds heads whose adjacent queries attend to nearly the same tokens', () => {
    const head = structuredHead(config, new Rng(4), {
      tokens: 48,
      queries: 48,
      correlation: 0.8,
      strength: [16, 20],
    });
    const top = (i: number) => {
      const accs = caseAccs(headCase(head, i));
      return new Set(
        [...accs.keys()].sort((a, b) => ((accs[b] ?? 0n) > (accs[a] ?? 0n) ? 1 : -1)).slice(0, 4),
      );
    };
    const shared = (i: number, j: number) => [...top(i)].filter((t) => top(j).has(t)).length;
    let near = 0;
    let far = 0;
    for (let i = 0; i + 24 < 48; i += 1) {
      near += shared(i, i + 1);
      far += shared(i, i + 24);
    }
    expect(near).toBeGreaterThan(24 * 2);
    expect(far).toBeLessThan(near / 4);
  });

  it('gives the reuse figures consistent values', () => {
    const { rows, summary } = reuseFigures(config, 3, 48);
    const [without, reuse] = rows;
    expect(reuse?.busShareOfDense).toBeLessThan(without?.busShareOfDense ?? 0);
    expect(reuse?.keptShare).toBe(without?.keptShare);
    expect(summary.adjacentFetchShare).toBeGreaterThan(0);
    expect(summary.adjacentFetchShare * 48).toBeLessThan(without?.keysScoredPerQuery ?? 0);
    expect(without?.keysScoredPerQuery).toBeGreaterThanOrEqual((without?.keptShare ?? 1) * 48);
  });

  it('gives the benchmark consistent figures (the bit-serial model equals the exact test)', () => {
    const f = leopardFigures(config, 3, 64);
    expect(f.planeShare).toBeGreaterThan(0);
    expect(f.planeShare).toBeLessThanOrEqual(1);
    expect(f.prunedShare).toBeGreaterThan(0);
    expect(f.bitserialKeyBytes).toBeLessThan(f.parallelKeyBytes);
    expect(f.bitserialCycles).toBeGreaterThan(f.cases * f.tokens * 0.5);
    expect(f.keptMassMean).toBeGreaterThan(0.9);
  });
});
