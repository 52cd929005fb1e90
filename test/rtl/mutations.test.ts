/**
 * The strength of the checks, tested: each mutation below is a small edit of one module's emitted
 * Verilog (what a one-character template edit produces), a real bug that `spatten sim`'s stimulus
 * or pass/fail once let through. The unit's sim target, at a small count, must fail with the mutation
 * and pass without it (same seed, same plan). Icarus only: it builds in a second and these runs are
 * short.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ResolvedConfig } from '../../generator/config/load';
import { collectModules } from '../../generator/modules';
import { renderModule } from '../../generator/render/design';
import { checkPlan } from '../../sim/harness/check';
import { Rng } from '../../sim/harness/random';
import { mergeAttachments } from '../../sim/harness/token-map';
import { SIM_TARGETS } from '../../sim/harness/targets';
import type { SimPlan } from '../../sim/harness/targets/types';
import { configWith } from '../support/config';
import { availableSimulators } from '../support/simulators';

interface Mutation {
  name: string;
  unit: string;
  /** --set overrides of preset tiny. */
  sets?: string[];
  /** Emitted module (file stem) to edit. */
  module: string;
  /** Text that occurs exactly once in the module, and what it becomes. */
  from: string;
  to: string;
  count: number;
  seed: number;
}

const MUTATIONS: Mutation[] = [
  {
    // D = 16: at tiny's D = 8 no dot product reaches half a score LSB, so no exact tie exists.
    name: 'qk_array rounds half up instead of half to even',
    unit: 'qk_array',
    sets: ['model.headDim=16'],
    module: 'spatten_qk_array',
    from: 'assign up   = value[ScoreShift-1] & (kept[0] | (|value[ScoreShift-2:0]));',
    to: 'assign up   = value[ScoreShift-1];',
    count: 60,
    seed: 1,
  },
  {
    name: 'pv_array accumulator one bit short',
    unit: 'pv_array',
    module: 'spatten_pv_array',
    from: 'ProductWidth + ((TokenBits > TreeLevels) ? TokenBits : TreeLevels);',
    to: 'ProductWidth + ((TokenBits > TreeLevels) ? TokenBits : TreeLevels) - 1;',
    count: 40,
    seed: 1,
  },
  {
    name: 'pv_array uses the probability of the row at the count (count-0 beats add garbage)',
    unit: 'pv_array',
    module: 'spatten_pv_array',
    from: '(row < in_count_i)',
    to: '(row <= in_count_i)',
    count: 40,
    seed: 1,
  },
  {
    name: 'fetcher bursts ignore the 4 KB page rule',
    unit: 'fetcher',
    module: 'spatten_fetcher',
    from: 'burst_limit = (left >= LEFT_MAX) ? MAX_BURST : left[BurstBits-1:0];',
    to: 'burst_limit = MAX_BURST;',
    count: 100,
    seed: 1,
  },
  {
    name: 'top head-importance magnitude off by one for negative outputs',
    unit: 'top',
    module: 'spatten_top',
    from: "= element[OutWidth-1] ? ~element + 1'b1 : element;",
    to: '= element[OutWidth-1] ? ~element : element;',
    count: 48,
    seed: 1,
  },
  {
    name: 'top head ranking breaks ties towards the higher head',
    unit: 'top',
    module: 'spatten_top',
    from: 'assign lower = HEAD < r1_head_q;',
    to: 'assign lower = HEAD > r1_head_q;',
    count: 48,
    seed: 1,
  },
  {
    name: 'topk takes one tie at the k-th value too many',
    unit: 'topk',
    module: 'spatten_topk',
    from: 'takes = ((ties >> LaneBits) != 0) ? all_lanes : ~(all_lanes << (ties & lane_mask));',
    to: "takes = ((ties >> LaneBits) != 0) ? all_lanes : ~(all_lanes << ((ties & lane_mask) + 1'b1));",
    count: 40,
    seed: 1,
  },
  {
    name: 'zero_eliminator count misses the top lane',
    unit: 'zero_eliminator',
    module: 'spatten_zero_compact',
    from: 'assign count_d = compact_popcount(in_keep_i);',
    to: "assign count_d = compact_popcount({1'b0, in_keep_i[Lanes-2:0]});",
    count: 40,
    seed: 1,
  },
];

const workDir = mkdtempSync(join(tmpdir(), 'spatten-mutations-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

/** The plan with `mutation` applied to its module's emitted Verilog (the file replaces it). */
function mutatedPlan(resolved: ResolvedConfig, plan: SimPlan, mutation: Mutation): SimPlan {
  const module = collectModules([plan.top]).find((m) => m.name === mutation.module);
  if (!module) throw new Error(`${mutation.unit} has no module ${mutation.module}`);
  const text = renderModule(module, resolved);
  const occurrences = text.split(mutation.from).length - 1;
  expect(occurrences, `"${mutation.from}" in ${mutation.module}.v`).toBe(1);
  const dir = mkdtempSync(join(workDir, 'm-'));
  const file = join(dir, `${mutation.module}.v`);
  writeFileSync(file, text.replace(mutation.from, mutation.to));
  const replacement = { files: [file], verilog: '', connect: {} };
  return { ...plan, extra: plan.extra ? mergeAttachments(plan.extra, replacement) : replacement };
}

const icarus = availableSimulators().includes('icarus');

describe.runIf(icarus)('sim targets catch known bugs (Icarus)', () => {
  it.each(MUTATIONS)('$name', async (mutation) => {
    const resolved = configWith('tiny', mutation.sets ?? []);
    const target = SIM_TARGETS[mutation.unit];
    if (!target) throw new Error(`no sim target ${mutation.unit}`);
    const plan = target.plan(resolved, new Rng(mutation.seed), mutation.count);
    const run = { simulator: 'icarus' as const, seed: mutation.seed, stall: 0.3 };
    const clean = await checkPlan(resolved, plan, run);
    expect(clean.failures, 'without the mutation').toEqual([]);
    const mutated = await checkPlan(resolved, mutatedPlan(resolved, plan, mutation), run);
    expect(mutated.failures.length, 'with the mutation').toBeGreaterThan(0);
  });
});
