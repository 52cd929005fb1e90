import { describe, expect, it } from 'vitest';
import { type PerfParams, type RequestWork, rowBytes, runPerfModel } from '../../sim/perf/model';
import { perfParams } from '../../sim/perf/params';
import { configWith } from '../support/config';

const params: PerfParams = {
  headDim: 64,
  peakBytesPerCycle: 32,
  busBytes: 8,
  dramLatency: 40,
  multipliers: 64,
  boundMultipliers: 64,
  softmaxLanes: 8,
  softmaxLatency: 24,
  topkParallelism: 8,
  topkOverhead: 16,
  keyPipelineOverhead: 0,
  maxInFlight: 4,
  fullPrecisionBits: 12,
  pvRequestOverhead: 0,
};
const request = (over: Partial<RequestWork> = {}): RequestWork => ({
  layer: 0,
  keys: 256,
  keyMsbBits: 6,
  keyLsbBits: 0,
  values: 64,
  valueBits: 6,
  tokenTopk: null,
  ...over,
});

describe('performance model', () => {
  it('times one request as its task chain', () => {
    const result = runPerfModel([request()], params, { layerBarrier: true });
    const keyFetch = Math.max(Math.ceil(rowBytes(256, params, 6) / 32), 256) + 40; // 384 cycles of DRAM, QK at 1 key/cycle
    const softmax = 2 * (256 / 8);
    const topk = 256 / 8 + 16;
    const valueFetch = Math.max(Math.ceil(rowBytes(64, params, 6) / 32), 64) + 40;
    expect(result.cycles).toBe(keyFetch + softmax + topk + valueFetch);
    expect(result.dramBytes).toEqual({
      keyMsb: 256 * 48,
      keyLsb: 0,
      value: 64 * 48,
      total: 320 * 48,
    });
  });

  it('charges whole beats per row: rows start on a beat', () => {
    // 64 elements of 12 bits: 96 bytes, two 64-byte beats; on 32-byte beats exactly three.
    expect(rowBytes(10, { headDim: 64, busBytes: 64 }, 12)).toBe(10 * 128);
    expect(rowBytes(10, { headDim: 64, busBytes: 32 }, 12)).toBe(10 * 96);
    const wide = runPerfModel([request()], { ...params, busBytes: 64 }, { layerBarrier: true });
    expect(wide.dramBytes.keyMsb).toBe(256 * 64);
  });

  it('paces the key hand-off by the array when DRAM is faster: the fetcher holds reads back', () => {
    // DRAM 128x the array's need: each request's keys still take 256 array cycles, and the next
    // request's fetch waits for the last row plus the hand-off, so each request costs 256 + 20.
    // (Few values, so the one-row-per-cycle fetch path is not what binds.)
    const fast = { ...params, peakBytesPerCycle: 4096, keyPipelineOverhead: 20 };
    const stream = Array.from({ length: 200 }, () => request({ values: 4 }));
    const result = runPerfModel(stream, fast, { layerBarrier: false });
    // (The first request's fill and the last one's tail add a few cycles to the average.)
    expect(Math.abs(result.cycles / stream.length - (256 + 20))).toBeLessThan(3);
  });

  it("bounds compute by the machine's declared multipliers, not the core's", () => {
    const stream = Array.from({ length: 50 }, () => request());
    const fast = { ...params, peakBytesPerCycle: 4096 };
    const asBuilt = runPerfModel(stream, fast, { layerBarrier: false });
    const declared = runPerfModel(
      stream,
      { ...fast, boundMultipliers: 512 },
      { layerBarrier: false },
    );
    expect(declared.cycles).toBe(asBuilt.cycles);
    expect(asBuilt.lowerBoundCycles).toBe(asBuilt.busy.qk);
    expect(declared.lowerBoundCycles).toBe(
      Math.max(Math.ceil(asBuilt.busy.qk / 8), asBuilt.busy.topk, asBuilt.busy.softmax),
    );
  });

  it('moves at most one row per cycle on the fetch path, keys and values alike', () => {
    const fast = { ...params, peakBytesPerCycle: 4096 };
    const result = runPerfModel([request(), request()], fast, { layerBarrier: false });
    expect(result.busy.dram).toBe(2 * (256 + 64));
  });

  it('adds the LSB refetch after the refetch decision when progressive quantization fires', () => {
    const plain = runPerfModel([request()], params, { layerBarrier: true });
    const requant = runPerfModel([request({ keyLsbBits: 4 })], params, { layerBarrier: true });
    expect(requant.dramBytes.keyLsb).toBe(256 * 32);
    // The decision (EXP pass and division: 256 / 8 + 24), then the LSB fetch (QK-bound, 256 keys).
    expect(requant.cycles - plain.cycles).toBe(256 / 8 + 24 + Math.max(256, 256) + 40);
  });

  it('overlaps requests: a long memory-bound stream runs close to the DRAM bound', () => {
    const stream = Array.from({ length: 200 }, () => request());
    const result = runPerfModel(stream, params, { layerBarrier: false });
    expect(result.lowerBoundCycles).toBe(Math.ceil(result.dramBytes.total / 32));
    expect(result.cycles / result.lowerBoundCycles).toBeLessThan(1.02);
  });

  it('serializes requests with one in flight, and the layer barrier never speeds things up', () => {
    const stream = Array.from({ length: 24 }, (_, i) =>
      request({ layer: Math.floor(i / 6), tokenTopk: i % 6 === 5 ? 100 : null }),
    );
    const single = runPerfModel([request()], params, { layerBarrier: true }).cycles;
    expect(
      runPerfModel(stream, { ...params, maxInFlight: 1 }, { layerBarrier: false }).cycles,
    ).toBe(24 * single);
    const free = runPerfModel(stream, params, { layerBarrier: false });
    const barrier = runPerfModel(stream, params, { layerBarrier: true });
    expect(barrier.cycles).toBeGreaterThan(free.cycles);
    expect(barrier.perLayer.map((l) => l.requests)).toEqual([6, 6, 6, 6]);
    expect(barrier.perLayer.reduce((sum, l) => sum + l.cycles, 0)).toBe(barrier.cycles);
  });

  it("starts a request's key fetch when the previous request's key transfer ends, plus the fill", () => {
    const one = [request()];
    const two = [request(), request()];
    const fill = { ...params, keyPipelineOverhead: 100 };
    // One request: nothing follows it, so the fill costs nothing.
    expect(runPerfModel(one, fill, { layerBarrier: true }).cycles).toBe(
      runPerfModel(one, params, { layerBarrier: true }).cycles,
    );
    // Two: the second key transfer follows the first back to back (its softmax and value phase overlap
    // the second's keys); the fill delays the second request by exactly its length here.
    const keyTransfer = Math.ceil(rowBytes(256, params, 6) / 32);
    const valueFetch = Math.ceil(rowBytes(64, params, 6) / 32) + 40;
    const plain = runPerfModel(two, params, { layerBarrier: true });
    expect(plain.finish[1]).toBe(
      2 * keyTransfer + 40 + 2 * (256 / 8) + (256 / 8 + 16) + valueFetch,
    );
    const filled = runPerfModel(two, fill, { layerBarrier: true });
    expect((filled.finish[1] ?? 0) - (plain.finish[1] ?? 0)).toBe(100);
  });
});

describe('perfParams', () => {
  it('takes the slower of the DRAM and the channel ports (one beat per channel per cycle)', () => {
    const portBound = configWith('fpga', ['memory.bytesPerCycle=256']).config;
    expect(perfParams(portBound).peakBytesPerCycle).toBe(4 * 8);
    const wide = configWith('fpga', ['memory.bytesPerCycle=256', 'fetcher.channels=16']).config;
    expect(perfParams(wide).peakBytesPerCycle).toBe(16 * 8);
    expect(
      perfParams(configWith('fpga', ['memory.bytesPerCycle=16']).config).peakBytesPerCycle,
    ).toBe(16);
  });
});
