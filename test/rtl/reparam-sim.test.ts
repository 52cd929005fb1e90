/**
 * The fpga RTL of attention_core and spatten_top, instantiated with -G overrides equal to a second
 * config, behaves as that config's golden model says: the parameters flow down to every unit, not
 * only far enough to lint. Icarus only: plain re-elaboration of one design, and a Verilator build
 * of the fpga top would cost the suite minutes.
 */
import { describe, expect, it } from 'vitest';
import { attentionCoreModule } from '../../generator/modules/attention-core';
import { topModule } from '../../generator/modules/top';
import { memoryTiming } from '../../sim/harness/axi-memory';
import { checkPlan } from '../../sim/harness/check';
import { Rng } from '../../sim/harness/random';
import { attentionCorePlan, randomDescriptor } from '../../sim/harness/targets/attention-core';
import { headInDram } from '../../sim/harness/targets/fetcher';
import { randomSchedule, stepDescriptors, topPlan } from '../../sim/harness/targets/top';
import { configWith } from '../support/config';
import { overridesTo } from '../support/overrides';
import { availableSimulators } from '../support/simulators';

const simulators = availableSimulators();
const base = configWith('fpga');
// Short rows keep the runs short; lanes, capacity, query width, probability format (and with it
// the top-k radix digits) and layers all move parameters.
const second = configWith('fpga', [
  'datapath.probBits=10',
  'datapath.probFrac=9',
  'model.maxTokens=48',
  'softmax.capacity=48',
  'topk.capacity=48',
  'softmax.lanes=4',
  'datapath.queryBits=10',
  'top.layers=2',
]);

describe.runIf(simulators.includes('icarus'))('fpga RTL re-parameterized with -G', () => {
  it('attention_core at the parameters of a second config matches its golden model', async () => {
    const seed = 41;
    const rng = new Rng(seed);
    const head = headInDram(second.config, rng);
    const descriptors = Array.from({ length: 12 }, (_, id) =>
      randomDescriptor(second.config, rng, head, id, { bad: 0.1, full: 0.25 }),
    );
    const plan = attentionCorePlan(second, head, descriptors, memoryTiming(second, true));
    const core = attentionCoreModule(base.config);
    const overrides = overridesTo(core, plan.top);
    expect(Object.keys(overrides)).toEqual(expect.arrayContaining(['Lanes', 'Capacity']));
    const reparameterized = { ...plan, top: core, params: { ...plan.params, ...overrides } };
    const run = { simulator: 'icarus' as const, seed, stall: 0.3 };
    const { failures } = await checkPlan(base, reparameterized, run);
    expect(failures, `seed ${seed}`).toEqual([]);
  }, 300_000);

  it('spatten_top at the parameters of a second config matches its golden model', async () => {
    const seed = 42;
    const rng = new Rng(seed);
    const head = headInDram(second.config, rng);
    const schedule = randomSchedule(second.config, rng);
    const descriptors = stepDescriptors(second.config, rng, head, schedule, 0);
    const plan = topPlan(second, head, descriptors, memoryTiming(second, true));
    const top = topModule(base.config);
    const overrides = overridesTo(top, plan.top);
    expect(Object.keys(overrides)).toEqual(
      expect.arrayContaining(['Lanes', 'Capacity', 'ImportanceWidth']),
    );
    const reparameterized = { ...plan, top, params: overrides };
    const run = { simulator: 'icarus' as const, seed, stall: 0.3 };
    const { failures } = await checkPlan(base, reparameterized, run);
    expect(failures, `seed ${seed}`).toEqual([]);
  }, 600_000);
});
