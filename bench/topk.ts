/**
 * `spatten bench topk`: latency of the top-k engine in Verilator RTL simulation. Latency = cycles from
 * the acceptance of a request's last input beat to the acceptance of its last output beat, with the
 * output always ready and the input never stalled. Every packet is also checked against the golden
 * model (a wrong answer fails the benchmark rather than producing a figure).
 */
import { topkShape, topkPlan } from '../sim/harness/targets/topk';
import { type Distribution, randomValues } from '../sim/harness/targets/topk-requests';
import { checkPlan } from '../sim/harness/check';
import { Rng } from '../sim/harness/random';
import { type TopkRequest, requestBeats, topk } from '../sim/golden/topk';
import type { Benchmark } from './index';

const SIZES = [102, 204, 307, 614, 921, 1024, 2048];
const FRACTIONS = [0.1, 0.2, 0.3];
const BENCH_DISTRIBUTIONS: Distribution[] = ['uniform', 'attention', 'equal', 'sorted', 'reversed'];

interface Point {
  n: number;
  k: number;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? 0;
}

export const topkBenchmark: Benchmark = {
  description: 'top-k latency after the last input beat (Verilator), per distribution, n and k',
  async run({ resolved, trials = 50, seed, log }) {
    const shape = topkShape(resolved.config);
    const points: Point[] = SIZES.filter((n) => n <= shape.capacity).flatMap((n) =>
      FRACTIONS.map((f) => ({ n, k: Math.round(f * n) })),
    );
    const results: Record<string, unknown>[] = [];
    for (const distribution of BENCH_DISTRIBUTIONS) {
      const rng = new Rng(seed);
      const requests: TopkRequest[] = points.flatMap(({ n, k }) =>
        Array.from({ length: trials }, () => ({
          values: randomValues(rng, n, shape, distribution),
          n,
          k,
        })),
      );
      log(`topk bench: ${distribution}, ${requests.length} requests`);
      const plan = topkPlan(resolved.config, requests);
      plan.maxCycles = 50_000_000;
      const { failures, result } = await checkPlan(resolved, plan, {
        simulator: 'verilator',
        seed,
        stall: 0,
      });
      if (failures.length > 0)
        throw new Error(
          `topk bench ${distribution}: RTL differs from the golden model:\n${failures.join('\n')}`,
        );
      const inputCycles = result.inputAccepted.in ?? [];
      const outputCycles = (result.outputs.out ?? []).map((record) => record.cycle);
      let inBeat = 0;
      let outBeat = 0;
      const latencies = requests.map((request) => {
        inBeat += requestBeats(request, shape.parallelism);
        outBeat += topk(request, shape).length;
        return (outputCycles[outBeat - 1] ?? 0) - (inputCycles[inBeat - 1] ?? 0);
      });
      points.forEach(({ n, k }, index) => {
        const cycles = latencies.slice(index * trials, (index + 1) * trials).sort((a, b) => a - b);
        results.push({
          distribution,
          n,
          k,
          trials,
          meanCycles: cycles.reduce((sum, c) => sum + c, 0) / trials,
          p99Cycles: percentile(cycles, 0.99),
          maxCycles: cycles[cycles.length - 1] ?? 0,
          boundCycles: Math.ceil(n / shape.parallelism),
        });
      });
    }
    return { module: 'topk', preset: resolved.preset, parallelism: shape.parallelism, results };
  },
};
