import { describe, expect, it } from 'vitest';
import { softmaxBenchmark } from '../../bench/softmax';
import { deriveSoftmax } from '../../generator/config/derive-softmax';
import { expFixed, reciprocal, rowError, softmaxFloat, softmaxRow, softmaxUnit } from '../../sim/golden/softmax';
import { Rng } from '../../sim/harness/random';
import { randomRow } from '../../sim/harness/targets/softmax';
import { configWith } from '../support/config';

const tiny = configWith('tiny').config;
const fpga = configWith('fpga').config;

describe('softmax golden model: exact cases', () => {
  it('gives 1.0 to a single score, with exp(0) as the sum', () => {
    const result = softmaxRow(tiny, [-37n]);
    expect(result).toEqual({ probs: [128n], max: 128n, sum: BigInt(deriveSoftmax(tiny).expZero), overflow: false });
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
        for (const lo of unit.k.loTable) expect(Math.floor((hi * lo + 2 ** (E - 1)) / 2 ** E)).toBeLessThan(2 ** (E + 1));
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
      expect(Math.abs(expFixed(unit, BigInt(d)) - exact)).toBeLessThanOrEqual(1 + exact * Math.LN2 * 2 ** -(2 * A + 1));
    }
  });

  it('truncates the reciprocal: Q = floor(2^(E+QW-1) / sum)', () => {
    const unit = softmaxUnit(tiny);
    const { expFrac: E } = tiny.softmax;
    const QW = unit.k.quotientBits;
    expect(reciprocal(unit, 3000n)).toBe(BigInt(Math.floor(2 ** (E + QW - 1) / 3000)));
    expect(reciprocal(unit, 1n << BigInt(E))).toBe(1n << BigInt(QW - 1));
  });

  it('has a float64 reference that sums to 1 and is shift invariant', () => {
    const p = softmaxFloat([1, 2, 3]);
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    softmaxFloat([101, 102, 103]).forEach((q, i) => expect(q).toBeCloseTo(p[i] ?? 0, 12));
  });
});

describe('softmax golden model: accuracy targets against float64', () => {
  // 1,000 random and attention-like rows of n up to 1024, for the fpga formats (u12.11) and u12.12.
  it.each([
    ['fpga (u12.11)', [] as string[]],
    ['u12.12', ['softmax.probFrac=12']],
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
});

describe('spatten bench softmax', () => {
  it('reports error figures per distribution and row length in the issue\'s JSON shape', async () => {
    const report = await softmaxBenchmark.run({ resolved: configWith('tiny'), trials: 3, seed: 1, log: () => {} });
    expect(Object.keys(report)).toEqual(['module', 'results']);
    expect(report.module).toBe('softmax');
    expect(report.results.map((r) => `${String(r.distribution)}:${String(r.n)}`)).toEqual(
      ['uniform', 'attention', 'equal', 'one-hot'].flatMap((d) => [`${d}:1`, `${d}:16`]),
    );
    for (const result of report.results) {
      expect(Object.keys(result)).toEqual(['distribution', 'n', 'rows', 'maxAbsErrLsb', 'meanAbsErrLsb', 'maxSumErrLsb']);
      expect(result.rows).toBe(3);
      expect(result.maxAbsErrLsb as number).toBeLessThanOrEqual(2);
    }
  });
});
