import { describe, expect, it } from 'vitest';
import { derive } from '../../generator/config/derive';
import { resolveConfig } from '../../generator/config/load';
import { problemsOf } from '../support/config';

const problems = (sets: string[]) => problemsOf(() => resolveConfig({ preset: 'tiny', sets }));

describe('topk config section', () => {
  it('derives its widths from the paper preset', () => {
    expect(derive(resolveConfig({ preset: 'paper' }).config).topk).toEqual({
      indexBits: 11,
      countBits: 12,
      laneCountBits: 5,
      outCountBits: 5,
      words: 128,
      elementBits: 23,
      digits: 3,
      bins: 16,
    });
  });

  it('rejects a parallelism that is not a power of two', () => {
    expect(problems(['topk.parallelism=6'])).toEqual([
      'config: topk.parallelism = 6: must be a power of two from 1 to 64',
    ]);
  });

  it('rejects a capacity that is not a multiple of parallelism or below two beats', () => {
    expect(problems(['topk.capacity=66'])).toEqual([
      'config: topk.capacity = 66: must be a multiple of topk.parallelism (4) and at least 8',
    ]);
    expect(problems(['topk.capacity=4'])).toEqual([
      'config: topk.capacity = 4: must be a multiple of topk.parallelism (4) and at least 8',
    ]);
  });

  it('rejects widths out of range', () => {
    expect(problems(['topk.valueBits=1'])).toEqual([
      'config: topk.valueBits = 1: must be an integer from 2 to 32',
    ]);
    expect(problems(['topk.radixBits=9'])).toEqual([
      'config: topk.radixBits = 9: must be an integer from 1 to 8',
    ]);
  });

  it('rejects a radix that does not divide the value width', () => {
    expect(problems(['topk.radixBits=3'])).toEqual([
      'config: topk.radixBits = 3: must divide topk.valueBits (8)',
    ]);
  });

  it('rejects an output beat narrower than the input beat', () => {
    expect(problems(['topk.outLanes=2'])).toEqual([
      'config: topk.outLanes = 2: must be at least topk.parallelism (4)',
    ]);
  });

  it('rejects n and k fields too narrow for the capacity', () => {
    expect(problems(['topk.lengthBits=6'])).toEqual([
      'config: topk.lengthBits = 6: must be at least 7 to hold topk.capacity (64)',
    ]);
  });
});
