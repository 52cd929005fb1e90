/**
 * Wall-clock time of a replay: cycles at the design's configured clock and, given a synthesis
 * report of the same config (`spatten synth top --json`, or `spatten bench timing --json`), at its
 * estimated fmax. Throughput is cycles x period, so a report shows both.
 */
import { readFileSync } from 'node:fs';
import type { ResolvedConfig } from '../config/load';
import { InputError, showValue } from '../errors';

export interface ClockEstimate {
  fmaxEstMHz: number;
  /** Which report and module the figure comes from. */
  source: string;
}

interface TimingReportJson {
  configHash?: string;
  module?: string;
  fmaxEstMHz?: number | null;
  results?: { module?: string; fmaxEstMHz?: number | null }[];
}

/**
 * The estimated fmax in `file`: a synth report's own, or the slowest module's of a bench timing
 * report (the design runs at its slowest module's clock). The report must be of this config.
 */
export function readClockEstimate(file: string, resolved: ResolvedConfig): ClockEstimate {
  let report: TimingReportJson;
  try {
    report = JSON.parse(readFileSync(file, 'utf8')) as TimingReportJson;
  } catch (error) {
    const reason =
      error instanceof SyntaxError
        ? 'not JSON'
        : ((error as NodeJS.ErrnoException).code ?? String(error));
    throw new InputError(`--timing ${showValue(file)}: cannot read a timing report (${reason})`);
  }
  if (report.configHash !== resolved.hash) {
    throw new InputError(
      `--timing ${showValue(file)}: a report of config ${String(report.configHash)}, not ` +
        `${resolved.hash} (synthesize with the same --preset/--config/--set)`,
    );
  }
  const rows = report.results ?? [report];
  const timed = rows.filter(
    (row): row is { module?: string; fmaxEstMHz: number } => typeof row.fmaxEstMHz === 'number',
  );
  if (timed.length === 0) {
    throw new InputError(
      `--timing ${showValue(file)}: no fmaxEstMHz in it (give a synth or bench timing ` +
        'report of target xilinx, ice40 or ecp5)',
    );
  }
  const slowest = timed.reduce((a, b) => (b.fmaxEstMHz < a.fmaxEstMHz ? b : a));
  return { fmaxEstMHz: slowest.fmaxEstMHz, source: `${file} (${slowest.module ?? 'design'})` };
}

export interface WallClock {
  decodeSteps: number;
  clockMHz: number;
  usPerStepAtClock: number;
  fmaxEstMHz: number | null;
  usPerStepAtFmaxEst: number | null;
  fmaxSource: string | null;
}

const microseconds = (cycles: number, mhz: number) => Math.round((cycles / mhz) * 1000) / 1000;

export function wallClock(
  cycles: number,
  decodeSteps: number,
  clockMHz: number,
  estimate: ClockEstimate | undefined,
): WallClock {
  const perStep = cycles / Math.max(1, decodeSteps);
  return {
    decodeSteps,
    clockMHz,
    usPerStepAtClock: microseconds(perStep, clockMHz),
    fmaxEstMHz: estimate?.fmaxEstMHz ?? null,
    usPerStepAtFmaxEst: estimate ? microseconds(perStep, estimate.fmaxEstMHz) : null,
    fmaxSource: estimate?.source ?? null,
  };
}
