/**
 * Replays trace rows on spatten_top in RTL simulation (the `--mode rtl` engine of `spatten replay`), and
 * turns the same requests into the performance model's work so the two engines can be compared.
 *
 * Trace rows -> descriptors, one decode step at a time (random query data, one head's planes in DRAM
 * shared by every head):
 * - every step starts with `first`, tokens = the first layer's kept keys;
 * - each layer sends all top.heads heads; the top itself skips the heads it pruned. Head h gets the
 *   values-kept count of the layer's h-th trace row (the last row's when the layer has fewer rows);
 * - the last head of a layer carries `boundary` with token_keep = the next layer's kept keys and
 *   head_keep = the next layer's row count, so the hardware prunes to the trace's counts, choosing
 *   which tokens and heads by its own importance;
 * - quantized keys (a key bit count in the trace) use the MSB plane, and the trace's requant flag sets
 *   the threshold above every probability (refetch) or to 0 (none); unquantized rows use full-plane keys.
 * Plane widths are the hardware's (fetcher.msbBits / lsbBits), not the trace's.
 */
import type { ResolvedConfig } from '../../generator/config/load';
import type { Config } from '../../generator/config/schema';
import { type TopDescriptor, type TopResult, runTop } from '../golden/top';
import { memoryTiming } from '../harness/axi-memory';
import { checkPlan } from '../harness/check';
import { Rng } from '../harness/random';
import { type HeadInDram, headInDram } from '../harness/targets/fetcher';
import { topPlan } from '../harness/targets/top';
import type { RequestWork } from '../perf/model';
import type { TraceRow } from './trace';
import { checkTraceFits } from './trace-fit';

/** Rows grouped by decode step, then by layer, in trace order. */
function stepsOf(rows: readonly TraceRow[]): TraceRow[][][] {
  const steps = new Map<number, Map<number, TraceRow[]>>();
  for (const row of rows) {
    const layers = steps.get(row.step) ?? new Map<number, TraceRow[]>();
    layers.set(row.layer, [...(layers.get(row.layer) ?? []), row]);
    steps.set(row.step, layers);
  }
  return [...steps.values()].map((layers) => [...layers.values()]);
}

export function traceDescriptors(
  config: Config,
  rows: readonly TraceRow[],
  head: HeadInDram,
  rng: Rng,
): TopDescriptor[] {
  const dp = config.datapath;
  const f = config.fetcher;
  const heads = config.top.heads;
  const descriptors: TopDescriptor[] = [];
  for (const layers of stepsOf(rows)) {
    layers.forEach((layerRows, l) => {
      const next = layers[l + 1];
      for (let h = 0; h < heads; h += 1) {
        const row = layerRows[Math.min(h, layerRows.length - 1)] as TraceRow;
        const quantized = row.keyBits !== null;
        descriptors.push({
          query: Array.from({ length: config.model.headDim }, () =>
            BigInt.asIntN(dp.queryBits, rng.bits(dp.queryBits)),
          ),
          k: row.valuesKept,
          keyBits: quantized ? f.msbBits : f.msbBits + f.lsbBits,
          lsbBits: quantized ? f.lsbBits : 0,
          threshold: quantized && row.requant ? (1n << BigInt(dp.probBits)) - 1n : 0n,
          keyBase: quantized ? head.bases.msb : head.bases.full,
          lsbBase: head.bases.lsb,
          valueBase: head.bases.full,
          id: descriptors.length % 2 ** config.attentionCore.requestIdBits,
          head: h,
          first: l === 0 && h === 0,
          tokens: layerRows[0]?.keysKept ?? 1,
          boundary: h === heads - 1,
          tokenKeep: next?.[0]?.keysKept ?? row.keysKept,
          headKeep: next?.length ?? heads,
        });
      }
    });
  }
  return descriptors;
}

/** The performance model's work for the requests the top ran (skipped heads and errors do nothing). */
export function executedWork(
  config: Config,
  descriptors: readonly TopDescriptor[],
  results: readonly TopResult[],
  layers: readonly number[],
): RequestWork[] {
  const full = config.fetcher.msbBits + config.fetcher.lsbBits;
  return results.flatMap((r, i) => {
    const d = descriptors[i] as TopDescriptor;
    if (r.skipped || r.error) return [];
    // The layer's boundary (its last head's descriptor) runs the token top-k when it prunes or rescales.
    const boundary = descriptors.slice(i).find((later) => later.boundary);
    const topk =
      boundary !== undefined && (boundary.tokenKeep < r.n || config.top.importanceShift > 0);
    return [
      {
        layer: layers[i] ?? 0,
        keys: r.n,
        keyMsbBits: d.lsbBits === 0 ? full : config.fetcher.msbBits,
        keyLsbBits: r.requant ? config.fetcher.lsbBits : 0,
        values: Math.min(d.k, r.n),
        valueBits: full,
        tokenTopk: topk ? Math.min(boundary.tokenKeep, r.n) : null,
      },
    ];
  });
}

export interface RtlReplay {
  requests: number;
  cycles: number;
  dramBytes: { keyMsb: number; keyLsb: number; value: number; total: number };
  /** Element passes of the value top-ks and the boundary token top-ks (the result counters). */
  topkElementPasses: number;
  work: RequestWork[];
}

/**
 * Runs the rows on spatten_top in Verilator (no stalls, nominal DRAM latency), checked against the
 * golden model. A row that does not fit the design is bad input, named by `file`:line, found
 * before anything runs.
 */
export async function replayRtl(
  resolved: ResolvedConfig,
  file: string,
  rows: readonly TraceRow[],
  seed: number,
): Promise<RtlReplay> {
  const config = resolved.config;
  checkTraceFits(file, rows, config);
  const rng = new Rng(seed);
  const head = headInDram(config, rng);
  const descriptors = traceDescriptors(config, rows, head, rng);
  const layers = stepsOf(rows).flatMap((step) =>
    step.flatMap((layerRows) => new Array<number>(config.top.heads).fill(layerRows[0]?.layer ?? 0)),
  );
  const golden = runTop(config, head.image, descriptors);
  const plan = topPlan(resolved, head, descriptors, memoryTiming(resolved, false));
  plan.maxCycles = 100_000_000;
  const { failures, result } = await checkPlan(resolved, plan, {
    simulator: 'verilator',
    seed,
    stall: 0,
  });
  if (failures.length > 0)
    throw new Error(
      `RTL replay differs from the golden model:\n${failures.slice(0, 10).join('\n')}`,
    );
  const first = result.inputAccepted.req?.[0] ?? 0;
  const last = result.outputs.res?.at(-1)?.cycle ?? first;
  const sum = (pick: (r: TopResult) => number) =>
    golden.results.reduce((total, r) => total + pick(r), 0);
  const dramBytes = {
    keyMsb: sum((r) => r.keyBytes),
    keyLsb: sum((r) => r.lsbBytes),
    value: sum((r) => r.valueBytes),
    total: 0,
  };
  dramBytes.total = dramBytes.keyMsb + dramBytes.keyLsb + dramBytes.value;
  return {
    requests: descriptors.length,
    cycles: last - first + 1,
    dramBytes,
    topkElementPasses: sum((r) => r.topkPasses + r.rankPasses),
    work: executedWork(config, descriptors, golden.results, layers),
  };
}
