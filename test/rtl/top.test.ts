import { describe, expect, it } from 'vitest';
import { type TopDescriptor, runTop } from '../../sim/golden/top';
import { memoryTiming } from '../../sim/harness/axi-memory';
import { checkPlan } from '../../sim/harness/check';
import type { Simulator } from '../../sim/harness/run';
import { Rng } from '../../sim/harness/random';
import { headInDram } from '../../sim/harness/targets/fetcher';
import { randomSchedule, stepDescriptors, topPlan } from '../../sim/harness/targets/top';
import { configWith } from '../support/config';
import { availableSimulators } from '../support/simulators';

const simulators = availableSimulators();

/** Several decode steps with random schedules, each checked to prune tokens and heads somewhere. */
function steps(
  config: ReturnType<typeof configWith>['config'],
  rng: Rng,
  head: ReturnType<typeof headInDram>,
  count: number,
): TopDescriptor[] {
  const descriptors: TopDescriptor[] = [];
  for (let step = 0; step < count; step += 1)
    descriptors.push(
      ...stepDescriptors(config, rng, head, randomSchedule(config, rng), descriptors.length),
    );
  return descriptors;
}

/** Co-simulates the descriptors under random DRAM latency and stalls: the mismatches found. */
async function failuresOf(
  resolved: ReturnType<typeof configWith>,
  head: ReturnType<typeof headInDram>,
  descriptors: TopDescriptor[],
  options: { simulator: Simulator; seed: number; stall: number },
): Promise<string[]> {
  const plan = topPlan(resolved, head, descriptors, memoryTiming(resolved, true));
  return (await checkPlan(resolved, plan, options)).failures;
}

describe.each(simulators)('spatten_top RTL on %s', (simulator) => {
  it('matches the bit-exact cascade model over decode steps with token and head pruning, under stalls and DRAM latency', async () => {
    const seed = 5;
    const resolved = configWith('tiny');
    const rng = new Rng(seed);
    const head = headInDram(resolved.config, rng);
    const descriptors = steps(resolved.config, rng, head, 8);
    const { results, tokensFetched } = runTop(resolved.config, head.image, descriptors);
    // The run exercises what it claims: pruned tokens, skipped heads, progressive refetch.
    expect(
      results.some((r) => r.skipped),
      `seed ${seed}`,
    ).toBe(true);
    expect(
      tokensFetched.some((t) => t.length > 0 && t.some((token, i) => token !== i)),
      `seed ${seed}`,
    ).toBe(true);
    expect(
      results.some((r) => r.requant),
      `seed ${seed}`,
    ).toBe(true);
    const failures = await failuresOf(resolved, head, descriptors, { simulator, seed, stall: 0.3 });
    expect(failures, `seed ${seed}`).toEqual([]);
  }, 300_000);
});

// The paper's machine (16 channels, 1024 tokens, 12 heads x 12 layers): one whole decode step under
// stalls and random DRAM latency, Verilator only (the Icarus run of a design this size takes too long).
describe.runIf(simulators.includes('verilator'))('spatten_top RTL at preset paper', () => {
  it('matches the cascade model over a decode step on Verilator', async () => {
    const seed = 3;
    const resolved = configWith('paper');
    const rng = new Rng(seed);
    const head = headInDram(resolved.config, rng);
    const descriptors = steps(resolved.config, rng, head, 1);
    const { results } = runTop(resolved.config, head.image, descriptors);
    expect(results.filter((r) => !r.skipped && !r.error).length, `seed ${seed}`).toBeGreaterThan(
      12,
    );
    const options = { simulator: 'verilator' as const, seed, stall: 0.3 };
    expect(await failuresOf(resolved, head, descriptors, options), `seed ${seed}`).toEqual([]);
  }, 900_000);
});

// Heads not a power of two (a head number out of range exists), importance rescaled at boundaries, bad
// token counts: Icarus only (plain control; a second Verilator build would double the cost).
describe.runIf(simulators.includes('icarus'))('spatten_top RTL edge cases', () => {
  it('three heads, rescaled importance, bad first and out-of-range heads', async () => {
    const seed = 9;
    const resolved = configWith('tiny', ['top.heads=3', 'top.importanceShift=2']);
    const config = resolved.config;
    const rng = new Rng(seed);
    const head = headInDram(config, rng);
    const descriptors = steps(config, rng, head, 4);
    // A copy of descriptor i as it stands now, with some fields changed.
    const bad = (i: number, extra: Partial<TopDescriptor>): TopDescriptor => {
      const d = descriptors[i];
      if (!d) throw new Error(`no descriptor ${i}`);
      return { ...d, ...extra };
    };
    descriptors.splice(3, 0, bad(3, { first: false, head: 3 }));
    descriptors.splice(7, 0, bad(7, { first: true, tokens: 0 }), bad(8, { first: false, head: 0 }));
    descriptors.push(bad(0, { first: true, tokens: config.model.maxTokens }));
    const { results } = runTop(config, head.image, descriptors);
    expect(results[3]?.error).toBe(true);
    expect([results[7]?.error, results[8]?.error, results[8]?.n]).toEqual([true, true, 0]);
    const options = { simulator: 'icarus' as const, seed, stall: 0.4 };
    expect(await failuresOf(resolved, head, descriptors, options), `seed ${seed}`).toEqual([]);
  }, 300_000);
});
