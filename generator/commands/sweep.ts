/**
 * `spatten sweep`: design-space exploration. Every point of a `--grid` runs generate + synth + the
 * performance model with bounded parallelism; each finished point is stored (points/<id>.json), so an
 * interrupted sweep resumes where it stopped, shards (`--shard i/n`) split a grid across machines and
 * `--merge` builds the reports from all stored points: results.csv, results.jsonl, summary.md, pareto.svg.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Command } from 'commander';
import { type ResolvedConfig, resolveConfig } from '../config/load';
import type { Config } from '../config/schema';
import { CheckFailure, InputError, clip, showValue } from '../errors';
import { SYNTH_TARGETS, type SynthTarget } from '../flows/yosys';
import { designModules } from '../modules';
import { renderDesign } from '../render/design';
import { addToOutputDir, checkOutputDir, writeOutputDir } from '../render/write';
import { decodeWorkloadFor } from '../../sim/workloads/decode-workload';
import { readTrace, type Trace } from '../../sim/workloads/trace';
import {
  type Axis,
  type GridPoint,
  checkAxes,
  expandGrid,
  gridValue,
  parseAxis,
  parseShard,
  pointAssignments,
  shardPoints,
} from '../sweep/grid';
import {
  HIGHER_IS_BETTER,
  type Metric,
  METRICS,
  PointFailure,
  combinedMetrics,
  modelMetrics,
  needsModel,
  needsSynth,
  parseMetrics,
  synthMetrics,
} from '../sweep/metrics';
import { betterWord, paretoFront, paretoSvg } from '../sweep/pareto';
import {
  type PointResult,
  loadPoint,
  resultsCsv,
  resultsJsonl,
  savePoint,
  storedPoints,
  summaryMarkdown,
} from '../sweep/results';
import {
  type ConfigOptions,
  addConfigOptions,
  configFromOptions,
  parseIntegerFlag,
} from './options';
import { parseTarget, synthesizableNames } from './synth';

/** Everything that defines a sweep; stored as sweep.json so --merge and resumed runs agree on it. */
interface SweepPlan {
  base: { preset?: string; config?: string; sets: string[] };
  axes: Axis[];
  metrics: Metric[];
  pareto: [Metric, Metric];
  modules: string[];
  target: SynthTarget;
  yosys: string;
  /** null: each point replays a gpt2-decode workload generated for its own design. */
  trace: string | null;
  traceLimit: number;
  points: GridPoint[];
}

interface SweepOptions extends ConfigOptions {
  grid?: string[];
  metrics: string;
  modules?: string;
  target: string;
  yosys: string;
  trace?: string;
  traceLimit: string;
  jobs: string;
  out: string;
  shard?: string;
  merge?: string[] | boolean;
  pareto: string;
}

function planFromOptions(options: SweepOptions, base: ResolvedConfig): SweepPlan {
  const axes = (options.grid ?? []).map((text) => parseAxis(text, base.config));
  checkAxes(axes);
  const metrics = parseMetrics(options.metrics);
  const pareto = parseMetrics(options.pareto);
  if (pareto.length !== 2 || pareto.some((m) => !metrics.includes(m))) {
    throw new InputError(
      `--pareto ${showValue(options.pareto)}: give two metrics of --metrics ` +
        `(${metrics.join(', ')})`,
    );
  }
  const known = synthesizableNames(base);
  const modules =
    options.modules === undefined ? ['top'] : options.modules.split(',').map((m) => m.trim());
  const unknown = modules.filter((m) => !known.includes(m));
  if (unknown.length > 0) {
    const names = unknown.map((m) => clip(m)).join(', ');
    throw new InputError(`--modules: unknown module ${names} (allowed: ${known.join(', ')})`);
  }
  const target = parseTarget(options.target);
  const traceLimit = parseIntegerFlag('--trace-limit', options.traceLimit, 1, 10_000_000);
  const partial = {
    base: {
      ...(options.preset ? { preset: options.preset } : {}),
      ...(options.config ? { config: options.config } : {}),
      sets: options.set ?? [],
    },
    axes,
    metrics,
    pareto: pareto as [Metric, Metric],
    modules,
    target,
    yosys: options.yosys,
    trace: options.trace ?? null,
    traceLimit,
  };
  // A point's id covers every input its figures depend on, so a changed sweep never reuses stale points.
  const context = JSON.stringify({ ...partial, axes: undefined, pareto: undefined });
  return { ...partial, points: expandGrid(axes, context) };
}

function configArgs(plan: SweepPlan, point: GridPoint): string[] {
  return [
    ...(plan.base.preset ? ['--preset', plan.base.preset] : []),
    ...(plan.base.config ? ['--config', plan.base.config] : []),
    ...pointSets(plan, point).flatMap((set) => ['--set', set]),
  ];
}

const pointSets = (plan: SweepPlan, point: GridPoint) => [
  ...plan.base.sets,
  ...pointAssignments(plan.axes, point),
];

async function runPoint(
  plan: SweepPlan,
  point: GridPoint,
  out: string,
  trace: (config: Config) => Trace,
): Promise<PointResult> {
  const started = Date.now();
  const result = (
    status: PointResult['status'],
    metrics: PointResult['metrics'],
    errors: string[],
  ): PointResult => ({
    index: point.index,
    id: point.id,
    settings: point.settings,
    status,
    metrics,
    errors,
    seconds: Math.round((Date.now() - started) / 100) / 10,
  });
  let resolved: ResolvedConfig;
  try {
    resolved = resolveConfig({
      preset: plan.base.preset,
      configFile: plan.base.config,
      sets: pointSets(plan, point),
    });
  } catch (error) {
    if (error instanceof InputError) return result('invalid', {}, [...error.problems]);
    throw error;
  }
  try {
    const design = renderDesign(designModules(resolved.config), resolved);
    writeOutputDir(join(out, 'rtl', point.id), 'design', design);
    const figures: Record<string, number> = {
      ...(needsModel(plan.metrics)
        ? modelMetrics(resolved, trace(resolved.config), plan.traceLimit)
        : {}),
      ...(needsSynth(plan.metrics)
        ? await synthMetrics({
            configArgs: configArgs(plan, point),
            modules: plan.modules,
            target: plan.target,
            yosys: plan.yosys,
          })
        : {}),
    };
    const metrics = { ...figures, ...combinedMetrics(figures) };
    return result('ok', Object.fromEntries(plan.metrics.map((m) => [m, metrics[m]])), []);
  } catch (error) {
    if (error instanceof PointFailure)
      return result(error.invalid ? 'invalid' : 'failed', {}, [error.message]);
    return result('failed', {}, [error instanceof Error ? error.message : String(error)]);
  }
}

/** Runs `work` over `items` with at most `jobs` at once. */
async function pool<T>(
  items: readonly T[],
  jobs: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, items.length) }, worker));
}

function progress(total: number): (result: PointResult) => void {
  let done = 0;
  let failed = 0;
  const tty = process.stderr.isTTY === true;
  return (result) => {
    done += 1;
    if (result.status !== 'ok') failed += 1;
    const settings = Object.entries(result.settings)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ');
    if (tty) {
      const width = 30;
      const filled = Math.round((done / total) * width);
      process.stderr.write(
        `\r[${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${done}/${total} points, ${failed} without figures`,
      );
      if (done === total) process.stderr.write('\n');
    } else {
      const figures = Object.entries(result.metrics)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ');
      process.stderr.write(
        `point ${done}/${total} #${result.index} ${settings}: ${result.status} ${figures || result.errors.join('; ')} (${result.seconds} s)\n`,
      );
    }
  };
}

function writeReports(out: string, plan: SweepPlan): { results: PointResult[]; missing: number } {
  const results = plan.points
    .map((point) => loadPoint(out, point))
    .filter((r): r is PointResult => r !== undefined);
  const axes = plan.axes.map((axis) => axis.path);
  const [px, py] = plan.pareto;
  const sense = {
    xHigherIsBetter: HIGHER_IS_BETTER.includes(px),
    yHigherIsBetter: HIGHER_IS_BETTER.includes(py),
  };
  const [first, ...rest] = plan.axes;
  const plotted = results
    .filter((r) => r.status === 'ok' && r.metrics[px] !== undefined && r.metrics[py] !== undefined)
    .map((r) => ({
      id: r.id,
      label: `#${r.index} ${Object.entries(r.settings)
        .map(([k, v]) => `${k}=${gridValue(v)}`)
        .join(' ')}`,
      x: r.metrics[px] as number,
      y: r.metrics[py] as number,
      // Joined along the first axis: one line per setting of the other axes.
      ...(first === undefined
        ? {}
        : {
            series: {
              name:
                rest.map((a) => `${a.path}=${gridValue(r.settings[a.path] as string)}`).join(' ') ||
                first.path,
              order: first.values.indexOf(r.settings[first.path] as string),
            },
          }),
    }));
  const front = paretoFront(plotted, sense);
  const title = `spatten sweep over ${axes.join(' × ')}`;
  const missing = plan.points.length - results.length;
  addToOutputDir(out, 'sweep', [
    { path: 'results.csv', content: resultsCsv(axes, plan.metrics, results) },
    { path: 'results.jsonl', content: resultsJsonl(results) },
    {
      path: 'summary.md',
      content: summaryMarkdown({
        title,
        axes,
        metrics: plan.metrics,
        results,
        front,
        pareto: plan.pareto,
        sense,
        missing,
      }),
    },
    {
      path: 'pareto.svg',
      content: paretoSvg(
        title,
        // The metric names only: their documentation is in summary.md (a rotated y label of a
        // whole sentence does not fit the plot).
        `${px} (${betterWord(sense.xHigherIsBetter)})`,
        `${py} (${betterWord(sense.yHigherIsBetter)})`,
        plotted,
        front,
      ),
    },
  ]);
  return { results, missing };
}

function readPlan(out: string): SweepPlan {
  checkOutputDir(out, 'sweep');
  const path = join(out, 'sweep.json');
  if (!existsSync(path))
    throw new InputError(
      `--merge: ${out} holds no sweep.json (run the sweep, or one shard of it, with --out ${out} first)`,
    );
  return JSON.parse(readFileSync(path, 'utf8')) as SweepPlan;
}

/** Copies the points of other shard folders into `out` (points already there are kept). */
function mergeFolders(out: string, folders: readonly string[], plan: SweepPlan): void {
  const wanted = new Set(plan.points.map((point) => point.id));
  for (const folder of folders) {
    if (!existsSync(folder)) throw new InputError(`--merge ${folder}: no such folder`);
    const copies = [...storedPoints(folder).keys()]
      .map((id) => join('points', `${id}.json`))
      .filter((path) => wanted.has(basename(path, '.json')) && !existsSync(join(out, path)))
      .map((path) => ({ path, content: readFileSync(join(folder, path)) }));
    addToOutputDir(out, 'sweep', copies);
  }
}

export function registerSweep(program: Command): void {
  const collect = (value: string, previous: string[] = []) => [...previous, value];
  addConfigOptions(
    program
      .command('sweep')
      .description(
        'design-space exploration: generate + synth + performance model over a parameter grid',
      ),
  )
    .option('--grid <key.path=v1,v2>', 'one axis of the grid (repeatable)', collect)
    .option(
      '--metrics <list>',
      `figures per point (${METRICS.join(', ')})`,
      'luts,ffs,brams,dsps,cycles',
    )
    .option('--pareto <x,y>', 'the two metrics of pareto.svg (lower is better)', 'luts,cycles')
    .option('--modules <stems>', 'modules synthesized and summed per point (default: top)')
    .option('--target <family>', `synthesis target (${SYNTH_TARGETS.join(', ')})`, 'generic')
    .option('--yosys <tool>', 'Yosys for synthesis (wasm, system)', 'wasm')
    .option(
      '--trace <file>',
      'workload trace for the cycle figures (default: a gpt2-decode ' +
        "workload generated for each point's design)",
    )
    .option('--trace-limit <n>', 'trace rows replayed per point', '1000')
    .option('--jobs <n>', 'points run at once', '1')
    .option('--out <dir>', 'sweep folder (resumable: finished points are skipped)', 'sweep-out')
    .option(
      '--shard <i/n>',
      'run only shard i of n (round robin), e.g. one Slurm array task; merge with --merge',
    )
    .option(
      '--merge [dirs...]',
      'run nothing: copy finished points from other shard folders into --out and write the reports',
    )
    .action(async (options: SweepOptions) => {
      const out = options.out;
      if (options.merge !== undefined) {
        const plan = readPlan(out);
        mergeFolders(out, Array.isArray(options.merge) ? options.merge : [], plan);
        const { results, missing } = writeReports(out, plan);
        process.stderr.write(
          `merged ${results.length} of ${plan.points.length} points into ${out}${missing > 0 ? ` (${missing} missing)` : ''}\n`,
        );
        return;
      }
      const base = configFromOptions(options);
      const plan = planFromOptions(options, base);
      const jobs = parseIntegerFlag('--jobs', options.jobs, 1, 64);
      const selected = options.shard
        ? shardPoints(plan.points, parseShard(options.shard))
        : plan.points;
      checkOutputDir(out, 'sweep');
      // A bad trace is bad input before any point runs.
      const file = plan.trace;
      const given = file !== null && needsModel(plan.metrics) ? readTrace(file) : undefined;
      const traceFor = (config: Config): Trace => given ?? decodeWorkloadFor(config);
      const planFile = {
        path: 'sweep.json',
        content: `${JSON.stringify(plan, null, 2)}
`,
      };
      addToOutputDir(out, 'sweep', [planFile]);
      const todo = selected.filter((point) => loadPoint(out, point) === undefined);
      process.stderr.write(
        `sweep: ${plan.points.length} points, ${selected.length} in this run, ${selected.length - todo.length} already done, ${jobs} at once, into ${out}\n`,
      );
      const report = progress(todo.length);
      await pool(todo, jobs, async (point) => {
        const result = await runPoint(plan, point, out, traceFor);
        savePoint(out, result);
        report(result);
      });
      const { results, missing } = writeReports(out, plan);
      const failed = results.filter((r) => r.status === 'failed');
      process.stderr.write(
        `sweep: wrote results.csv, results.jsonl, summary.md, pareto.svg to ${out}` +
          ` (${results.filter((r) => r.status === 'ok').length} measured, ${results.filter((r) => r.status === 'invalid').length} invalid, ${failed.length} failed${missing > 0 ? `, ${missing} left to other shards` : ''})\n`,
      );
      if (failed.length > 0)
        throw new CheckFailure(
          `${failed.length} sweep point(s) failed: see ${join(out, 'summary.md')}`,
        );
    });
}
