/**
 * `spatten replay TRACE.csv`: replays a SpAtten workload trace on the performance model (`--mode
 * model`) or on spatten_top in Verilator (`--mode rtl`, checked against the golden model; the first
 * decode step unless --limit says otherwise) and reports cycles, DRAM bytes per plane, the
 * memory/compute lower bound and unit utilization; optionally a per-layer report (Markdown table + SVG
 * charts, dense versus pruned; model mode).
 */
import { basename } from 'node:path';
import { type Command, Option } from 'commander';
import { type PerfResult, runPerfModel } from '../../sim/perf/model';
import { perfParams } from '../../sim/perf/params';
import { denseWork, requestWork } from '../../sim/perf/workload';
import { COMPONENTS, energyShape, measuredActivity, runActivity } from '../../sim/perf/energy';
import { replayRtl } from '../../sim/workloads/rtl-replay';
import { type TraceRow, readTrace } from '../../sim/workloads/trace';
import { checkTraceFits } from '../../sim/workloads/trace-fit';
import { InputError } from '../errors';
import { barChartSvg } from '../render/svg/bar-chart';
import { checkOutputDir, writeOutputDir } from '../render/write';
import {
  type ConfigOptions,
  addConfigOptions,
  configFromOptions,
  parseIntegerFlag,
} from './options';
import { type WallClock, readClockEstimate, wallClock } from './wall-clock';
import { type EnergyReport, energyReport, layerEnergySvg } from './replay-energy';

interface ReplayOptions extends ConfigOptions {
  limit?: string;
  mode: string;
  independent?: boolean;
  json?: boolean;
  report?: string;
  seed?: string;
  timing?: string;
}

function timeLine(time: WallClock): string {
  const atFmax =
    time.usPerStepAtFmaxEst === null
      ? ' (give --timing for the estimated fmax)'
      : `, ${time.usPerStepAtFmaxEst} us at the estimated ${time.fmaxEstMHz} MHz of ${time.fmaxSource}`;
  return (
    `time per decode step (${time.decodeSteps} steps): ${time.usPerStepAtClock} us at ` +
    `design.clockMHz ${time.clockMHz}${atFmax}`
  );
}

/** The rows of the first decode step: the RTL engine's default subset. */
const firstStep = (rows: readonly TraceRow[]) => rows.filter((row) => row.step === rows[0]?.step);

function energyLine(e: EnergyReport): string {
  const parts = COMPONENTS.map((c) => `${c} ${e.nj[c]}`).join(', ');
  return (
    `energy (estimate, docs/energy.md): ${e.nj.total} nJ, ${e.njPerToken} nJ per token, ` +
    `DRAM ${Math.round(e.dramShare * 1000) / 10} %; nJ by component: ${parts}`
  );
}

const ratio = (a: number, b: number) => (b === 0 ? 0 : Math.round((a / b) * 10000) / 10000);

function layerMarkdown(trace: string, pruned: PerfResult, dense: PerfResult): string {
  const lines = [
    `# Per-layer replay of ${trace}`,
    '',
    'Cycles and DRAM bytes per layer, summed over the decode steps; dense = every token at full precision.',
    '',
    '| layer | requests | kept keys | bytes | dense bytes | cycles | dense cycles |',
    '|---:|---:|---:|---:|---:|---:|---:|',
    ...pruned.perLayer.map((row, i) => {
      const d = dense.perLayer[i];
      return `| ${row.layer} | ${row.requests} | ${row.keys} | ${row.bytes} | ${d?.bytes ?? ''} | ${row.cycles} | ${d?.cycles ?? ''} |`;
    }),
  ];
  return `${lines.join('\n')}\n`;
}

export function registerReplay(program: Command): void {
  addConfigOptions(
    program
      .command('replay')
      .argument('<trace>', 'SpAtten trace CSV')
      .description('replay a workload trace: cycles, DRAM bytes, bounds'),
  )
    .option('--limit <n>', 'replay only the first N requests')
    .addOption(
      new Option(
        '--mode <engine>',
        'engine: model (TypeScript performance model) or rtl (spatten_top in Verilator)',
      )
        .choices(['model', 'rtl'])
        .default('model'),
    )
    .option('--seed <n>', 'random data seed of the RTL engine', '1')
    .option(
      '--independent',
      'ignore the layer dependency (requests independent, as the release reports)',
    )
    .option('--report <dir>', 'write a per-layer table and SVG charts (dense versus pruned) to DIR')
    .option(
      '--timing <file>',
      'a synth or bench timing JSON report of this config: also give time at its estimated fmax',
    )
    .option('--json', 'print one JSON document on stdout')
    .action(async (file: string, options: ReplayOptions) => {
      const resolved = configFromOptions(options);
      const limit =
        options.limit === undefined
          ? undefined
          : parseIntegerFlag('--limit', options.limit, 1, 10_000_000);
      const seed = parseIntegerFlag('--seed', options.seed ?? '1', 0, 2 ** 31 - 1);
      const rtl = options.mode === 'rtl';
      if (rtl && options.independent)
        throw new InputError(
          '--independent: the RTL engine always honours the layer dependency (use --mode model)',
        );
      if (rtl && options.report)
        throw new InputError(
          '--report: per-layer reports come from the model engine (use --mode model)',
        );
      if (options.report) checkOutputDir(options.report, 'replay-report', '--report');
      const clockEstimate =
        options.timing === undefined ? undefined : readClockEstimate(options.timing, resolved);
      const trace = readTrace(file);
      const rows = limit === undefined && rtl ? firstStep(trace.rows) : trace.rows.slice(0, limit);
      checkTraceFits(file, rows, resolved.config);
      const params = perfParams(resolved.config);
      const layerBarrier = !options.independent;
      const measured = rtl ? await replayRtl(resolved, file, rows, seed) : undefined;
      // Lower bound and unit work come from the model of the requests the engine ran.
      const work = measured
        ? measured.work
        : rows.map((row) => requestWork(row, params.fullPrecisionBits));
      const result = runPerfModel(work, params, { layerBarrier });
      const cycles = measured ? measured.cycles : result.cycles;
      const dramBytes = measured ? measured.dramBytes : result.dramBytes;
      const requests = measured ? measured.requests : rows.length;
      const shape = energyShape(resolved.config);
      const technology = resolved.config.technology;
      const decodeSteps = new Set(rows.map((row) => row.step)).size;
      // The RTL's events: its executed requests, with the bytes and top-k passes it counted.
      const { keyMsb, keyLsb, value } = dramBytes;
      const events = measured
        ? measuredActivity(work, shape, cycles, {
            dramBytes: { keyMsb, keyLsb, value },
            topkElementPasses: measured.topkElementPasses,
          })
        : { ...runActivity(work, shape, cycles), dramBytes: { keyMsb, keyLsb, value } };
      const lowerBoundCycles = Math.max(
        Math.ceil(dramBytes.total / params.peakBytesPerCycle),
        result.lowerBoundCycles,
      );
      const report = {
        trace: basename(file),
        preset: resolved.preset,
        mode: options.mode,
        layerDependency: layerBarrier,
        requests,
        cycles,
        lowerBoundCycles,
        boundRatio: ratio(cycles, lowerBoundCycles),
        time: wallClock(cycles, decodeSteps, resolved.config.design.clockMHz, clockEstimate),
        dramBytes,
        bytesPerRequest: ratio(dramBytes.total, requests),
        utilization: {
          dram: ratio(dramBytes.total / params.peakBytesPerCycle, cycles),
          qk: ratio(result.busy.qk, cycles),
          pv: ratio(result.busy.pv, cycles),
          topk: ratio(result.busy.topk, cycles),
        },
        energy: energyReport({ events, requests, tokens: decodeSteps }, shape, technology),
      };
      if (options.report) {
        const denseRequests = rows.map((row) => denseWork(row, params.fullPrecisionBits));
        const dense = runPerfModel(denseRequests, params, { layerBarrier });
        const categories = result.perLayer.map((row) => String(row.layer));
        const chart = (title: string, yLabel: string, pick: (r: PerfResult) => number[]) =>
          barChartSvg({
            title,
            yLabel,
            categories,
            series: [
              { name: 'dense', color: '#9aa5b1', values: pick(dense) },
              { name: 'pruned (trace)', color: '#d1495b', values: pick(result) },
            ],
          });
        writeOutputDir(
          options.report,
          'replay-report',
          [
            { path: 'layers.md', content: layerMarkdown(report.trace, result, dense) },
            {
              path: 'layers-cycles.svg',
              content: chart(`Cycles per layer: ${report.trace}`, 'cycles', (r) =>
                r.perLayer.map((l) => l.cycles),
              ),
            },
            {
              path: 'layers-bytes.svg',
              content: chart(`DRAM bytes per layer: ${report.trace}`, 'bytes', (r) =>
                r.perLayer.map((l) => l.bytes),
              ),
            },
            {
              path: 'layers-energy.svg',
              content: layerEnergySvg(
                report.trace,
                {
                  dense: { work: denseRequests, result: dense },
                  pruned: { work, result },
                },
                shape,
                technology,
              ),
            },
            { path: 'replay.json', content: `${JSON.stringify(report, null, 2)}\n` },
          ],
          '--report',
        );
      }
      if (options.json) {
        process.stdout.write(`${JSON.stringify(report)}\n`);
        return;
      }
      process.stdout.write(
        [
          `${report.trace} on preset ${report.preset} (${report.mode}${layerBarrier ? ', layer dependency honoured' : ', independent requests'})`,
          `requests ${report.requests}, cycles ${report.cycles}, lower bound ${report.lowerBoundCycles} (ratio ${report.boundRatio})`,
          timeLine(report.time),
          `DRAM bytes: key MSB ${report.dramBytes.keyMsb}, key LSB ${report.dramBytes.keyLsb}, value ${report.dramBytes.value}, total ${report.dramBytes.total} (${report.bytesPerRequest} per request)`,
          `utilization: dram ${report.utilization.dram}, qk ${report.utilization.qk}, pv ${report.utilization.pv}, topk ${report.utilization.topk}`,
          energyLine(report.energy),
          ...(options.report ? [`report written to ${options.report}`] : []),
          '',
        ].join('\n'),
      );
    });
}
