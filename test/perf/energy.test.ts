import { describe, expect, it } from 'vitest';
import {
  COMPONENTS,
  energyOf,
  energyShape,
  measuredActivity,
  requestActivities,
  runActivity,
} from '../../sim/perf/energy';
import type { RequestWork } from '../../sim/perf/model';
import { requestWork } from '../../sim/perf/workload';
import { decodeWorkloadFor } from '../../sim/workloads/decode-workload';
import { replayRtl } from '../../sim/workloads/rtl-replay';
import { configWith } from '../support/config';
import { availableSimulators } from '../support/simulators';

const tiny = configWith('tiny');
const shape = energyShape(tiny.config);
const technology = tiny.config.technology;
const request = (over: Partial<RequestWork> = {}): RequestWork => ({
  layer: 0,
  keys: 10,
  keyMsbBits: 4,
  keyLsbBits: 0,
  values: 3,
  valueBits: 8,
  tokenTopk: null,
  ...over,
});

describe('activity counts', () => {
  it('counts one request as the core runs it (tiny: D = 8, 8-byte beats, 2 radix digits)', () => {
    const [a] = requestActivities([request()], shape);
    expect(a).toMatchObject({
      // Every 4-bit key row (4 bytes) and 8-bit value row (8 bytes) costs one 8-byte beat.
      dramBytes: { keyMsb: 80, keyLsb: 0, value: 24 },
      qkMacs: 80,
      pvMacs: 24,
      softmaxElements: 10,
      topkElementPasses: 20,
    });
    // A refetch reads the LSB rows, rescores every key and runs the softmax again.
    const [again] = requestActivities([request({ keyLsbBits: 4 })], shape);
    expect(again).toMatchObject({ dramBytes: { keyLsb: 80 }, qkMacs: 160, softmaxElements: 20 });
  });

  it("charges a layer's token top-k once, after the last request that asks for it", () => {
    const layer = [
      request({ tokenTopk: 5 }),
      request({ tokenTopk: 5 }),
      request({ layer: 1 }),
      request({ layer: 1, tokenTopk: 5 }),
      request({ layer: 1 }),
    ];
    const passes = requestActivities(layer, shape).map((a) => a.topkElementPasses);
    const valueTopk = 20;
    const tokenTopk = 10 * shape.importanceDigits;
    expect(passes).toEqual([
      valueTopk,
      valueTopk + tokenTopk,
      valueTopk,
      valueTopk + tokenTopk,
      20,
    ]);
  });
});

describe('energy', () => {
  it('prices each event by the technology section', () => {
    const events = runActivity([request()], shape, 100);
    const e = energyOf(events, shape, technology);
    expect(e.dram).toBeCloseTo((80 + 24) * 8 * technology.dramPjPerBit, 6);
    expect(e.control).toBeCloseTo(100 * technology.controlPjPerCycle, 6);
    // Twice the keys: twice the Q×K and softmax energy, the P×V energy unchanged.
    const twice = energyOf(runActivity([request({ keys: 20 })], shape, 100), shape, technology);
    expect(twice.qk).toBeCloseTo(2 * e.qk, 6);
    expect(twice.softmax).toBeCloseTo(2 * e.softmax, 6);
    expect(twice.pv).toBeCloseTo(e.pv, 6);
    for (const c of COMPONENTS) expect(e[c], c).toBeGreaterThan(0);
    // A larger SRAM costs more per bit: the paper preset's key buffer over tiny's.
    const paper = configWith('paper').config;
    const big = energyOf(
      events,
      { ...shape, bufferBytes: energyShape(paper).bufferBytes },
      technology,
    );
    expect(big.sram).toBeGreaterThan(e.sram);
  });
});

const simulators = availableSimulators();

describe.skipIf(!simulators.includes('verilator'))('events of the RTL', () => {
  it("equal the model's on the same requests (spatten_top in Verilator, tiny)", async () => {
    const rows = decodeWorkloadFor(tiny.config).rows.filter((row) => row.step === 0);
    const rtl = await replayRtl(tiny, 'generated gpt2-decode', rows, 1);
    const { keyMsb, keyLsb, value } = rtl.dramBytes;
    // What the RTL reported: its executed requests (n, refetch), its fetcher's byte counters and
    // its top-k engines' pass counters (checked against the golden model's by the replay).
    const measured = measuredActivity(rtl.work, shape, 0, {
      dramBytes: { keyMsb, keyLsb, value },
      topkElementPasses: rtl.topkElementPasses,
    });
    const executed = runActivity(rtl.work, shape, 0);
    expect(measured.dramBytes).toEqual(executed.dramBytes);
    expect(keyLsb).toBeGreaterThan(0);
    // The trace's requests at the hardware's plane widths: the same work the RTL did. The trace's
    // top-k after a step's last layer picks the next step's context, which the replay gives the
    // top with the next step's first descriptor: a one-step replay does not run it.
    const lastLayer = Math.max(...rows.map((row) => row.layer));
    const planned = runActivity(
      rows.map((row) => ({
        ...requestWork(row, tiny.config.datapath.keyBits),
        keyMsbBits: tiny.config.fetcher.msbBits,
        keyLsbBits: row.requant ? tiny.config.fetcher.lsbBits : 0,
        valueBits: tiny.config.fetcher.msbBits + tiny.config.fetcher.lsbBits,
        ...(row.layer === lastLayer ? { tokenTopk: null } : {}),
      })),
      shape,
      0,
    );
    // The top-k passes depend on the data: the model counts every element at every radix digit,
    // the RTL an arrival pass per element plus the rounds it needed.
    const { topkElementPasses, ...dataIndependent } = measured;
    const { topkElementPasses: bound, ...plannedRest } = planned;
    expect(dataIndependent).toEqual(plannedRest);
    const valueArrivals = rtl.work.reduce((sum, w) => sum + w.keys, 0);
    expect(topkElementPasses).toBeGreaterThan(valueArrivals);
    expect(topkElementPasses).toBeLessThanOrEqual(bound);
  }, 300_000);
});
