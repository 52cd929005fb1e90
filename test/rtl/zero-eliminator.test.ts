import { describe, expect, it } from 'vitest';
import type { FlaggedBeat } from '../../sim/golden/zero-eliminator';
import { checkPlan, watchdogCycles } from '../../sim/harness/check';
import { Rng } from '../../sim/harness/random';
import { randomPackets, zeroEliminatorPlan } from '../../sim/harness/targets/zero-eliminator';
import { configWith } from '../support/config';
import { availableSimulators } from '../support/simulators';

const simulators = availableSimulators();

const shapes: { name: string; preset: string; sets: string[] }[] = [
  { name: 'tiny, packing', preset: 'tiny', sets: [] },
  { name: 'tiny, compaction only', preset: 'tiny', sets: ['zeroEliminator.pack=false'] },
  {
    name: 'one lane',
    preset: 'tiny',
    sets: ['zeroEliminator.lanes=1', 'zeroEliminator.outLanes=1'],
  },
  {
    name: 'widest data, 16 lanes into 24',
    preset: 'tiny',
    sets: ['zeroEliminator.lanes=16', 'zeroEliminator.dataBits=64', 'zeroEliminator.outLanes=24'],
  },
  { name: 'fpga preset', preset: 'fpga', sets: [] },
];

/** Edge-case packets: all kept, none kept, one-element packets, one long packet. */
function edgePackets(lanes: number, dataBits: number): FlaggedBeat[] {
  const rng = new Rng(99);
  const beat = (keep: (lane: number) => boolean, last: boolean): FlaggedBeat => ({
    elements: Array.from({ length: lanes }, () => rng.bits(dataBits)),
    keep: Array.from({ length: lanes }, (_, lane) => keep(lane)),
    last,
  });
  const maxValue = (1n << BigInt(dataBits)) - 1n;
  return [
    beat(() => true, false),
    beat(() => true, true),
    beat(() => false, false),
    beat(() => false, true),
    beat((lane) => lane === 0, true),
    beat((lane) => lane === lanes - 1, true),
    {
      elements: Array.from({ length: lanes }, () => maxValue),
      keep: Array.from({ length: lanes }, () => true),
      last: true,
    },
    ...Array.from({ length: 20 }, (_, i) => beat((lane) => (lane + i) % 3 === 0, i === 19)),
  ];
}

describe.each(simulators)('zero eliminator RTL on %s', (simulator) => {
  it.each(shapes)(
    'matches the golden model under random stalls: $name',
    async ({ preset, sets }) => {
      const resolved = configWith(preset, sets);
      const ze = resolved.config.zeroEliminator;
      for (const seed of [1, 2, 3]) {
        const plan = zeroEliminatorPlan(
          resolved.config,
          randomPackets(new Rng(seed), 60, ze.lanes, ze.dataBits),
        );
        const { failures, result } = await checkPlan(resolved, plan, {
          simulator,
          seed,
          stall: seed === 1 ? 0.5 : 0.25,
        });
        expect(failures, `seed ${seed}`).toEqual([]);
        expect(result.outputs.out?.length).toBe(plan.expected.out?.length);
      }
    },
  );

  it.each(shapes)('handles the edge cases: $name', async ({ preset, sets }) => {
    const resolved = configWith(preset, sets);
    const ze = resolved.config.zeroEliminator;
    const plan = zeroEliminatorPlan(resolved.config, edgePackets(ze.lanes, ze.dataBits));
    for (const stall of [0, 0.4]) {
      const { failures } = await checkPlan(resolved, plan, { simulator, seed: 11, stall });
      expect(failures, `stall ${stall}`).toEqual([]);
    }
  });

  it('takes one input beat per cycle with no stall (back-to-back packets)', async () => {
    const resolved = configWith('tiny', []);
    const ze = resolved.config.zeroEliminator;
    const plan = zeroEliminatorPlan(
      resolved.config,
      randomPackets(new Rng(4), 40, ze.lanes, ze.dataBits),
    );
    const { failures, result } = await checkPlan(resolved, plan, { simulator, seed: 4, stall: 0 });
    expect(failures).toEqual([]);
    const accepted = result.inputAccepted.in ?? [];
    // Packed mode holds the input off for one cycle only when a last beat overflows into two output beats.
    const overflowing = (plan.expected.out ?? []).filter(
      (beat, i, all) =>
        beat.last &&
        i > 0 &&
        !all[i - 1]?.last &&
        (all[i - 1]?.fields.count ?? 0n) === BigInt(ze.outLanes),
    ).length;
    const span = (accepted[accepted.length - 1] ?? 0) - (accepted[0] ?? 0) + 1;
    expect(accepted.length).toBe(plan.inputs.in?.length);
    expect(span).toBeLessThanOrEqual(accepted.length + overflowing);
  });

  it('reports a difference from the expected output (the check can fail)', async () => {
    const resolved = configWith('tiny', []);
    const ze = resolved.config.zeroEliminator;
    const plan = zeroEliminatorPlan(
      resolved.config,
      randomPackets(new Rng(5), 10, ze.lanes, ze.dataBits),
    );
    const first = plan.expected.out?.[0];
    if (!first) throw new Error('plan has no output');
    first.fields.data = (first.fields.data ?? 0n) ^ 1n;
    // One beat more than the DUT will ever send: the watchdog must end the run.
    plan.expected.out?.push({ fields: { data: 0n, count: 0n }, last: true });
    plan.maxCycles = 3000;
    const { failures } = await checkPlan(resolved, plan, { simulator, seed: 5, stall: 0.2 });
    const expectedBeats = plan.expected.out?.length ?? 0;
    // The plan's budget, stretched for the stalls.
    expect(failures[0]).toBe(`timeout after ${watchdogCycles(plan, 0.2)} cycles (watchdog)`);
    expect(watchdogCycles(plan, 0.2)).toBe(Math.ceil(3000 / 0.8 ** 2));
    expect(failures).toContain(`out: expected ${expectedBeats} beats, got ${expectedBeats - 1}`);
    expect(
      failures.some((f) =>
        /^out beat 0 \(cycle \d+\): data expected 0x[0-9a-f]+, got 0x[0-9a-f]+$/.test(f),
      ),
    ).toBe(true);
  });
});
