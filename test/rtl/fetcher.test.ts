import { basename, dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verilatorLint } from '../../generator/flows/verilator';
import { byteAccounting } from '../../sim/golden/fetcher';
import {
  AXI_MEMORY_FILE,
  memoryProblems,
  memoryTiming,
  parseMemoryReport,
} from '../../sim/harness/axi-memory';
import { checkPlan } from '../../sim/harness/check';
import { Rng } from '../../sim/harness/random';
import type { Simulator } from '../../sim/harness/run';
import {
  fetcherPlan,
  headInDram,
  randomRequests,
  requestBeats,
} from '../../sim/harness/targets/fetcher';
import { configWith } from '../support/config';
import { availableSimulators } from '../support/simulators';

const simulators = availableSimulators();

const shapes = [
  { name: 'tiny (one-beat rows)', sets: [] },
  // D = 32: MSB and LSB rows of 2 beats, full rows of 4; 4 KB pages every 512 words.
  { name: 'multi-beat rows', sets: ['model.headDim=32'] },
];
// Two IDs, a buffer of one burst: issue waits on IDs and buffer space all the time. Icarus only (the
// shapes above run on both): each extra config costs a Verilator build of half a minute.
const TIGHT = [
  'fetcher.maxBurst=8',
  'fetcher.outstanding=2',
  'fetcher.axiIdBits=1',
  'fetcher.bufferBeats=8',
  'model.headDim=32',
];

/** Random requests with 2 % SLVERR words under stalls: golden rows, flagged errors, golden byte counts. */
async function checkRandomRequests(simulator: Simulator, sets: string[]): Promise<void> {
  const resolved = configWith('tiny', sets);
  for (const [seed, stall] of [
    [1, 0.5],
    [2, 0.2],
  ] as const) {
    const rng = new Rng(seed);
    const head = headInDram(resolved.config, rng, 0.02);
    const beats = randomRequests(rng, head, resolved.config.model.maxTokens, 25);
    const plan = fetcherPlan(resolved, [{ head, beats }], memoryTiming(resolved, true));
    const { failures, result } = await checkPlan(resolved, plan, { simulator, seed, stall });
    expect(failures, `seed ${seed}`).toEqual([]);
    expect(
      plan.expected.c0_row?.some((row) => row.fields.error === 1n),
      `seed ${seed}: some row is flagged`,
    ).toBe(true);
    const account = byteAccounting(resolved.config, beats);
    const report = parseMemoryReport(result.log);
    expect(report?.planeBytes.slice(0, 3), `seed ${seed}`).toEqual([
      account.bytesByPlane.msb,
      account.bytesByPlane.lsb,
      account.bytesByPlane.full,
    ]);
    expect(report?.violations, `seed ${seed}: AXI rules (size, INCR, 4 KB)`).toBe(0);
  }
}

describe('AXI memory model report', () => {
  const counters = 'plane0=8 plane1=0 plane2=0 plane3=0 beats=1 bursts=1 error_beats=0';
  const report = (c: number, violations: number) =>
    `AXIMEM channel=${c} ${counters} violations=${violations}`;
  const burst = 'burst addr=00000ff8 len=3 size=3 burst=1';

  it('turns every counted violation and every missing report into a failure', () => {
    expect(memoryProblems(`${report(0, 0)}\n${report(1, 0)}`, 2)).toEqual([]);
    const broken = [`AXIMEM channel=1 violation: ${burst}`, report(0, 0), report(1, 1)].join('\n');
    expect(memoryProblems(broken, 2)).toEqual([
      `AXI channel 1: 1 rule violation(s), the first: ${burst}`,
    ]);
    expect(memoryProblems(report(0, 0), 2)).toEqual([
      'AXI channel 1: no counter report from the memory model (ended early)',
    ]);
  });
});

describe.runIf(simulators.includes('verilator'))('AXI memory model', () => {
  it('is lint-clean under verilator -Wall', async () => {
    const run = await verilatorLint(
      dirname(AXI_MEMORY_FILE),
      [basename(AXI_MEMORY_FILE)],
      'axi_memory',
    );
    expect(run.output).toBe('');
    expect(run.ok).toBe(true);
  });
});

describe.each(simulators)('fetcher RTL on %s', (simulator) => {
  it.each(shapes)(
    'returns the golden rows and counts the golden bytes under random stalls and latency: $name',
    async ({ sets }) => {
      await checkRandomRequests(simulator, sets);
    },
  );

  it('coalesces consecutive rows into full bursts that stop at 4 KB pages', async () => {
    const resolved = configWith('tiny', ['model.headDim=32']);
    const seed = 4;
    const head = headInDram(resolved.config, new Rng(seed));
    const beats = requestBeats(
      head,
      'full',
      Array.from({ length: 64 }, (_, i) => i),
    );
    // Latency spread as in the other tests, so the Verilator build is shared.
    const plan = fetcherPlan(resolved, [{ head, beats }], memoryTiming(resolved, true));
    const { failures, result } = await checkPlan(resolved, plan, { simulator, seed, stall: 0 });
    expect(failures).toEqual([]);
    // 64 rows × 4 beats = 256 beats in bursts of maxBurst = 4, one more where the run crosses a page.
    const report = parseMemoryReport(result.log);
    expect(report?.beats).toBe(256);
    expect(report?.bursts).toBeGreaterThanOrEqual(64);
    expect(report?.bursts).toBeLessThanOrEqual(65);
    expect(report?.violations).toBe(0);
  });

  it('runs channels independently: a short request finishes while a long one streams', async () => {
    const resolved = configWith('tiny', ['fetcher.channels=2']);
    const seed = 6;
    const rng = new Rng(seed);
    const long = headInDram(resolved.config, rng);
    const short = headInDram(resolved.config, rng);
    const work = [
      {
        head: long,
        beats: requestBeats(
          long,
          'full',
          Array.from({ length: 64 }, (_, i) => i),
        ),
      },
      { head: short, beats: requestBeats(short, 'msb', [3, 9, 10, 40]) },
    ];
    const plan = fetcherPlan(resolved, work, memoryTiming(resolved, true));
    const { failures, result } = await checkPlan(resolved, plan, { simulator, seed, stall: 0.2 });
    expect(failures, `seed ${seed}`).toEqual([]);
    const lastCycle = (stream: string) => result.outputs[stream]?.at(-1)?.cycle ?? 0;
    // Lockstep channels would finish together; independent ones finish the short request early.
    expect(lastCycle('c1_row') * 3, `seed ${seed}`).toBeLessThan(lastCycle('c0_row'));
    expect(parseMemoryReport(result.log, 1)?.planeBytes[0]).toBe(4 * 8);
  });
});

describe.each(simulators.filter((simulator) => simulator === 'icarus'))(
  'fetcher RTL with two IDs and a one-burst buffer on %s',
  (simulator) => {
    it('returns the golden rows and counts the golden bytes', async () => {
      await checkRandomRequests(simulator, TIGHT);
    });

    it('never deadlocks under heavy stalls on every port', async () => {
      const resolved = configWith('tiny', TIGHT);
      const seed = 9;
      const rng = new Rng(seed);
      const head = headInDram(resolved.config, rng, 0.05);
      const beats = randomRequests(rng, head, resolved.config.model.maxTokens, 8);
      const plan = fetcherPlan(resolved, [{ head, beats }], memoryTiming(resolved, true));
      const { failures, result } = await checkPlan(resolved, plan, { simulator, seed, stall: 0.9 });
      expect(failures, `seed ${seed}`).toEqual([]);
      expect(result.status).toBe('pass');
    });
  },
);
