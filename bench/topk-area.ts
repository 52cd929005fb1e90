/**
 * `spatten bench topk-area`: Yosys area of the top-k engine for P in {4, 8, 16} at the preset's capacity
 * and value width, through the flow of `spatten synth` (generic: memories as flip-flops; iCE40 and
 * Xilinx: block RAMs), with the candidate buffers' bits beside it.
 */
import { deriveTopk } from '../generator/config/derive-topk';
import type { ResolvedConfig } from '../generator/config/load';
import { yosysVersion } from '../generator/flows/yosys';
import { topkModule } from '../generator/modules/topk';
import { moduleArea } from './area';
import type { Benchmark } from './index';

const PARALLELISMS = [4, 8, 16];

function withParallelism(resolved: ResolvedConfig, parallelism: number): ResolvedConfig {
  const topk = {
    ...resolved.config.topk,
    parallelism,
    outLanes: Math.max(parallelism, resolved.config.topk.outLanes),
  };
  return { ...resolved, config: { ...resolved.config, topk } };
}

export const topkAreaBenchmark: Benchmark = {
  description:
    'top-k engine area per parallelism (Yosys generic, iCE40 and Xilinx: cells, LUTs, FFs, BRAMs)',
  async run({ resolved, log }) {
    const results: Record<string, unknown>[] = [];
    for (const parallelism of PARALLELISMS) {
      const variant = withParallelism(resolved, parallelism);
      const derived = deriveTopk(variant.config);
      const memoryBits = 3 * derived.words * parallelism * derived.elementBits;
      log(`topk-area: P=${parallelism}`);
      for (const row of await moduleArea(
        variant,
        topkModule(variant.config),
        ['generic', 'ice40', 'xilinx'],
        'wasm',
      )) {
        results.push({ parallelism, capacity: variant.config.topk.capacity, memoryBits, ...row });
      }
    }
    return { module: 'topk', preset: resolved.preset, yosys: await yosysVersion(), results };
  },
};
