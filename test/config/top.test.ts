import { describe, expect, it } from 'vitest';
import { deriveTop } from '../../generator/config/derive-top';
import { resolveConfig } from '../../generator/config/load';
import { problemsOf } from '../support/config';

const problems = (sets: string[]) => problemsOf(() => resolveConfig({ preset: 'tiny', sets }));

describe('top config section', () => {
  it('derives the cascade state widths from the fpga preset', () => {
    const { rank, ...widths } = deriveTop(resolveConfig({ preset: 'fpga' }).config);
    // probBits 12 + clog2(12 heads × 12 layers); outBits 16 + clog2(64) + clog2(12).
    expect(widths).toEqual({
      importanceBits: 20,
      headImportanceBits: 26,
    });
    expect(rank.topk).toMatchObject({ valueBits: 20, radixBits: 4, signed: false, parallelism: 8 });
  });

  it('rejects a token importance wider than the top-k engine holds', () => {
    const sets = [
      'datapath.probBits=24',
      'datapath.probFrac=19',
      'softmax.probBits=24',
      'softmax.probFrac=19',
      'softmax.expFrac=22',
      'softmax.tableBits=10',
      'top.layers=256',
      'top.heads=64',
    ];
    expect(problems(sets)).toContain(
      'config: top.layers = 256: datapath.probBits + clog2(top.heads × top.layers) is the token ' +
        'importance width and must be at most 32 (is 38)',
    );
  });

  it('rejects a rescale shift that would erase the importance', () => {
    expect(problems(['top.importanceShift=8'])).toEqual([
      'config: top.importanceShift = 8: must be less than datapath.probBits (8)',
    ]);
  });

  it('rejects out-of-range head and layer counts with the key path', () => {
    expect(problems(['top.heads=0'])).toEqual([
      'config: top.heads = 0: must be an integer from 1 to 64',
    ]);
    expect(problems(['top.layers=300'])).toEqual([
      'config: top.layers = 300: must be an integer from 1 to 256',
    ]);
  });
});
