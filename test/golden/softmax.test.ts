import { describe, expect, it } from 'vitest';
import { softmaxBenchmark, softmaxUnits } from '../../bench/softmax';
import { deriveSoftmax } from '../../generator/config/derive-softmax';
import { ACCURACY_TARGET_LSB, softmaxErrorBoundLsb } from '../../generator/config/softmax-accuracy';
import {
  expFixed,
  reciprocal,
  rowError,
  runsError,
  softmaxFloat,
  softmaxRow,
  softmaxRuns,
  softmaxUnit,
  sumTermFixed,
} from '../../sim/golden/softmax';
import { Rng } from '../../sim/harness/random';
import { SOFTMAX_SHAPES, shapeRows, tailDepths, tailRow } from '../../sim/harness/softmax-shapes';
import { randomRow } from '../../sim/harness/targets/softmax';
import { configWith } from '../support/config';

const tiny = configWith('tiny').config;
const fpga = configWith('fpga').config;

describe('softmax golden model: exact cases', () => {
  it('gives 1.0 to a single score, with exp(0) as the sum', () => {
    const result = softmaxRow(tiny, [-37n]);
    const { expZero, sumGuard } = deriveSoftmax(tiny);
    expect(result).toEqual({
      probs: [128n],
      max: 128n,
      sum: BigInt(expZero) << BigInt(sumGuard),
      overflow: false,
    });
  });

  it('saturates 1.0 to 1 - 2^-F when the format has no integer bit', () => {
    const config = configWith('tiny', ['softmax.probBits=7']).config;
    expect(softmaxRow(config, [5n]).probs).toEqual([127n]);
  });

  it('gives equal scores equal probabilities, never above 1/n and within half an LSB of it', () => {
    for (const n of [2, 3, 7, 10, 64]) {
      const { probs, max } = softmaxRow(tiny, new Array<bigint>(n).fill(100n));
      expect(new Set(probs).size).toBe(1);
      expect(max).toBe(probs[0]);
      const exact = 128 / n;
      expect(Number(probs[0])).toBeLessThanOrEqual(Math.floor(exact + 0.5));
      expect(Math.abs(Number(probs[0]) - exact)).toBeLessThanOrEqual(0.5);
    }
  });

  it('gives a dominant score all the probability', () => {
    const { probs, max } = softmaxRow(tiny, [-2048n, 2047n, -2048n, -100n]);
    expect(probs).toEqual([0n, 128n, 0n, 0n]);
    expect(max).toBe(128n);
  });

  it('cuts a row longer than the capacity to its first capacity scores and flags it', () => {
    const rng = new Rng(11);
    const row = randomRow(tiny, rng, 70, 'attention');
    const result = softmaxRow(tiny, row);
    expect(result.overflow).toBe(true);
    expect(result.probs).toEqual(softmaxRow(tiny, row.slice(0, 64)).probs);
  });

  it('rejects an empty row', () => {
    expect(() => softmaxRow(tiny, [])).toThrow('at least one score');
  });
});

describe('softmax golden model: number formats', () => {
  it('computes exp(0) exactly as the table product and keeps every mantissa below 2', () => {
    for (const config of [tiny, fpga]) {
      const unit = softmaxUnit(config);
      const E = config.softmax.expFrac;
      expect(expFixed(unit, 0n)).toBe(unit.k.expZero);
      for (const hi of unit.k.hiTable) {
        for (const lo of unit.k.loTable)
          expect(Math.floor((hi * lo + 2 ** (E - 1)) / 2 ** E)).toBeLessThan(2 ** (E + 1));
      }
    }
  });

  it('is monotone in the score, so `max` is the largest probability', () => {
    const unit = softmaxUnit(tiny);
    let previous = -1;
    for (let d = -(2 ** 12); d <= 0; d += 1) {
      const e = expFixed(unit, BigInt(d));
      expect(e).toBeGreaterThanOrEqual(previous);
      previous = e;
    }
    expect(expFixed(unit, -(2n ** 12n))).toBe(0);
  });

  it('tracks exp to within 2^-E plus a relative 2^-(2A+1) ln 2', () => {
    const unit = softmaxUnit(fpga);
    const { expFrac: E, scoreFrac, tableBits: A } = fpga.softmax;
    for (let d = -4000; d <= 0; d += 7) {
      const exact = Math.exp(d / 2 ** scoreFrac) * 2 ** E;
      expect(Math.abs(expFixed(unit, BigInt(d)) - exact)).toBeLessThanOrEqual(
        1 + exact * Math.LN2 * 2 ** -(2 * A + 1),
      );
    }
  });

  it('rounds the sum terms clog2(capacity) bits finer than the exponentials, half up', () => {
    for (const config of [tiny, fpga]) {
      const unit = softmaxUnit(config);
      const { sumGuard, sumFrac } = unit.k;
      expect(sumGuard).toBe(Math.log2(config.softmax.capacity));
      for (let d = -3000; d <= 0; d += 13) {
        const term = sumTermFixed(unit, BigInt(d));
        // The same mantissa: the E-bit exponential is the term rounded again (within one E-bit LSB).
        expect(Math.abs(term / 2 ** sumGuard - expFixed(unit, BigInt(d)))).toBeLessThanOrEqual(0.5);
        const exact = Math.exp(d / 2 ** config.softmax.scoreFrac) * 2 ** sumFrac;
        const { tableBits: A, expFrac: E } = config.softmax;
        expect(Math.abs(term - exact)).toBeLessThanOrEqual(
          0.5 + exact * (Math.LN2 * 2 ** -(2 * A + 1) + 2 ** -E * 2),
        );
      }
    }
  });

  it('truncates the reciprocal: Q = floor(2^(K+QW-1) / sum), K = sumFrac', () => {
    const unit = softmaxUnit(tiny);
    const K = unit.k.sumFrac;
    const QW = unit.k.quotientBits;
    expect(reciprocal(unit, 300000n)).toBe(BigInt(Math.floor(2 ** (K + QW - 1) / 300000)));
    expect(reciprocal(unit, 1n << BigInt(K))).toBe(1n << BigInt(QW - 1));
  });

  it('has a float64 reference that sums to 1 and is shift invariant', () => {
    const p = softmaxFloat([1, 2, 3]);
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    softmaxFloat([101, 102, 103]).forEach((q, i) => {
      expect(q).toBeCloseTo(p[i] ?? 0, 12);
    });
  });
});

describe('softmax golden model: accuracy targets against float64', () => {
  // 1,000 random and attention-like rows of n up to 1024, for the fpga formats (u12.11) and u12.12.
  it.each([
    ['fpga (u12.11)', [] as string[]],
    ['u12.12', ['softmax.probFrac=12', 'softmax.tableBits=7']],
  ])('%s: max abs error <= 2 LSB, row sum within n/2 LSB of 1.0', (_name, sets) => {
    const config = configWith('fpga', sets).config;
    const seed = 2026;
    const rng = new Rng(seed);
    let worst = 0;
    for (let row = 0; row < 1000; row += 1) {
      const n = rng.int(2, 1024);
      const scores = randomRow(config, rng, n, row % 2 === 0 ? 'uniform' : 'attention');
      const error = rowError(config, scores);
      worst = Math.max(worst, error.maxAbsErrLsb);
      expect(error.sumErrLsb, `seed ${seed}, row ${row}, n ${n}`).toBeLessThanOrEqual(n / 2);
    }
    expect(worst, `seed ${seed}`).toBeLessThanOrEqual(2);
  });

  // Every shape of the bench, long tails over every tail depth at n = capacity (2048 at fpga and
  // paper), as the attention core builds the unit; the presets and formats at the rules' minimum
  // internal precision (expFrac = probFrac + 3, 2 x tableBits > probFrac, guardBits 1).
  /** A probability format for both the core's instance (datapath) and the section's own unit. */
  const prob = (bits: number, frac: number) => [
    `datapath.probBits=${bits}`,
    `datapath.probFrac=${frac}`,
    `softmax.probBits=${bits}`,
    `softmax.probFrac=${frac}`,
  ];
  /** The rules' minimum internal precision for Fp fraction bits. */
  const least = (frac: number) => [
    `softmax.expFrac=${frac + 3}`,
    `softmax.tableBits=${Math.ceil((frac + 1) / 2)}`,
    'softmax.guardBits=1',
  ];
  it.each([
    ['tiny', 'tiny', []],
    ['fpga', 'fpga', []],
    ['paper', 'paper', []],
    ['fpga, u4.3, least precision', 'fpga', [...prob(4, 3), ...least(3)]],
    ['fpga, u8.8, least precision', 'fpga', [...prob(8, 8), ...least(8)]],
    [
      'fpga, u16.15, least precision, s8.0 scores',
      'fpga',
      [...prob(16, 15), ...least(15), 'datapath.scoreBits=8', 'datapath.scoreFrac=0'],
    ],
    [
      'tiny, s32.20 scores, 256 tokens',
      'tiny',
      ['datapath.scoreBits=32', 'datapath.scoreFrac=20', 'model.maxTokens=256'],
    ],
  ] as [string, string, string[]][])(
    '%s: every shape within 2 LSB and within the proven bound',
    (_name, preset, sets) => {
      for (const { unit, config } of softmaxUnits(configWith(preset, sets).config)) {
        const bound = softmaxErrorBoundLsb(config.softmax);
        expect(bound, unit).toBeLessThanOrEqual(ACCURACY_TARGET_LSB);
        const seed = 7;
        const rng = new Rng(seed);
        for (const shape of SOFTMAX_SHAPES) {
          for (const set of shapeRows(config, shape, rng, 3)) {
            const worst = Math.max(...set.runs.map((runs) => runsError(config, runs).maxAbsErrLsb));
            expect(worst, `${unit}, ${shape}, n ${set.n}, seed ${seed}`).toBeLessThanOrEqual(bound);
          }
        }
      }
    },
  );

  it('computes a row given as runs exactly as the row itself (long tails at the deepest rounding)', () => {
    const { capacity } = tiny.softmax;
    for (const depth of tailDepths(tiny).filter((_, i) => i % 17 === 0)) {
      const runs = tailRow(tiny, capacity, 2, depth);
      const row = runs.flatMap((run) => new Array<bigint>(run.count).fill(run.score));
      const whole = softmaxRow(tiny, row);
      const grouped = softmaxRuns(tiny, runs);
      expect(grouped.sum).toBe(whole.sum);
      expect(whole.probs).toEqual(
        runs.flatMap((run, i) => new Array<bigint>(run.count).fill(grouped.probs[i] ?? -1n)),
      );
      expect(runsError(tiny, runs).maxAbsErrLsb).toBeCloseTo(rowError(tiny, row).maxAbsErrLsb, 9);
    }
  });
});

describe('spatten bench softmax', () => {
  it('reports the error of every shape, long tails at n = capacity, within the bound', async () => {
    const report = await softmaxBenchmark.run({
      resolved: configWith('tiny'),
      trials: 3,
      seed: 1,
      log: () => {},
    });
    expect(Object.keys(report)).toEqual(['module', 'results']);
    expect(report.module).toBe('softmax');
    expect(new Set(report.results.map((r) => r.shape))).toEqual(new Set(SOFTMAX_SHAPES));
    expect(report.results.find((r) => r.shape === 'long-tail')).toMatchObject({
      unit: 'attention_core',
      n: '64',
      rows: tailDepths(tiny).length,
    });
    for (const result of report.results) {
      expect(Object.keys(result)).toEqual([
        'preset',
        'unit',
        'shape',
        'n',
        'rows',
        'maxAbsErrLsb',
        'meanAbsErrLsb',
        'maxSumErrLsb',
        'boundLsb',
      ]);
      expect(result.maxAbsErrLsb as number).toBeLessThanOrEqual(result.boundLsb as number);
    }
  });
});
