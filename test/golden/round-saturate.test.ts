import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { requantize, roundHalfEven, saturateSigned } from '../../sim/golden/round-saturate';

describe('roundHalfEven', () => {
  it('rounds ties to the even neighbour, positive and negative', () => {
    expect([5n, 7n, -5n, -7n, -3n, 1n, -1n].map((x) => roundHalfEven(x, 1))).toEqual([
      2n,
      4n,
      -2n,
      -4n,
      -2n,
      0n,
      0n,
    ]);
    expect([10n, 11n, 13n, 14n, -10n, -14n].map((x) => roundHalfEven(x, 2))).toEqual([
      2n,
      3n,
      3n,
      4n,
      -2n,
      -4n,
    ]);
  });

  it('is exact for shifts of zero and below', () => {
    expect(roundHalfEven(-3n, 0)).toBe(-3n);
    expect(roundHalfEven(3n, -2)).toBe(12n);
  });

  it('is within half an LSB of the exact quotient', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(1n << 40n), max: 1n << 40n }),
        fc.integer({ min: 1, max: 30 }),
        (x, shift) => {
          const error = Math.abs(Number(roundHalfEven(x, shift)) - Number(x) / 2 ** shift);
          expect(error).toBeLessThanOrEqual(0.5);
        },
      ),
    );
  });
});

describe('saturateSigned and requantize', () => {
  it('clamps to the two’s complement range', () => {
    expect([2048n, 2047n, -2048n, -2049n].map((x) => saturateSigned(x, 12))).toEqual([
      2047n,
      2047n,
      -2048n,
      -2048n,
    ]);
  });

  it('rounds before it saturates', () => {
    // 4095.5 LSB rounds to 4096 (even), which no longer fits s12: clamps to 2047.
    expect(requantize(8191n, 1, 13)).toBe(4095n);
    expect(requantize(4095n, 1, 12)).toBe(2047n);
  });
});
