/**
 * `spatten bench replay`: the two engines of `spatten replay` on the same requests. For each trace in
 * the shared workloads folder, a subset of decode steps (the first, the sixth and the last, when the
 * trace has them: dense, early and most pruned) runs on spatten_top in Verilator (checked against the golden model), and the performance model
 * runs the requests the RTL executed (kept counts, refetches, skipped heads as the hardware decided).
 * modelToRtl = model cycles / RTL cycles; the model is the architectural contract, so 1.0 is the aim.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runPerfModel } from '../sim/perf/model';
import { perfParams } from '../sim/perf/params';
import { replayRtl } from '../sim/workloads/rtl-replay';
import { type TraceRow, readTrace } from '../sim/workloads/trace';
import type { Benchmark } from './index';

const WORKLOADS_DIR = '../shared/workloads';

/** Rows of the decode steps at the given positions among the trace's steps (negative: from the end). */
function stepsAt(rows: readonly TraceRow[], positions: readonly number[]): TraceRow[] {
  const steps = [...new Set(rows.map((row) => row.step))];
  const chosen = new Set(positions.flatMap((p) => {
    const step = steps.at(p);
    return step === undefined ? [] : [step];
  }));
  return rows.filter((row) => chosen.has(row.step));
}

export const replayBenchmark: Benchmark = {
  description: 'RTL (spatten_top in Verilator) versus the performance model on the same trace requests',
  async run({ resolved, seed, log }) {
    const params = perfParams(resolved.config);
    const results: Record<string, unknown>[] = [];
    const traces = readdirSync(WORKLOADS_DIR).filter((name) => name.endsWith('.csv')).sort();
    for (const name of traces) {
      const rows = stepsAt(readTrace(join(WORKLOADS_DIR, name)).rows, [0, 5, -1]);
      log(`replay bench: ${name}, ${rows.length} trace rows in RTL`);
      const rtl = await replayRtl(resolved, rows, seed);
      const model = runPerfModel(rtl.work, params, { layerBarrier: true });
      results.push({
        trace: name,
        rows: rows.length,
        requests: rtl.requests,
        executed: rtl.work.length,
        rtlCycles: rtl.cycles,
        modelCycles: model.cycles,
        modelToRtl: model.cycles / rtl.cycles,
        rtlBytes: rtl.dramBytes.total,
        modelBytes: model.dramBytes.total,
      });
    }
    return { module: 'replay', preset: resolved.preset, results };
  },
};
