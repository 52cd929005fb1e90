/**
 * `spatten bench replay`: the two engines of `spatten replay` on the same requests. The traces are
 * a gpt2-decode workload generated for the preset's design and, when SPATTEN_WORKLOADS names the
 * folder of the SpAtten release's traces, each of its traces that fits the design (the others are
 * listed with the reason). For each trace a subset of decode steps (the first, the sixth and the
 * last, when the trace has them: early and most pruned) runs on spatten_top in Verilator (checked
 * against the golden model), and the performance model runs the requests the RTL executed (kept
 * counts, refetches, skipped heads as the hardware decided). modelToRtl = model cycles / RTL
 * cycles; the model is the architectural contract, so 1.0 is the aim.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runPerfModel } from '../sim/perf/model';
import { perfParams } from '../sim/perf/params';
import { decodeWorkloadFor } from '../sim/workloads/decode-workload';
import { WORKLOADS_ENV, externalWorkloadsDir } from '../sim/workloads/external';
import { replayRtl } from '../sim/workloads/rtl-replay';
import { type Trace, type TraceRow, readTrace } from '../sim/workloads/trace';
import { traceFitProblems } from '../sim/workloads/trace-fit';
import type { Benchmark } from './index';

/**
 * Rows of the decode steps at the given positions among the trace's steps (negative: from the end).
 */
function stepsAt(rows: readonly TraceRow[], positions: readonly number[]): TraceRow[] {
  const steps = [...new Set(rows.map((row) => row.step))];
  const chosen = new Set(
    positions.flatMap((p) => {
      const step = steps.at(p);
      return step === undefined ? [] : [step];
    }),
  );
  return rows.filter((row) => chosen.has(row.step));
}

/** The release's traces named by SPATTEN_WORKLOADS (none when it is unset). */
function externalTraces(log: (line: string) => void): { name: string; trace: Trace }[] {
  const dir = externalWorkloadsDir();
  if (dir === undefined) {
    log(`replay bench: ${WORKLOADS_ENV} is not set, so only the generated workload runs`);
    return [];
  }
  const names = readdirSync(dir)
    .filter((name) => name.endsWith('.csv'))
    .sort();
  return names.map((name) => ({ name, trace: readTrace(join(dir, name)) }));
}

export const replayBenchmark: Benchmark = {
  description:
    'RTL (spatten_top in Verilator) versus the performance model on the same trace requests',
  async run({ resolved, seed, log }) {
    const config = resolved.config;
    const params = perfParams(config);
    const results: Record<string, unknown>[] = [];
    const skipped: { trace: string; reason: string }[] = [];
    const generated = {
      name: `gpt2-decode (generated, seed ${seed})`,
      trace: decodeWorkloadFor(config, seed),
    };
    for (const { name, trace } of [generated, ...externalTraces(log)]) {
      const rows = stepsAt(trace.rows, [0, 5, -1]);
      const misfits = traceFitProblems(trace.file, rows, config);
      if (misfits.length > 0) {
        const reason = misfits.join('; ');
        log(`replay bench: ${name} skipped, it does not fit preset ${resolved.preset}: ${reason}`);
        skipped.push({ trace: name, reason });
        continue;
      }
      log(`replay bench: ${name}, ${rows.length} trace rows in RTL`);
      const rtl = await replayRtl(resolved, trace.file, rows, seed);
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
    return { module: 'replay', preset: resolved.preset, results, skipped };
  },
};
