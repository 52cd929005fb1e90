/**
 * SPRINT's pre-score (sim/golden/prescore.ts) is sound: over 10^5 random keys at every pre-score
 * width, at thresholds drawn around the keys' own dot products and at the extremes, no key whose
 * exact dot product reaches the threshold fails the pre-score; the pre-score error stays within
 * its stated bound; and a key passes exactly when the bit-serial unit would still be running it
 * after that many planes (the two models share one bound).
 */
import { describe, expect, it } from 'vitest';
import { preScore, preScorePasses } from '../../sim/golden/prescore';
import { dotProduct } from '../../sim/golden/qk-array';
import { bitserialScores, queryReach } from '../../sim/golden/qk-bitserial';
import { Rng } from '../../sim/harness/random';
import { randomBitserialRequest } from '../../sim/harness/targets/qk-bitserial';
import { BITSERIAL_PROPERTY_SHAPES } from '../support/bitserial-shapes';
import { configWith } from '../support/config';

describe.each(BITSERIAL_PROPERTY_SHAPES)('the SPRINT pre-score at $name', ({ sets, keys }) => {
  const config = configWith('tiny', sets).config;
  const B = config.datapath.keyBits;

  it(`loses no key that reaches the threshold, within its error bound (${keys} keys)`, () => {
    const rng = new Rng(7);
    let checked = 0;
    let passed = 0;
    let needed = 0;
    while (checked < keys) {
      const bits = rng.int(1, B);
      const rest = (1n << BigInt(B - bits)) - 1n;
      const { query, threshold, keys: batch } = randomBitserialRequest(config, rng, 100);
      const { pos, neg } = queryReach(query);
      const bitserial = bitserialScores(config, { query, threshold, keys: batch });
      batch.forEach((key, i) => {
        const exact = dotProduct(query, key.elements);
        const pre = preScore(query, key.elements, B, bits);
        expect(exact >= pre - rest * neg && exact <= pre + rest * pos).toBe(true);
        const passes = preScorePasses(query, key.elements, threshold, B, bits);
        if (exact >= threshold) expect(passes, `bits ${bits}, T ${threshold}`).toBe(true);
        const s = bitserial[i];
        expect(passes).toBe(s !== undefined && (s.kept || s.planes > bits));
        if (passes) passed += 1;
        if (exact >= threshold) needed += 1;
      });
      checked += batch.length;
    }
    // Both outcomes occur, and the pre-score lets through more than the exact set needs.
    expect(passed).toBeGreaterThan(needed);
    expect(passed).toBeLessThan(checked);
  });

  it('is the exact dot product when it reads every bit', () => {
    const rng = new Rng(8);
    const { query, keys: batch } = randomBitserialRequest(config, rng, 500);
    for (const key of batch)
      expect(preScore(query, key.elements, B, B)).toBe(dotProduct(query, key.elements));
  });
});
