/**
 * What a sweep measures at each point. Area figures come from `spatten synth` (run as a child process,
 * so `--jobs` points synthesize in parallel: the WebAssembly Yosys runs on its process's one thread),
 * summed over the synthesized modules (logic depth: the deepest). Cycle figures come from the
 * transaction-level performance model (sim/perf, the architectural contract the RTL is built to)
 * replaying a workload trace: fast enough for every point of a large grid.
 */
import { fileURLToPath } from 'node:url';
import type { ResolvedConfig } from '../config/load';
import { perfParams } from '../../sim/perf/params';
import { runPerfModel } from '../../sim/perf/model';
import { requestWork } from '../../sim/perf/workload';
import { energyOf, energyShape, runActivity, totalEnergy } from '../../sim/perf/energy';
import type { Trace, TraceRow } from '../../sim/workloads/trace';
import { traceFitProblems } from '../../sim/workloads/trace-fit';
import { InputError, showValue } from '../errors';
import { runTool } from '../flows/tools';
import type { SynthTarget } from '../flows/yosys';

export const SYNTH_METRICS = [
  'cells',
  'luts',
  'ffs',
  'brams',
  'dsps',
  'lutLevels',
  'logicDepth',
  'fmaxEstMHz',
  'gateEquivalents',
  'memoryBits',
] as const;
export const MODEL_METRICS = [
  'cycles',
  'dramBytes',
  'usPerRequest',
  'cyclesPerToken',
  'energyPerTokenNj',
] as const;
/** Figures that need both a synthesis and the model: wall clock at the point's own clock estimate. */
export const COMBINED_METRICS = ['usPerRequestAtFmaxEst', 'tokensPerSecAtFmaxEst'] as const;
export const METRICS = [...SYNTH_METRICS, ...MODEL_METRICS, ...COMBINED_METRICS] as const;
/** Metrics where more is better: a Pareto axis over one of them maximizes it. */
export const HIGHER_IS_BETTER: readonly Metric[] = ['fmaxEstMHz', 'tokensPerSecAtFmaxEst'];
export type Metric = (typeof METRICS)[number];

export const METRIC_DOCS: Record<Metric, string> = {
  cells: 'synthesized cells',
  luts: 'LUTs',
  ffs: 'flip-flop bits',
  brams: 'block RAMs',
  dsps: 'DSP blocks',
  lutLevels: 'most LUT levels between registers',
  logicDepth: 'deepest combinational cell chain',
  fmaxEstMHz: 'estimated fmax of the slowest module (synthesis delay model, no placement)',
  gateEquivalents: 'logic and flip-flop area in NAND2 gate equivalents (--target gates; estimate)',
  memoryBits: 'bits of the memories (--target gates counts them apart from the logic)',
  cycles: 'mean cycles per request (performance model over the trace)',
  dramBytes: 'mean DRAM bytes per request (performance model over the trace)',
  usPerRequest: 'mean microseconds per request at design.clockMHz (model cycles / clock)',
  cyclesPerToken:
    'cycles per generated token: the model over the whole decode steps of the trace, each ' +
    "layer's requests after the previous layer's (one sequence decoding), divided by the steps",
  energyPerTokenNj:
    'estimated energy per generated token, nJ (the whole decode steps of cyclesPerToken; ' +
    'technology section, docs/energy.md)',
  usPerRequestAtFmaxEst:
    'mean microseconds per request at the estimated fmax of the synthesized modules',
  tokensPerSecAtFmaxEst:
    'decode tokens per second at the estimated fmax of the synthesized modules (cyclesPerToken)',
};

export function parseMetrics(text: string): Metric[] {
  const names = text.split(',').map((name) => name.trim());
  const unknown = names.filter((name) => !(METRICS as readonly string[]).includes(name));
  if (unknown.length > 0 || names.length === 0) {
    throw new InputError(
      `--metrics ${showValue(text)}: unknown metric ${unknown.join(', ')} ` +
        `(allowed: ${METRICS.join(', ')})`,
    );
  }
  return [...new Set(names)] as Metric[];
}

const needsAny = (metrics: readonly Metric[], kinds: readonly string[]) =>
  metrics.some((m) => kinds.includes(m) || (COMBINED_METRICS as readonly string[]).includes(m));
export const needsSynth = (metrics: readonly Metric[]) => needsAny(metrics, SYNTH_METRICS);
export const needsModel = (metrics: readonly Metric[]) => needsAny(metrics, MODEL_METRICS);

/** Wall clock at the synthesized design's estimated fmax, for the figures that are there. */
export function combinedMetrics(figures: Record<string, number>): Record<string, number> {
  const { cycles, cyclesPerToken, fmaxEstMHz } = figures;
  if (fmaxEstMHz === undefined || fmaxEstMHz <= 0) return {};
  return {
    ...(cycles === undefined
      ? {}
      : { usPerRequestAtFmaxEst: Math.round((cycles / fmaxEstMHz) * 1000) / 1000 }),
    ...(cyclesPerToken === undefined
      ? {}
      : { tokensPerSecAtFmaxEst: Math.round((fmaxEstMHz * 1e6) / cyclesPerToken) }),
  };
}

const CLI = fileURLToPath(new URL('../../bin/spatten.mjs', import.meta.url));

/** A child `spatten` run failed: exit 2 means the point's config is bad, anything else a tool failure. */
export class PointFailure extends Error {
  constructor(
    message: string,
    readonly invalid: boolean,
  ) {
    super(message);
  }
}

export interface SynthRequestArgs {
  /** `--preset/--config/--set` flags that reproduce the point's config. */
  configArgs: string[];
  modules: readonly string[];
  target: SynthTarget;
  yosys: string;
}

/** Areas add up over modules; depths are the deepest module's, fmax the slowest module's. */
function combine(
  metric: (typeof SYNTH_METRICS)[number],
  total: number | undefined,
  value: number,
): number {
  if (total === undefined) return value;
  if (metric === 'fmaxEstMHz') return Math.min(total, value);
  if (metric === 'lutLevels' || metric === 'logicDepth') return Math.max(total, value);
  return total + value;
}

export async function synthMetrics(request: SynthRequestArgs): Promise<Record<string, number>> {
  const totals: Record<string, number> = {};
  for (const module of request.modules) {
    const args = [
      CLI,
      'synth',
      module,
      ...request.configArgs,
      '--target',
      request.target,
      '--yosys',
      request.yosys,
      '--json',
    ];
    const run = await runTool('nice', ['node', ...args]);
    if (!run.ok) {
      const tail = run.output.trim().split('\n').slice(-6).join('\n');
      throw new PointFailure(`synth ${module} exited ${run.exitCode}: ${tail}`, run.exitCode === 2);
    }
    const report = JSON.parse(run.stdout) as Record<string, number | null>;
    for (const metric of SYNTH_METRICS) {
      const value = report[metric];
      // The generic target has no delay model: its fmax estimate is null and stays out of the point.
      if (typeof value === 'number') totals[metric] = combine(metric, totals[metric], value);
    }
  }
  return totals;
}

/**
 * The first `limit` rows of a trace without the decode step the limit cuts: a part of a step is
 * not a token. Traces list their rows step by step.
 */
export function wholeStepRows(rows: readonly TraceRow[], limit: number): TraceRow[] {
  const cut = rows[limit];
  const replayed = rows.slice(0, limit);
  return cut === undefined ? replayed : replayed.filter((row) => row.step !== cut.step);
}

/**
 * Per-request figures treat requests as independent (no layer barrier), as in the SpAtten
 * release's throughput figures; the per-token figure decodes one sequence, layer after layer.
 */
export function modelMetrics(
  resolved: ResolvedConfig,
  trace: Trace,
  limit: number,
): Record<string, number> {
  const rows = trace.rows.slice(0, limit);
  // A trace the point's design cannot hold makes the point invalid, like a refused config.
  const misfits = traceFitProblems(trace.file, rows, resolved.config);
  if (misfits.length > 0) throw new PointFailure(misfits.join('; '), true);
  const params = perfParams(resolved.config);
  const workOf = (list: readonly TraceRow[]) =>
    list.map((row) => requestWork(row, params.fullPrecisionBits));
  const work = workOf(rows);
  const result = runPerfModel(work, params, { layerBarrier: false });
  const requests = Math.max(1, work.length);
  const cycles = result.cycles / requests;
  const steps = wholeStepRows(trace.rows, limit);
  const tokens = new Set(steps.map((row) => row.step)).size;
  const stepWork = workOf(steps);
  const decode = runPerfModel(stepWork, params, { layerBarrier: true });
  const shape = energyShape(resolved.config);
  const energy = energyOf(
    runActivity(stepWork, shape, decode.cycles),
    shape,
    resolved.config.technology,
  );
  return {
    cycles: Math.round(cycles * 100) / 100,
    dramBytes: Math.round(result.dramBytes.total / requests),
    usPerRequest: Math.round((cycles / resolved.config.design.clockMHz) * 1000) / 1000,
    // No whole step in the replayed rows (a --trace-limit under one step): no per-token figure.
    ...(tokens > 0
      ? {
          cyclesPerToken: Math.round((decode.cycles / tokens) * 10) / 10,
          energyPerTokenNj: Math.round(totalEnergy(energy) / tokens) / 1000,
        }
      : {}),
  };
}
