/**
 * `spatten bench datapath`: cycles per row of qk_array and pv_array in RTL simulation (Icarus), against
 * the ideal n·D/M (every multiplier busy every cycle). Rows are requests of n keys (Q×K) or n value rows
 * (prob×V) sent back to back with no stall on any stream; cycles per row are the cycles from the first
 * accepted input beat to the last output beat, divided by the rows. Query loads between Q×K requests
 * and the pipeline fill and drain count against the array. Every output is checked against the golden model, so a wrong design fails
 * the benchmark instead of giving a figure.
 */
import { deriveDatapath } from '../generator/config/derive-datapath';
import type { ResolvedConfig } from '../generator/config/load';
import { CheckFailure } from '../generator/errors';
import { checkPlan } from '../sim/harness/check';
import { Rng } from '../sim/harness/random';
import { pvArrayPlan, randomPvRequest } from '../sim/harness/targets/pv-array';
import { qkArrayPlan, randomQkRequest } from '../sim/harness/targets/qk-array';
import type { SimPlan } from '../sim/harness/targets/types';
import type { Benchmark } from './index';

const ROW_LENGTHS = [16, 64, 256, 1024];

/** Cycles from the first accepted input beat to the last output beat. */
async function measure(resolved: ResolvedConfig, plan: SimPlan, seed: number): Promise<number> {
  plan.maxCycles = 10_000_000;
  const { failures, result } = await checkPlan(resolved, plan, { simulator: 'icarus', seed, stall: 0 });
  if (failures.length > 0) throw new CheckFailure(`datapath bench: ${plan.top.name} differs from the golden model:\n${failures.join('\n')}`);
  const firstInput = Math.min(...Object.values(result.inputAccepted).flatMap((cycles) => cycles.slice(0, 1)));
  const lastOutput = Math.max(...Object.values(result.outputs).flatMap((records) => records.map((r) => r.cycle)));
  return lastOutput - firstInput + 1;
}

export const datapathBenchmark: Benchmark = {
  description: 'qk_array and pv_array cycles per row in RTL simulation against the ideal n·D/M',
  async run({ resolved, trials = 4, seed, log }) {
    const { config } = resolved;
    const shape = deriveDatapath(config);
    const M = config.datapath.multipliers;
    const D = config.model.headDim;
    const results: Record<string, unknown>[] = [];
    for (const n of ROW_LENGTHS.filter((length) => length <= config.model.maxTokens)) {
      const rng = new Rng(seed);
      const plans = {
        qk_array: qkArrayPlan(config, Array.from({ length: trials }, () => randomQkRequest(config, rng, n)), rng),
        pv_array: pvArrayPlan(config, Array.from({ length: trials }, () => randomPvRequest(config, rng, n)), rng),
      };
      for (const [module, plan] of Object.entries(plans)) {
        log(`datapath bench: ${module}, ${trials} rows of n = ${n}`);
        const cycles = await measure(resolved, plan, seed);
        // A beat holds at most RowsPerBeat rows: a row of n needs ceil(n / RowsPerBeat) × Slices beats.
        const idealPerRow = (n * D) / M;
        const beatsPerRow = Math.ceil(n / shape.rowsPerBeat) * shape.slices;
        const cyclesPerRow = cycles / trials;
        results.push({
          module,
          n,
          rows: trials,
          cyclesPerRow,
          idealPerRow,
          beatsPerRow,
          macUtilization: idealPerRow / cyclesPerRow,
        });
      }
    }
    return {
      module: 'datapath',
      preset: resolved.preset,
      multipliers: M,
      headDim: D,
      simulator: 'icarus',
      area: 'not measured: generator/flows/yosys.ts has no synthesis-statistics function yet',
      results,
    };
  },
};
