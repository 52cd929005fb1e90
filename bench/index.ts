/**
 * Benchmarks run by `spatten bench NAME`. Each prints figures (never asserts timings): it returns one
 * JSON-serializable report, printed as JSON with --json or as a table otherwise.
 */
import type { ResolvedConfig } from '../generator/config/load';
import { topkBenchmark } from './topk';
import { softmaxBenchmark } from './softmax';
import { topkAreaBenchmark } from './topk-area';
import { fetcherBenchmark } from './fetcher';
import { datapathBenchmark } from './datapath';
import { coreBenchmark } from './core';
import { replayBenchmark } from './replay';
import { fuzzBenchmark } from './fuzz';
import { timingBenchmark } from './timing';
import { leopardBenchmark } from './leopard';
import { sprintBenchmark } from './sprint';
import type { SynthTarget, YosysTool } from '../generator/flows/yosys';

export interface BenchOptions {
  resolved: ResolvedConfig;
  /** Trials per point, when the benchmark takes a trial count; undefined means its own default. */
  trials?: number;
  seed: number;
  /** Synthesis target, for the benchmarks that synthesize (undefined: their own default). */
  target?: SynthTarget;
  /** Yosys build, for the benchmarks that synthesize (undefined: the WebAssembly one). */
  yosys?: YosysTool;
  /** Progress lines go here (stderr), never to stdout. */
  log: (line: string) => void;
}

export interface Benchmark {
  description: string;
  run(
    options: BenchOptions,
  ): Promise<{ results: Record<string, unknown>[] } & Record<string, unknown>>;
}

export const BENCHMARKS: Record<string, Benchmark> = {
  topk: topkBenchmark,
  softmax: softmaxBenchmark,
  'topk-area': topkAreaBenchmark,
  fetcher: fetcherBenchmark,
  datapath: datapathBenchmark,
  core: coreBenchmark,
  replay: replayBenchmark,
  fuzz: fuzzBenchmark,
  timing: timingBenchmark,
  leopard: leopardBenchmark,
  sprint: sprintBenchmark,
};

/** Benchmarks that take `--target` and `--yosys`. */
export const TARGETED_BENCHMARKS: readonly string[] = ['timing', 'leopard'];
