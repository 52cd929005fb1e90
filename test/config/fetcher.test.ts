import { describe, expect, it } from 'vitest';
import { derive } from '../../generator/config/derive';
import { resolveConfig } from '../../generator/config/load';
import { problemsOf } from '../support/config';

const problems = (sets: string[], preset = 'tiny') =>
  problemsOf(() => resolveConfig({ preset, sets }));

describe('fetcher config section', () => {
  it('derives the layout of the fpga preset', () => {
    expect(derive(resolveConfig({ preset: 'fpga' }).config).fetcher).toEqual({
      busBytes: 8,
      sizeLog2: 3,
      wordAddrBits: 29,
      planeBits: { msb: 8, lsb: 4, full: 12 },
      strideBeats: { msb: 8, lsb: 4, full: 12 },
      rowBytes: { msb: 64, lsb: 32, full: 96 },
    });
  });

  it('gives the DRAM peaks of the issue per preset', () => {
    expect(resolveConfig({ preset: 'fpga' }).config.memory.bytesPerCycle).toBe(32);
    expect(resolveConfig({ preset: 'paper' }).config.memory.bytesPerCycle).toBe(512);
  });

  it('rejects a data width that is not a power of two in range', () => {
    expect(problems(['fetcher.axiDataBits=96'])).toEqual([
      'config: fetcher.axiDataBits = 96: must be a power of two from 64 to 512',
    ]);
    expect(problems(['fetcher.axiDataBits=1024'])).toEqual([
      'config: fetcher.axiDataBits = 1024: must be a power of two from 64 to 512',
    ]);
  });

  it('rejects more outstanding bursts than the ID width can name', () => {
    expect(problems(['fetcher.outstanding=8'])).toEqual([
      'config: fetcher.outstanding = 8: must be at most 2^fetcher.axiIdBits (4): each outstanding burst needs its own ID',
    ]);
  });

  it('rejects a bit split that leaves a hole in the key', () => {
    expect(problems(['fetcher.lsbBits=2'])).toEqual([
      'config: fetcher.lsbBits = 2: fetcher.msbBits + fetcher.lsbBits must equal datapath.keyBits (8): the merged key has no hole',
    ]);
  });

  it('rejects a peak that does not split evenly over channels', () => {
    expect(problems(['memory.bytesPerCycle=30'], 'fpga')).toEqual([
      'config: memory.bytesPerCycle = 30: must be a multiple of fetcher.channels (4): each channel gets an equal share',
    ]);
  });

  it('rejects bursts longer than 4 KB and buffers smaller than a burst', () => {
    expect(
      problems(['fetcher.axiDataBits=512', 'fetcher.maxBurst=128', 'fetcher.bufferBeats=128']),
    ).toEqual([
      'config: fetcher.maxBurst = 128: maxBurst × axiDataBits/8 must be at most 4096 bytes (an AXI burst never crosses 4 KB); at most 64 here',
    ]);
    expect(problems(['fetcher.maxBurst=32'])).toEqual([
      'config: fetcher.bufferBeats = 16: must be at least fetcher.maxBurst (32): a whole burst must fit',
    ]);
  });

  it('rejects an address too narrow for the token index', () => {
    expect(problems(['model.maxTokens=65536', 'fetcher.axiAddrBits=16'])).toEqual([
      'config: fetcher.axiAddrBits = 16: must be at least 20: clog2(model.maxTokens) + log2(axiDataBits/8) + 1, so a token index fits a word address',
    ]);
  });
});
