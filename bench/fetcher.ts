/**
 * `spatten bench fetcher`: DRAM bandwidth utilization of the fetcher in Verilator RTL simulation against
 * the AXI memory model at the preset's peak (fixed latency memory.latency, no stalls).
 *
 * All channels are simulated together (the fetcher unit), each with its own AXI port and memory model
 * at an equal share of the peak (memory.bytesPerCycle / channels), each fetching the key MSB plane of its
 * own head (maxTokens tokens) with the same draw of the pattern (token pruning is per layer). rows and
 * bytes are summed over channels; cycles run from the first fetch beat accepted to the last row
 * delivered on any channel; utilization = bytes / (cycles × memory.bytesPerCycle). bytes are whole AXI
 * beats read; in the fpga and paper presets a key MSB row fills its beats exactly, so no byte is
 * padding. Every run is checked against the golden model and the memory model's byte counters; a
 * difference fails the benchmark.
 */
import { byteAccounting } from '../sim/golden/fetcher';
import { memoryTiming, parseMemoryReport } from '../sim/harness/axi-memory';
import { checkPlan } from '../sim/harness/check';
import { Rng } from '../sim/harness/random';
import {
  fetcherPlan,
  headInDram,
  indexPattern,
  requestBeats,
} from '../sim/harness/targets/fetcher';
import type { Benchmark } from './index';

const PATTERNS = ['sequential', 'sparse20', 'sparse5', 'random'];

export const fetcherBenchmark: Benchmark = {
  description:
    'fetcher DRAM utilization (Verilator, memory model at the preset peak) for sequential, 20 %, 5 % and random rows',
  async run({ resolved, seed, log }) {
    const config = resolved.config;
    const { fetcher: f, memory } = config;
    const timing = memoryTiming(resolved, false);
    const results: Record<string, unknown>[] = [];
    for (const pattern of PATTERNS) {
      const rng = new Rng(seed);
      // Cascade token pruning keeps the same tokens for every head of a layer: one draw of the pattern,
      // fetched by every channel from the key MSB plane of its own head.
      const indices = indexPattern(rng, pattern, config.model.maxTokens);
      const work = Array.from({ length: f.channels }, () => {
        const head = headInDram(config, rng);
        return { head, beats: requestBeats(head, 'msb', indices) };
      });
      const plan = fetcherPlan(resolved, work, timing);
      plan.maxCycles = 10_000_000;
      log(
        `fetcher bench: ${pattern}, ${f.channels} channel(s), ${work.map((w) => w.beats.length).join('+')} rows`,
      );
      const { failures, result } = await checkPlan(resolved, plan, {
        simulator: 'verilator',
        seed,
        stall: 0,
      });
      if (failures.length > 0)
        throw new Error(
          `fetcher bench ${pattern}: RTL differs from the golden model:\n${failures.slice(0, 10).join('\n')}`,
        );
      let rows = 0;
      let bytes = 0;
      let first = Number.POSITIVE_INFINITY;
      let last = 0;
      work.forEach((w, c) => {
        const account = byteAccounting(config, w.beats);
        const counted = parseMemoryReport(result.log, c);
        if (
          !counted ||
          counted.planeBytes[0] !== account.bytesByPlane.msb ||
          counted.violations !== 0
        ) {
          throw new Error(
            `fetcher bench ${pattern} channel ${c}: memory model counted ${JSON.stringify(counted)}, golden accounting ${JSON.stringify(account)}`,
          );
        }
        rows += account.rows;
        bytes += account.bytes;
        first = Math.min(first, result.inputAccepted[`c${c}_fetch`]?.[0] ?? first);
        last = Math.max(last, result.outputs[`c${c}_row`]?.at(-1)?.cycle ?? last);
      });
      const cycles = last - first + 1;
      results.push({
        pattern,
        rows,
        bytes,
        cycles,
        peakBytesPerCycle: memory.bytesPerCycle,
        utilization: bytes / (cycles * memory.bytesPerCycle),
      });
    }
    return { module: 'fetcher', results };
  },
};
