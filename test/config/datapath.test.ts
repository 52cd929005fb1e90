import { describe, expect, it } from 'vitest';
import { deriveDatapath } from '../../generator/config/derive-datapath';
import { resolveConfig } from '../../generator/config/load';
import { PRESET_NAMES } from '../../generator/config/presets';
import { problemsOf } from '../support/config';

/** The problems of `sets` about keys under `prefix` (other sections' rules may also fire on datapath keys). */
const bad = (sets: string[], prefix = 'config: datapath.') =>
  problemsOf(() => resolveConfig({ preset: 'tiny', sets })).filter((problem) =>
    problem.startsWith(prefix),
  );

describe('datapath config', () => {
  it.each(PRESET_NAMES)(
    '%s: M is a multiple or divisor of D and the shape covers M multipliers',
    (preset) => {
      const { config } = resolveConfig({ preset });
      const shape = deriveDatapath(config);
      expect(shape.sliceLen * shape.rowsPerBeat).toBe(config.datapath.multipliers);
      expect(shape.sliceLen * shape.slices).toBe(config.model.headDim);
    },
  );

  it('derives the M < D, M = D and M > D shapes', () => {
    const shape = (m: number) =>
      deriveDatapath(resolveConfig({ preset: 'tiny', sets: [`datapath.multipliers=${m}`] }).config);
    expect(shape(2)).toMatchObject({ sliceLen: 2, slices: 4, rowsPerBeat: 1, countBits: 1 });
    expect(shape(8)).toMatchObject({ sliceLen: 8, slices: 1, rowsPerBeat: 1, countBits: 1 });
    expect(shape(32)).toMatchObject({ sliceLen: 8, slices: 1, rowsPerBeat: 4, countBits: 3 });
  });

  it('derives exact accumulator widths and the 1/sqrt(D) scaling', () => {
    const tiny = deriveDatapath(resolveConfig({ preset: 'tiny' }).config);
    // s8.4 × s8.4 over D = 8: s19.8; log2(8) odd: × u1.16 constant, binary point 1 + 16 further left.
    expect(tiny.qk).toEqual({
      productBits: 16,
      accBits: 19,
      oddLog2: true,
      halfLog2: 1,
      scaledBits: 36,
      scaledFrac: 25,
      shift: 21,
    });
    // u8.7 × s8.4 over 64 tokens: s22.11, rounded to s12.6.
    expect(tiny.pv).toEqual({
      productBits: 16,
      rowSumBits: 16,
      accBits: 22,
      shift: 5,
      readLanes: 8,
    });
    const fpga = deriveDatapath(resolveConfig({ preset: 'fpga' }).config);
    expect(fpga.qk).toMatchObject({
      accBits: 30,
      oddLog2: false,
      halfLog2: 3,
      scaledBits: 30,
      shift: 11,
    });
  });

  it('rejects a head dimension that is not a power of two from 8 to 256', () => {
    expect(bad(['model.headDim=12'], 'config: model.')).toEqual([
      'config: model.headDim = 12: must be a power of two from 8 to 256',
    ]);
    expect(bad(['model.headDim=512'], 'config: model.')).toEqual([
      'config: model.headDim = 512: must be a power of two from 8 to 256',
    ]);
  });

  it('rejects M that is neither a multiple nor a divisor of D', () => {
    expect(bad(['datapath.multipliers=12'])).toEqual([
      'config: datapath.multipliers = 12: must be a multiple or a divisor of model.headDim (8)',
    ]);
    expect(bad(['datapath.multipliers=0'])).toEqual([
      'config: datapath.multipliers = 0: must be an integer from 1 to 4096',
    ]);
  });

  it('rejects widths out of range and fraction bits beyond the width', () => {
    expect(bad(['datapath.queryBits=1', 'datapath.outBits=33'])).toEqual([
      'config: datapath.queryBits = 1: must be an integer from 2 to 32',
      'config: datapath.outBits = 33: must be an integer from 2 to 32',
    ]);
    expect(bad(['datapath.scoreFrac=13', 'datapath.probFrac=9'])).toEqual([
      'config: datapath.scoreFrac = 13: must be at most datapath.scoreBits (12)',
      'config: datapath.probFrac = 9: must be at most datapath.probBits (8)',
    ]);
  });

  it('rejects accumulators wider than 64 bits', () => {
    expect(bad(['datapath.queryBits=32', 'datapath.keyBits=31'])).toEqual([
      'config: datapath.keyBits = 31: queryBits + keyBits + log2(model.headDim) is the Q×K accumulator width and must be at most 64 (is 66)',
    ]);
    expect(bad(['datapath.probBits=32', 'datapath.valueBits=32'])).toEqual([
      'config: datapath.valueBits = 32: probBits + valueBits + clog2(model.maxTokens) is the prob×V accumulator width and must be at most 64 (is 70)',
    ]);
  });
});
