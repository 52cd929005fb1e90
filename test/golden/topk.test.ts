import { describe, expect, it } from 'vitest';
import { quickSelect, orderKey, pickBin } from '../../sim/golden/quick-select';
import { type TopkRequest, topk, topkSelect } from '../../sim/golden/topk';
import { Rng } from '../../sim/harness/random';
import {
  DISTRIBUTIONS,
  randomRequest,
  randomValues,
} from '../../sim/harness/targets/topk-requests';

const signed = {
  parallelism: 4,
  capacity: 64,
  valueBits: 8,
  signed: true,
  outLanes: 4,
  radixBits: 4,
  lengthBits: 8,
};
const unsigned = { ...signed, signed: false, radixBits: 2, outLanes: 6, parallelism: 2 };

const indices = (request: TopkRequest, shape = signed) =>
  topkSelect(request, shape).map((e) => e.index);

describe('topk contract (golden model)', () => {
  it('takes the largest values, ties at the k-th value by lower index, output in index order', () => {
    const request = { values: [5, 9, 7, 9, 7, 7, 1, 7], n: 8, k: 4 };
    // 9, 9 (indices 1, 3) and the first two 7s (indices 2, 4).
    expect(indices(request)).toEqual([1, 2, 3, 4]);
    expect(topkSelect(request, signed).map((e) => e.value)).toEqual([9, 7, 9, 7]);
  });

  it('orders signed values with negatives below zero', () => {
    expect(indices({ values: [-1, 0, -128, 127, -2], n: 5, k: 2 })).toEqual([1, 3]);
    expect(indices({ values: [-1, 0, -128, 127, -2], n: 5, k: 4 })).toEqual([0, 1, 3, 4]);
  });

  it('packs output beats densely with last on the final beat', () => {
    const beats = topk({ values: Array.from({ length: 20 }, (_, i) => i), n: 20, k: 9 }, signed);
    expect(beats.map((b) => b.elements.length)).toEqual([4, 4, 1]);
    expect(beats.map((b) => b.last)).toEqual([false, false, true]);
    expect(beats.flatMap((b) => b.elements.map((e) => e.index))).toEqual([
      11, 12, 13, 14, 15, 16, 17, 18, 19,
    ]);
  });

  it('gives one empty beat with last for k = 0 and for n = 0', () => {
    expect(topk({ values: [3, 4], n: 2, k: 0 }, signed)).toEqual([
      { elements: [], error: false, last: true },
    ]);
    expect(topk({ values: [], n: 0, k: 5 }, signed)).toEqual([
      { elements: [], error: false, last: true },
    ]);
  });

  it('returns everything for k >= n', () => {
    expect(indices({ values: [4, 2, 9], n: 3, k: 3 })).toEqual([0, 1, 2]);
    expect(indices({ values: [4, 2, 9], n: 3, k: 200 })).toEqual([0, 1, 2]);
  });

  it('clamps n > capacity to capacity and flags the error on every beat', () => {
    const values = Array.from({ length: 70 }, (_, i) => (i >= 64 ? 127 : i));
    const beats = topk({ values, n: 70, k: 5 }, signed);
    expect(beats.flatMap((b) => b.elements.map((e) => e.index))).toEqual([59, 60, 61, 62, 63]);
    expect(beats.every((b) => b.error)).toBe(true);
  });

  it('ignores lanes at and above n in the last beat', () => {
    expect(indices({ values: [1, 2, 3, 50], n: 3, k: 1 })).toEqual([2]);
  });
});

describe('quick_select golden model', () => {
  it('maps values to keys that order like the values', () => {
    const keys = [-128, -1, 0, 1, 127].map((v) => orderKey(v, signed));
    expect(keys).toEqual([0, 127, 128, 129, 255]);
    expect(orderKey(200, { valueBits: 8, signed: false })).toBe(200);
    expect(
      [-(2 ** 31), -1, 0, 2 ** 31 - 1].map((v) => orderKey(v, { valueBits: 32, signed: true })),
    ).toEqual([0, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1]);
  });

  it('picks the largest bin whose suffix count reaches the rank', () => {
    expect(pickBin([5, 0, 2, 1], 3)).toEqual({ bin: 2, above: 1 });
    expect(pickBin([5, 0, 2, 1], 1)).toEqual({ bin: 3, above: 0 });
    expect(pickBin([5, 0, 2, 1], 9)).toEqual({ bin: 0, above: 3 });
  });

  for (const shape of [signed, unsigned]) {
    it(`agrees with sorting on random requests (${shape.signed ? 'signed' : 'unsigned'}, radix ${shape.radixBits})`, () => {
      const seed = 20250;
      const rng = new Rng(seed);
      for (let trial = 0; trial < 300; trial += 1) {
        const request = randomRequest(rng, shape);
        const { result, candidates, scanned } = quickSelect(request, shape);
        const nEff = Math.min(
          request.n,
          shape.capacity,
          Math.max(1, Math.ceil(request.values.length / shape.parallelism)) * shape.parallelism,
        );
        const values = Array.from({ length: nEff }, (_, i) => request.values[i] ?? 0);
        const sorted = [...values].sort((a, b) => b - a);
        const kEff = Math.min(request.k, nEff);
        const where = `seed ${seed} trial ${trial}: ${JSON.stringify(request)}`;
        expect(result.selected, where).toBe(kEff);
        expect(result.error, where).toBe(request.n > shape.capacity);
        if (kEff > 0) {
          const kth = sorted[kEff - 1] as number;
          expect(result.kth, where).toBe(kth);
          expect(result.greater, where).toBe(values.filter((v) => v > kth).length);
          expect(result.atLeast, where).toBe(values.filter((v) => v >= kth).length);
        } else {
          expect(result, where).toMatchObject({ kth: 0, greater: 0, atLeast: 0 });
        }
        // The candidates are in index order and hold every selected element.
        const candidateIndices = candidates.map((c) => c.index);
        expect(candidateIndices, where).toEqual([...candidateIndices].sort((a, b) => a - b));
        for (const chosen of topkSelect(request, shape))
          expect(candidateIndices, where).toContain(chosen.index);
        // Rounds are bounded by the digit count whatever the data.
        expect(scanned.length, where).toBeLessThanOrEqual(shape.valueBits / shape.radixBits - 1);
        // Passes: the arrival's n_eff, then pools that only shrink, inside the n_eff × digits bound.
        expect(result.passes, where).toBe(nEff + scanned.reduce((sum, pool) => sum + pool, 0));
        expect(scanned, where).toEqual([...scanned].sort((a, b) => b - a));
        if (scanned.length > 0) expect(scanned[0], where).toBe(candidates.length);
        expect(result.passes, where).toBeLessThanOrEqual(
          (nEff * shape.valueBits) / shape.radixBits,
        );
      }
    });
  }

  it('keeps every selected element for each distribution, with extremes and duplicates', () => {
    const rng = new Rng(7);
    for (const distribution of DISTRIBUTIONS) {
      for (const k of [1, 13, 32, 63, 64]) {
        const request = { values: randomValues(rng, 64, signed, distribution), n: 64, k };
        const { result, candidates } = quickSelect(request, signed);
        const chosen = topkSelect(request, signed);
        expect(chosen.length).toBe(k);
        expect(chosen.filter((e) => e.value > result.kth).length).toBe(result.greater);
        expect(candidates.length).toBeGreaterThanOrEqual(k);
      }
    }
  });
});
