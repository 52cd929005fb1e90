/**
 * `spatten bench fetcher`: DRAM bandwidth utilization of the fetcher in Verilator RTL simulation against
 * the AXI memory model at the preset's peak (fixed latency fetcher.dramLatency, no stalls).
 *
 * Every channel has its own AXI port and an equal share of the peak (dramBytesPerCycle / channels) and
 * shares nothing with the others, so each channel is simulated on its own, fetching the key MSB plane of
 * its own head (maxTokens tokens) with the pattern; all channels start together. rows and bytes are
 * summed over channels, cycles run from the first fetch beat accepted to the last row delivered on any
 * channel, utilization = bytes / (cycles × dramBytesPerCycle). bytes are whole AXI beats read; with
 * these presets a key MSB row fills its beats exactly, so no byte is padding. Every run is checked
 * against the golden model and the memory model's byte counters; a difference fails the benchmark.
 */
import { type FetchBeat, byteAccounting } from '../sim/golden/fetcher';
import { memoryTiming, parseMemoryReport } from '../sim/harness/axi-memory';
import { checkPlan } from '../sim/harness/check';
import { Rng } from '../sim/harness/random';
import { fetcherPlan, headInDram, indexPattern, requestBeats } from '../sim/harness/targets/fetcher';
import type { Benchmark } from './index';

const PATTERNS = ['sequential', 'sparse20', 'sparse5', 'random'];

export const fetcherBenchmark: Benchmark = {
  description: 'fetcher DRAM utilization (Verilator, memory model at the preset peak) for sequential, 20 %, 5 % and random rows',
  async run({ resolved, seed, log }) {
    const config = resolved.config;
    const f = config.fetcher;
    const timing = memoryTiming(resolved, false);
    const results: Record<string, unknown>[] = [];
    for (const pattern of PATTERNS) {
      let rows = 0;
      let bytes = 0;
      let cycles = 0;
      for (let channel = 0; channel < f.channels; channel += 1) {
        const rng = new Rng(seed * 1000 + channel);
        const head = headInDram(config, rng);
        const beats: FetchBeat[] = requestBeats(head, 'msb', indexPattern(rng, pattern, config.model.maxTokens));
        const plan = fetcherPlan(resolved, head, beats, timing);
        plan.maxCycles = 10_000_000;
        log(`fetcher bench: ${pattern}, channel ${channel}, ${beats.length} rows`);
        const { failures, result } = await checkPlan(resolved, plan, { simulator: 'verilator', seed, stall: 0 });
        if (failures.length > 0) throw new Error(`fetcher bench ${pattern}: RTL differs from the golden model:\n${failures.slice(0, 10).join('\n')}`);
        const account = byteAccounting(config, beats);
        const counted = parseMemoryReport(result.log);
        if (!counted || counted.planeBytes[0] !== account.bytesByPlane.msb || counted.violations !== 0) {
          throw new Error(`fetcher bench ${pattern}: memory model counted ${JSON.stringify(counted)}, golden accounting ${JSON.stringify(account)}`);
        }
        const first = result.inputAccepted.fetch?.[0] ?? 0;
        const last = result.outputs.row?.at(-1)?.cycle ?? first;
        rows += account.rows;
        bytes += account.bytes;
        cycles = Math.max(cycles, last - first + 1);
      }
      results.push({ pattern, rows, bytes, cycles, peakBytesPerCycle: f.dramBytesPerCycle, utilization: bytes / (cycles * f.dramBytesPerCycle) });
    }
    return { module: 'fetcher', results };
  },
};
