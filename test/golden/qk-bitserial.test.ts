/**
 * The bit-serial early-termination model (sim/golden/qk-bitserial.ts) is sound and exact: over
 * 10^5 random keys, at thresholds drawn around the keys' own dot products and at the extremes, no
 * key whose exact dot product reaches the threshold is pruned, every kept key's score equals the
 * parallel dot product, kept keys run every plane, and the upper bound after each plane never
 * rises and never falls below the exact dot product.
 */
import { describe, expect, it } from 'vitest';
import { dotProduct } from '../../sim/golden/qk-array';
import {
  accThreshold,
  bitserialScores,
  planeSum,
  planeWeight,
  upperBounds,
} from '../../sim/golden/qk-bitserial';
import { Rng } from '../../sim/harness/random';
import { randomSigned } from '../../sim/harness/targets/datapath-beats';
import { randomBitserialRequest } from '../../sim/harness/targets/qk-bitserial';
import { BITSERIAL_PROPERTY_SHAPES } from '../support/bitserial-shapes';
import { configWith } from '../support/config';

describe.each(BITSERIAL_PROPERTY_SHAPES)(
  'bit-serial Q×K with early termination at $name',
  ({ sets, keys }) => {
    const config = configWith('tiny', sets).config;
    const { headDim: D } = config.model;
    const { keyBits: B, queryBits } = config.datapath;

    it('the planes add up to the dot product', () => {
      const rng = new Rng(1);
      for (let n = 0; n < 200; n += 1) {
        const query = Array.from({ length: D }, () => randomSigned(rng, queryBits));
        const key = Array.from({ length: D }, () => randomSigned(rng, B));
        let sum = 0n;
        for (let plane = 0; plane < B; plane += 1)
          sum += planeWeight(plane, B) * planeSum(query, key, plane, B);
        expect(sum).toBe(dotProduct(query, key));
      }
    });

    it(`prunes no key that reaches the threshold, scores survivors exactly (${keys} keys)`, () => {
      const rng = new Rng(2);
      let pruned = 0;
      let planes = 0;
      let checked = 0;
      while (checked < keys) {
        // Thresholds around a key's own score (ties included), beyond every key either way, or at
        // the format's end: the simulation target's requests.
        const { query, threshold, keys: batch } = randomBitserialRequest(config, rng, 100);
        const exact = batch.map((k) => dotProduct(query, k.elements));
        const scores = bitserialScores(config, { query, threshold, keys: batch });
        scores.forEach((s, i) => {
          const dot = exact[i] ?? 0n;
          expect(s.kept, `threshold ${threshold}, dot ${dot}`).toBe(dot >= threshold);
          expect(s.planes).toBeGreaterThanOrEqual(1);
          expect(s.planes).toBeLessThanOrEqual(B);
          if (s.kept) {
            expect(s.acc).toBe(dot);
            expect(s.planes).toBe(B);
          } else pruned += 1;
          planes += s.planes;
        });
        checked += batch.length;
      }
      // The thresholds above cut through the keys: both outcomes and early exits occur.
      expect(pruned).toBeGreaterThan(checked / 10);
      expect(pruned).toBeLessThan(checked);
      expect(planes).toBeLessThan(checked * B);
    });

    it('bounds the dot product from above after every plane, never rising', () => {
      const rng = new Rng(3);
      for (let n = 0; n < 2000; n += 1) {
        const query = Array.from({ length: D }, () => randomSigned(rng, queryBits));
        const key = Array.from({ length: D }, () => randomSigned(rng, B));
        const dot = dotProduct(query, key);
        const bounds = upperBounds(query, key, B);
        bounds.forEach((u, b) => {
          expect(u >= dot).toBe(true);
          if (b > 0) expect(u <= (bounds[b - 1] ?? u)).toBe(true);
        });
        expect(bounds[B - 1]).toBe(dot);
      }
    });

    it('converts a score threshold to the accumulator: below it exactly when the score is', () => {
      const f = 2 ** (config.datapath.queryFrac + config.datapath.keyFrac);
      const rng = new Rng(4);
      for (let n = 0; n < 1000; n += 1) {
        const t = (rng.int(-4000, 4000) / 1000) * 1.37;
        const T = accThreshold(config, t);
        const score = (acc: bigint) => Number(acc) / f / Math.sqrt(D);
        expect(score(T) >= t).toBe(true);
        expect(score(T - 1n) < t).toBe(true);
      }
    });
  },
);
