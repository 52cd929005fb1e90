/**
 * Parameters flow down to every instance: a composite module emitted for one config and given, by
 * -G, the top-level parameter values of a second config elaborates every instance in its hierarchy
 * with the parameter values the second config's own build gives it. Lint (reparam.test.ts) cannot
 * see a child parameter that stays at the first config's literal while every width still meets,
 * such as a radix digit that no longer divides the value width.
 */
import { describe, expect, it } from 'vitest';
import { type Env, evalExpr } from '../../generator/dsl/expr';
import type { ModuleIR } from '../../generator/dsl/ir';
import { attentionCoreModule } from '../../generator/modules/attention-core';
import { topModule } from '../../generator/modules/top';
import { configWith } from '../support/config';
import { overridesTo } from '../support/overrides';

/** Every instance path of `module` with its parameter values, `module` elaborated with `values`. */
function elaborate(module: ModuleIR, values: Env, path = module.stem): Map<string, Env> {
  const env = new Map(values);
  for (const local of module.localparams) env.set(local.name, evalExpr(local.value, env));
  const out = new Map<string, Env>([[path, values]]);
  for (const instance of module.instances) {
    const child = new Map(instance.module.params.map((p) => [p.name, p.value]));
    for (const [name, value] of Object.entries(instance.params)) {
      child.set(name, evalExpr(value, env));
    }
    for (const entry of elaborate(instance.module, child, `${path}.${instance.name}`)) {
      out.set(...entry);
    }
  }
  return out;
}

const defaults = (module: ModuleIR): Env => new Map(module.params.map((p) => [p.name, p.value]));

/** Second configs whose fields reach parameters the composites derive for their children. */
const seconds = [
  ['datapath.probBits=10', 'datapath.probFrac=9'],
  ['top.layers=2'],
  ['top.heads=5', 'top.layers=3'],
  ['softmax.lanes=4'],
  ['model.headDim=32'],
  ['model.headDim=8'],
  ['model.maxTokens=1000', 'softmax.capacity=1000', 'topk.capacity=1000'],
  ['datapath.queryBits=10', 'datapath.outBits=12', 'datapath.outFrac=8'],
  ['fetcher.msbBits=6', 'datapath.keyBits=10'],
  ['datapath.scoreBits=14', 'datapath.scoreFrac=6', 'datapath.queryFrac=6'],
  ['datapath.keyFrac=6', 'datapath.valueFrac=6'],
];

describe.each([
  { name: 'attention_core', build: attentionCoreModule },
  { name: 'top', build: topModule },
])('$name re-parameterized to a second config', ({ build }) => {
  const base = build(configWith('fpga').config);

  it.each(seconds.map((sets) => ({ sets, label: sets.join(' ') })))(
    'every instance elaborates as at: $label',
    ({ sets }) => {
      const second = build(configWith('fpga', sets).config);
      const overrides = new Map(Object.entries(overridesTo(base, second)));
      const reached = elaborate(base, new Map([...defaults(base), ...overrides]));
      const wanted = elaborate(second, defaults(second));
      expect([...reached.keys()]).toEqual([...wanted.keys()]);
      const differences = [...wanted].flatMap(([path, env]) =>
        [...env].flatMap(([name, value]) => {
          const got = reached.get(path)?.get(name);
          return got === value ? [] : [`${path} ${name}: ${got} (wanted ${value})`];
        }),
      );
      expect(differences).toEqual([]);
    },
  );
});
