/**
 * `spatten bench core`: cycles and DRAM bytes per attention request of the attention core in Verilator
 * RTL simulation against the AXI memory model (fixed latency memory.latency, no stalls), every
 * result checked against the composed golden model (a difference fails the benchmark).
 *
 * Scenarios (n clamped to model.maxTokens, k scaled with it):
 *   dense           n = 1008, k = n, full-precision keys from the full plane (no refetch);
 *   pruned          n = 280, k = 55, keys as 6-bit MSB planes (fetcher.msbBits = 6), threshold 0;
 *   pruned-requant  the same with the threshold above any probability, so the LSB refetch fires.
 * cyclesPerRequest: from the first descriptor taken to the last result, divided by the requests.
 * memoryBoundCycles: bytesPerRequest / memory.bytesPerCycle (the preset's peak over all channels).
 * computeBoundCycles: the arrays' work, (key passes × n + k) × D / datapath.multipliers.
 * boundRatio = cyclesPerRequest / max(memoryBoundCycles, computeBoundCycles).
 */
import type { ResolvedConfig } from '../generator/config/load';
import type { Config } from '../generator/config/schema';
import { type CoreDescriptor, attentionCore } from '../sim/golden/attention-core';
import { memoryTiming } from '../sim/harness/axi-memory';
import { checkPlan } from '../sim/harness/check';
import { Rng } from '../sim/harness/random';
import { attentionCorePlan } from '../sim/harness/targets/attention-core';
import { headInDram } from '../sim/harness/targets/fetcher';
import type { Benchmark } from './index';

const REQUESTS = 8;
const PRUNED_MSB_BITS = 6;

interface Scenario {
  name: string;
  n: number;
  k: number;
  progressive: boolean;
  refetch: boolean;
}

const SCENARIOS: Scenario[] = [
  { name: 'dense', n: 1008, k: 1008, progressive: false, refetch: false },
  { name: 'pruned', n: 280, k: 55, progressive: true, refetch: false },
  { name: 'pruned-requant', n: 280, k: 55, progressive: true, refetch: true },
];

/** The config with 6-bit MSB planes (the rest of the key in the LSB plane). */
function withMsbBits(resolved: ResolvedConfig, msbBits: number): ResolvedConfig {
  const c = resolved.config;
  const keyBits = c.fetcher.msbBits + c.fetcher.lsbBits;
  const config: Config = { ...c, fetcher: { ...c.fetcher, msbBits, lsbBits: keyBits - msbBits } };
  return { ...resolved, config, hash: `${resolved.hash}-msb${msbBits}` };
}

export const coreBenchmark: Benchmark = {
  description:
    'attention core cycles and bytes per request (Verilator, memory model at the preset peak) for dense, pruned and pruned-requant requests',
  async run({ resolved: base, seed, log }) {
    const results: Record<string, unknown>[] = [];
    for (const scenario of SCENARIOS) {
      const resolved = scenario.progressive ? withMsbBits(base, PRUNED_MSB_BITS) : base;
      const config = resolved.config;
      const rng = new Rng(seed);
      const head = headInDram(config, rng);
      const n = Math.min(scenario.n, config.model.maxTokens);
      const k = Math.max(1, Math.round((scenario.k * n) / scenario.n));
      const { fetcher: f, memory } = config;
      const dp = config.datapath;
      const descriptors: CoreDescriptor[] = Array.from({ length: REQUESTS }, (_, id) => ({
        query: Array.from({ length: config.model.headDim }, () =>
          BigInt.asIntN(dp.queryBits, rng.bits(dp.queryBits)),
        ),
        n,
        k,
        keyBits: scenario.progressive ? f.msbBits : f.msbBits + f.lsbBits,
        lsbBits: scenario.progressive ? f.lsbBits : 0,
        threshold: scenario.refetch ? (1n << BigInt(dp.probBits)) - 1n : 0n,
        keyBase: scenario.progressive ? head.bases.msb : head.bases.full,
        lsbBase: head.bases.lsb,
        valueBase: head.bases.full,
        id,
      }));
      const golden = descriptors.map((d) => attentionCore(config, head.image, d));
      const plan = attentionCorePlan(resolved, head, descriptors, memoryTiming(resolved, false));
      plan.maxCycles = 10_000_000;
      log(`core bench: ${scenario.name}, n ${n}, k ${k}, ${REQUESTS} requests`);
      const { failures, result } = await checkPlan(resolved, plan, {
        simulator: 'verilator',
        seed,
        stall: 0,
      });
      if (failures.length > 0)
        throw new Error(
          `core bench ${scenario.name}: RTL differs from the golden model:\n${failures.slice(0, 10).join('\n')}`,
        );
      if (golden.some((r) => r.requant !== scenario.refetch))
        throw new Error(`core bench ${scenario.name}: the refetch did not go as the scenario says`);
      const first = result.inputAccepted.req?.[0] ?? 0;
      const last = result.outputs.res?.at(-1)?.cycle ?? first;
      const cyclesPerRequest = (last - first + 1) / REQUESTS;
      const bytesPerRequest =
        golden.reduce((sum, r) => sum + r.keyBytes + r.lsbBytes + r.valueBytes, 0) / REQUESTS;
      const memoryBoundCycles = bytesPerRequest / memory.bytesPerCycle;
      const keyPasses = scenario.refetch ? 2 : 1;
      const computeBoundCycles = ((keyPasses * n + k) * config.model.headDim) / dp.multipliers;
      results.push({
        scenario: scenario.name,
        requests: REQUESTS,
        n,
        k,
        cyclesPerRequest,
        bytesPerRequest,
        memoryBoundCycles,
        computeBoundCycles,
        boundRatio: cyclesPerRequest / Math.max(memoryBoundCycles, computeBoundCycles),
      });
    }
    return { module: 'core', preset: base.preset, results };
  },
};
