import { describe, expect, it } from 'vitest';
import { deriveDatapath } from '../../generator/config/derive-datapath';
import { type QkRequest, qkScores, qkScoresFloat } from '../../sim/golden/qk-array';
import { Rng } from '../../sim/harness/random';
import { randomQkRequest } from '../../sim/harness/targets/qk-array';
import { configWith } from '../support/config';

const ones = (n: number, value: bigint) => Array.from({ length: n }, () => value);

describe('qk_array golden model', () => {
  it('scales by 1/sqrt(D) with the u1.16 constant when log2(D) is odd', () => {
    const { config } = configWith('tiny'); // D = 8, s8.4 inputs, s12.4 scores
    // query = key = 1.0: dot 8.0, / sqrt(8) = 2.8284 = 45.25 LSB -> 45.
    const request: QkRequest = {
      query: ones(8, 16n),
      keys: [{ elements: ones(8, 16n), index: 7 }],
    };
    expect(qkScores(config, request)).toEqual([{ score: 45n, index: 7 }]);
  });

  it('scales exactly when log2(D) is even, and rounds ties to even', () => {
    const { config } = configWith('tiny', ['model.headDim=16']); // shift = 4 + 4 + 2 - 4 = 6
    expect(deriveDatapath(config).qk).toMatchObject({ oddLog2: false, shift: 6 });
    const unit = (first: bigint) => [first, ...ones(15, 0n)];
    const request: QkRequest = {
      query: ones(16, 16n),
      keys: [ones(16, 16n), unit(2n), unit(6n), unit(-2n), unit(-6n), unit(3n)].map(
        (elements, index) => ({ elements, index }),
      ),
    };
    // 16 × 1.0 / 4 = 4.0 = 64 LSB; then 1.0 × k / 4 for k = 1/8, 3/8, -1/8, -3/8, 3/16: 0.5, 1.5, -0.5, -1.5, 0.75 LSB.
    expect(qkScores(config, request).map((s) => s.score)).toEqual([64n, 0n, 2n, 0n, -2n, 1n]);
  });

  it('saturates the extremes to the score range', () => {
    const { config } = configWith('tiny');
    const most = -128n;
    const request: QkRequest = {
      query: ones(8, most),
      keys: [
        { elements: ones(8, most), index: 0 },
        { elements: ones(8, 127n), index: 1 },
      ],
    };
    expect(qkScores(config, request).map((s) => s.score)).toEqual([2047n, -2048n]);
  });

  it.each([
    ['tiny (D = 8)', 'tiny', []],
    ['D = 16', 'tiny', ['model.headDim=16']],
    [
      'D = 32, wider score',
      'tiny',
      ['model.headDim=32', 'datapath.scoreBits=16', 'datapath.scoreFrac=8'],
    ],
    ['D = 256, fpga formats', 'fpga', ['model.headDim=256']],
  ] as const)(
    'is within half an LSB of float64 where the score is in range: %s',
    (_name, preset, sets) => {
      const { config } = configWith(preset, [...sets]);
      const dp = config.datapath;
      const seed = 4242;
      const rng = new Rng(seed);
      const lsb = 2 ** dp.scoreFrac;
      const max = 2 ** (dp.scoreBits - 1);
      let inRange = 0;
      for (let r = 0; r < 50; r += 1) {
        const request = randomQkRequest(config, rng, 20);
        const exact = qkScores(config, request);
        qkScoresFloat(config, request).forEach((real, i) => {
          const score = Number(exact[i]?.score);
          const ideal = real * lsb;
          if (ideal > max - 1) expect(score, `seed ${seed}`).toBe(max - 1);
          else if (ideal < -max) expect(score, `seed ${seed}`).toBe(-max);
          else {
            inRange += 1;
            // Rounding costs half an LSB; the u1.16 constant (odd log2 D) adds at most 1.1e-6 relative error.
            const constantError = deriveDatapath(config).qk.oddLog2 ? Math.abs(ideal) * 1.1e-6 : 0;
            expect(Math.abs(score - ideal), `seed ${seed}`).toBeLessThanOrEqual(
              0.5 + constantError,
            );
          }
        });
      }
      expect(inRange).toBeGreaterThan(100);
    },
  );
});
