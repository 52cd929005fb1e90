import { describe, expect, it } from 'vitest';
import { type PvRow, pvOutput, pvOutputFloat } from '../../sim/golden/pv-array';
import { Rng } from '../../sim/harness/random';
import { type PvPattern, randomPvRequest } from '../../sim/harness/targets/pv-array';
import { configWith } from '../support/config';

const row = (prob: bigint, value: bigint): PvRow => ({
  prob,
  value: Array.from({ length: 8 }, () => value),
});

describe('pv_array golden model', () => {
  it('sums probability × value exactly, then rounds to the output format', () => {
    const { config } = configWith('tiny'); // u8.7 × s8.4 -> s12.6
    // 1.0 × 1.5 = 1.5 = 96 LSB; 0.5 × 1.5 + 0.5 × -0.5 = 0.5 = 32 LSB.
    expect(pvOutput(config, [row(128n, 24n)])).toEqual(Array.from({ length: 8 }, () => 96n));
    expect(pvOutput(config, [row(64n, 24n), row(64n, -8n)])[0]).toBe(32n);
    // 1/128 × 1/16 = 2^-11 = 1/32 LSB: rounds to 0; 16 of them = 0.5 LSB: a tie, rounds to even 0; 48 give 1.5 -> 2.
    expect(
      pvOutput(
        config,
        Array.from({ length: 16 }, () => row(1n, 1n)),
      )[0],
    ).toBe(0n);
    expect(
      pvOutput(
        config,
        Array.from({ length: 48 }, () => row(1n, 1n)),
      )[0],
    ).toBe(2n);
  });

  it('accumulates the largest request without wrapping and saturates the output', () => {
    const { config } = configWith('tiny');
    const rows = (value: bigint) =>
      Array.from({ length: config.model.maxTokens }, () => row(255n, value));
    expect(pvOutput(config, rows(127n))[0]).toBe(2047n);
    expect(pvOutput(config, rows(-128n))[0]).toBe(-2048n);
    expect(pvOutput(config, [])).toEqual(Array.from({ length: 8 }, () => 0n));
  });

  it.each(['attention', 'one-hot', 'random'] as PvPattern[])(
    'is within half an LSB of float64 where in range: %s rows',
    (pattern) => {
      for (const [preset, sets] of [
        ['tiny', []],
        ['fpga', []],
        ['tiny', ['model.headDim=32', 'datapath.outFrac=9']],
      ] as const) {
        const { config } = configWith(preset, [...sets]);
        const dp = config.datapath;
        const seed = 777;
        const rng = new Rng(seed);
        const lsb = 2 ** dp.outFrac;
        const max = 2 ** (dp.outBits - 1);
        for (let r = 0; r < 20; r += 1) {
          const rows = randomPvRequest(config, rng, rng.int(1, 40), pattern);
          const exact = pvOutput(config, rows);
          pvOutputFloat(config, rows).forEach((real, d) => {
            const ideal = real * lsb;
            const out = Number(exact[d]);
            if (ideal > max - 1) expect(out, `seed ${seed} ${preset}`).toBe(max - 1);
            else if (ideal < -max) expect(out, `seed ${seed} ${preset}`).toBe(-max);
            else expect(Math.abs(out - ideal), `seed ${seed} ${preset}`).toBeLessThanOrEqual(0.5);
          });
        }
      }
    },
  );
});
