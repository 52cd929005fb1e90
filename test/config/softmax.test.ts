import { describe, expect, it } from 'vitest';
import { derive } from '../../generator/config/derive';
import { resolveConfig } from '../../generator/config/load';
import { problemsOf } from '../support/config';

const problems = (sets: string[]) => problemsOf(() => resolveConfig({ preset: 'tiny', sets }));

describe('softmax config section', () => {
  it('derives its widths and constants from the fpga preset', () => {
    const k = derive(resolveConfig({ preset: 'fpga' }).config).softmax;
    expect({ ...k, hiTable: k.hiTable.length, loTable: k.loTable.length }).toEqual({
      words: 256,
      countBits: 12,
      laneCountBits: 4,
      log2eFrac: 20,
      log2e: Math.round(Math.LOG2E * 2 ** 20),
      hiTable: 64,
      loTable: 64,
      expZero: 65542,
      shiftCap: 18,
      sumBits: 28,
      quotientBits: 16,
      normShift: 20,
    });
    expect(k.hiTable[0]).toBe(65536);
    expect(k.hiTable[32]).toBe(Math.round(Math.SQRT2 * 65536));
  });

  it('rejects lanes that are not a power of two', () => {
    expect(problems(['softmax.lanes=3'])).toEqual(['config: softmax.lanes = 3: must be a power of two from 1 to 64']);
  });

  it('rejects a capacity that is not a multiple of lanes or below two beats', () => {
    expect(problems(['softmax.capacity=66'])).toEqual(['config: softmax.capacity = 66: must be a multiple of softmax.lanes (4) and at least 8']);
    expect(problems(['softmax.capacity=4'])).toEqual(['config: softmax.capacity = 4: must be a multiple of softmax.lanes (4) and at least 8']);
  });

  it('rejects fraction bits beyond the width', () => {
    expect(problems(['softmax.scoreFrac=13'])).toEqual(['config: softmax.scoreFrac = 13: must be at most softmax.scoreBits (12)']);
    expect(problems(['softmax.probFrac=9'])).toEqual(['config: softmax.probFrac = 9: must be at most softmax.probBits (8)']);
  });

  it('rejects tables resolving more exponent bits than the exponential keeps', () => {
    expect(problems(['softmax.tableBits=6'])).toEqual(['config: softmax.tableBits = 6: must be at most softmax.expFrac / 2 (5)']);
  });

  it('rejects internal precisions out of range', () => {
    expect(problems(['softmax.expFrac=3'])).toEqual(['config: softmax.expFrac = 3: must be an integer from 4 to 24']);
    expect(problems(['softmax.guardBits=0'])).toEqual(['config: softmax.guardBits = 0: must be an integer from 1 to 8']);
    expect(problems(['softmax.probFrac=0'])).toEqual(['config: softmax.probFrac = 0: must be an integer from 1 to 32']);
  });
});
