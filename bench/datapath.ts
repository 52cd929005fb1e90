/**
 * `spatten bench datapath`: cycles per row of qk_array and pv_array in RTL simulation (Verilator), against
 * the ideal n·D/M (every multiplier busy every cycle), and their area after Yosys synthesis (generic
 * gates and Xilinx 7-series). A row is one request: n keys (Q×K, after its query) or n value rows (prob×V).
 * Requests run back to back with no stall on any stream, all row lengths in one simulation per module;
 * a length's cycles run from the first accepted input beat of its first request to the last output beat
 * of its last one, so the query loads and the pipeline fill and drain count against the array. Every
 * output is checked against the golden model: a wrong design fails the benchmark instead of giving a figure.
 */
import { type DatapathDerived, deriveDatapath } from '../generator/config/derive-datapath';
import type { Config } from '../generator/config/schema';
import { CheckFailure } from '../generator/errors';
import { toolVersion } from '../generator/flows/tools';
import { type SynthTarget, type YosysTool, yosysToolVersion } from '../generator/flows/yosys';
import type { ModuleIR } from '../generator/dsl/ir';
import { pvArrayModule } from '../generator/modules/pv-array';
import { qkArrayModule } from '../generator/modules/qk-array';
import { checkPlan } from '../sim/harness/check';
import { Rng } from '../sim/harness/random';
import type { SimResult } from '../sim/harness/run';
import { pvArrayPlan, randomPvRequest } from '../sim/harness/targets/pv-array';
import { qkArrayPlan, randomQkRequest } from '../sim/harness/targets/qk-array';
import type { SimPlan } from '../sim/harness/targets/types';
import { moduleArea } from './area';
import type { Benchmark } from './index';

const ROW_LENGTHS = [16, 64, 256, 1024];
const AREA_TARGETS: SynthTarget[] = ['generic', 'xilinx'];

/** Beats a request of n rows occupies on each stream of a module. */
interface RequestBeats {
  /** Input beats per input stream, in stream order (the first stream's first beat starts the request). */
  inputs: Record<string, number>;
  outputs: Record<string, number>;
}

interface ArrayUnderTest {
  module: 'qk_array' | 'pv_array';
  top(config: Config): ModuleIR;
  plan(config: Config, lengths: readonly number[], rng: Rng): SimPlan;
  beats(shape: DatapathDerived, n: number): RequestBeats;
}

const groupsOf = (shape: DatapathDerived, n: number) =>
  Math.max(1, Math.ceil(n / shape.rowsPerBeat));

const ARRAYS: ArrayUnderTest[] = [
  {
    module: 'qk_array',
    top: qkArrayModule,
    plan: (config, lengths, rng) =>
      qkArrayPlan(
        config,
        lengths.map((n) => randomQkRequest(config, rng, n)),
        rng,
      ),
    beats: (shape, n) => ({
      inputs: { query: shape.slices, key: groupsOf(shape, n) * shape.slices },
      outputs: { score: groupsOf(shape, n) },
    }),
  },
  {
    module: 'pv_array',
    top: pvArrayModule,
    plan: (config, lengths, rng) =>
      pvArrayPlan(
        config,
        lengths.map((n) => randomPvRequest(config, rng, n)),
        rng,
      ),
    beats: (shape, n) => ({
      inputs: { in: groupsOf(shape, n) * shape.slices },
      outputs: { out: 1 },
    }),
  },
];

/** Cycles of each run of requests [first, first + count): first input accepted to last output. */
function runCycles(
  result: SimResult,
  beats: readonly RequestBeats[],
  first: number,
  count: number,
): number {
  const before = (stream: string, which: 'inputs' | 'outputs', upTo: number) =>
    beats.slice(0, upTo).reduce((sum, b) => sum + (b[which][stream] ?? 0), 0);
  const start = Math.min(
    ...Object.keys(beats[first]?.inputs ?? {}).map(
      (s) => result.inputAccepted[s]?.[before(s, 'inputs', first)] ?? Infinity,
    ),
  );
  const end = Math.max(
    ...Object.keys(beats[first]?.outputs ?? {}).map(
      (s) => result.outputs[s]?.[before(s, 'outputs', first + count) - 1]?.cycle ?? -Infinity,
    ),
  );
  return end - start + 1;
}

export const datapathBenchmark: Benchmark = {
  description:
    'qk_array and pv_array cycles per row (Verilator) against the ideal n·D/M, and Yosys area',
  async run({ resolved, trials = 4, seed, log }) {
    const { config } = resolved;
    const shape = deriveDatapath(config);
    const M = config.datapath.multipliers;
    const D = config.model.headDim;
    const lengths = ROW_LENGTHS.filter((n) => n <= config.model.maxTokens);
    const requestLengths = lengths.flatMap((n) => Array.from({ length: trials }, () => n));
    const results: Record<string, unknown>[] = [];
    const areas: Record<string, unknown>[] = [];
    // The system Yosys is several times faster than the WebAssembly build on wide multiplier arrays.
    const tool: YosysTool = (await toolVersion('yosys')) === undefined ? 'wasm' : 'system';
    for (const array of ARRAYS) {
      log(
        `datapath bench: ${array.module}, ${requestLengths.length} requests of n = ${lengths.join(', ')} (Verilator)`,
      );
      const plan = array.plan(config, requestLengths, new Rng(seed));
      plan.maxCycles = 10_000_000;
      const { failures, result } = await checkPlan(resolved, plan, {
        simulator: 'verilator',
        seed,
        stall: 0,
      });
      if (failures.length > 0)
        throw new CheckFailure(
          `datapath bench: ${array.module} differs from the golden model:\n${failures.join('\n')}`,
        );
      const beats = requestLengths.map((n) => array.beats(shape, n));
      lengths.forEach((n, index) => {
        const cyclesPerRow = runCycles(result, beats, index * trials, trials) / trials;
        const idealPerRow = (n * D) / M;
        const row = {
          module: array.module,
          n,
          rows: trials,
          cyclesPerRow,
          idealPerRow,
          macUtilization: idealPerRow / cyclesPerRow,
        };
        log(`  ${JSON.stringify(row)}`);
        results.push(row);
      });
    }
    // Area last: generic synthesis of a wide array takes minutes, and the cycle figures are logged by then.
    for (const array of ARRAYS) {
      const top = array.top(config);
      log(`datapath bench: ${array.module} area (Yosys ${tool}: ${AREA_TARGETS.join(', ')})`);
      const rows = await moduleArea(resolved, top, AREA_TARGETS, tool);
      // The table printed without --json shows cycle rows only; the area goes to the log too.
      for (const row of rows) log(`  ${JSON.stringify(row)}`);
      areas.push(...rows);
    }
    const yosys = await yosysToolVersion(tool);
    return {
      module: 'datapath',
      preset: resolved.preset,
      multipliers: M,
      headDim: D,
      tools: {
        simulator: (await toolVersion('verilator')) ?? 'verilator',
        yosys: `${yosys.name} ${yosys.version}`,
      },
      area: areas,
      results,
    };
  },
};
