import { describe, expect, it } from 'vitest';
import { derive } from '../../generator/config/derive';
import { resolveConfig } from '../../generator/config/load';
import {
  ACCURACY_TARGET_LSB,
  minExpFrac,
  minTableBits,
  softmaxErrorBoundLsb,
} from '../../generator/config/softmax-accuracy';
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
      sumGuard: 11,
      sumFrac: 27,
      sumTermBits: 28,
      shiftCap: 29,
      quotientBits: 16,
      normShift: 20,
      expStage: 9,
      sumStage: 12,
      outStage: 12,
      rowOverhead: 25,
    });
    expect(k.hiTable[0]).toBe(65536);
    expect(k.hiTable[32]).toBe(Math.round(Math.SQRT2 * 65536));
  });

  it('rejects lanes that are not a power of two', () => {
    expect(problems(['softmax.lanes=3'])).toEqual([
      'config: softmax.lanes = 3: must be a power of two from 1 to 64',
    ]);
  });

  it('rejects a capacity that is not a multiple of lanes or below two beats', () => {
    expect(problems(['softmax.capacity=66'])).toEqual([
      'config: softmax.capacity = 66: must be a multiple of softmax.lanes (4) and at least 8',
    ]);
    expect(problems(['softmax.capacity=4'])).toEqual([
      'config: softmax.capacity = 4: must be a multiple of softmax.lanes (4) and at least 8',
    ]);
  });

  it('rejects fraction bits beyond the width', () => {
    expect(problems(['softmax.scoreFrac=13'])).toEqual([
      'config: softmax.scoreFrac = 13: must be at most softmax.scoreBits (12)',
    ]);
    expect(problems(['softmax.probFrac=9'])).toEqual([
      'config: softmax.probFrac = 9: must be at most softmax.probBits (8)',
    ]);
  });

  it('rejects tables resolving more exponent bits than the exponential keeps', () => {
    expect(problems(['softmax.tableBits=6'])).toEqual([
      'config: softmax.tableBits = 6: must be at most softmax.expFrac / 2 (5)',
    ]);
  });

  it('rejects an internal precision too coarse for the 2 LSB error bound, naming the finest format', () => {
    expect(problems(['softmax.expFrac=9'])).toEqual([
      'config: softmax.expFrac = 9: must be at least 10 for the 2 LSB softmax error bound with softmax.probFrac = 7',
    ]);
    expect(problems(['datapath.probBits=10', 'datapath.probFrac=9'])).toEqual([
      'config: softmax.expFrac = 10: must be at least 12 for the 2 LSB softmax error bound with datapath.probFrac = 9',
      'config: softmax.tableBits = 4: must be at least 5 for the 2 LSB softmax error bound with datapath.probFrac = 9',
    ]);
    const enough = [
      'datapath.probBits=10',
      'datapath.probFrac=9',
      'softmax.expFrac=12',
      'softmax.tableBits=5',
    ];
    expect(() => resolveConfig({ preset: 'tiny', sets: enough })).not.toThrow();
  });

  it('has rules that keep the proven error bound within 2 LSB at every legal format', () => {
    // The bound grows with capacity and shrinks with expFrac, tableBits and guardBits: the corner of
    // the legal space is the largest capacity and the least precision the rules allow.
    let checked = 0;
    for (let probFrac = 1; probFrac <= 32; probFrac += 1) {
      const tableBits = minTableBits(probFrac);
      const expFrac = Math.max(minExpFrac(probFrac), 2 * tableBits, 4);
      if (tableBits > 10 || expFrac > 24) continue; // no legal internal precision
      for (const guardBits of [1, 8]) {
        const bound = softmaxErrorBoundLsb({
          probBits: probFrac,
          probFrac,
          expFrac,
          tableBits,
          guardBits,
          capacity: 65536,
        });
        expect(bound, `probFrac ${probFrac}, guardBits ${guardBits}`).toBeLessThanOrEqual(
          ACCURACY_TARGET_LSB,
        );
        checked += 1;
      }
    }
    expect(checked).toBe(2 * 19); // probFrac 1..19 have a legal precision
    // One step below the rules' minimum breaks the bound for some format.
    expect(
      softmaxErrorBoundLsb({
        probBits: 12,
        probFrac: 11,
        expFrac: 13,
        tableBits: 6,
        guardBits: 1,
        capacity: 65536,
      }),
    ).toBeGreaterThan(2);
    expect(
      softmaxErrorBoundLsb({
        probBits: 12,
        probFrac: 11,
        expFrac: 14,
        tableBits: 5,
        guardBits: 1,
        capacity: 65536,
      }),
    ).toBeGreaterThan(2);
  });

  it('rejects internal precisions out of range', () => {
    expect(problems(['softmax.expFrac=3'])).toEqual([
      'config: softmax.expFrac = 3: must be an integer from 4 to 24',
    ]);
    expect(problems(['softmax.guardBits=0'])).toEqual([
      'config: softmax.guardBits = 0: must be an integer from 1 to 8',
    ]);
    expect(problems(['softmax.probFrac=0'])).toEqual([
      'config: softmax.probFrac = 0: must be an integer from 1 to 19',
    ]);
  });
});
