/**
 * One point's outcome, stored as `points/<id>.json` (its presence marks the point done for a resumed
 * sweep), and the reports built from all of them: results.jsonl, results.csv and summary.md.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { addToOutputDir } from '../render/write';
import type { GridPoint } from './grid';
import { METRIC_DOCS, type Metric } from './metrics';
import { type ParetoSense, betterWord } from './pareto';

export interface PointResult {
  index: number;
  id: string;
  settings: Record<string, string>;
  /** ok: measured; invalid: the config failed validation; failed: a tool failed on a valid config. */
  status: 'ok' | 'invalid' | 'failed';
  metrics: Partial<Record<Metric, number>>;
  errors: string[];
  seconds: number;
}

export const pointPath = (dir: string, point: GridPoint) => join(dir, 'points', `${point.id}.json`);

export function savePoint(dir: string, result: PointResult): void {
  const content = `${JSON.stringify(result, null, 2)}\n`;
  addToOutputDir(dir, 'sweep', [{ path: join('points', `${result.id}.json`), content }]);
}

export function loadPoint(dir: string, point: GridPoint): PointResult | undefined {
  const path = pointPath(dir, point);
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as PointResult) : undefined;
}

/** Every stored point of `dir` by id (for merging shards run in separate folders). */
export function storedPoints(dir: string): Map<string, PointResult> {
  const folder = join(dir, 'points');
  if (!existsSync(folder)) return new Map();
  return new Map(
    readdirSync(folder)
      .filter((file) => file.endsWith('.json'))
      .map((file) => JSON.parse(readFileSync(join(folder, file), 'utf8')) as PointResult)
      .map((result) => [result.id, result]),
  );
}

const csvCell = (value: unknown) => {
  const text = value === undefined ? '' : String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

export function resultsCsv(
  axes: readonly string[],
  metrics: readonly Metric[],
  results: readonly PointResult[],
): string {
  const header = ['index', 'id', 'status', ...axes, ...metrics, 'seconds', 'errors'];
  const rows = results.map((r) => [
    r.index,
    r.id,
    r.status,
    ...axes.map((a) => r.settings[a]),
    ...metrics.map((m) => r.metrics[m]),
    r.seconds,
    r.errors.join('; '),
  ]);
  return `${[header, ...rows].map((row) => row.map(csvCell).join(',')).join('\n')}\n`;
}

export function resultsJsonl(results: readonly PointResult[]): string {
  return (
    results.map((result) => JSON.stringify(result)).join('\n') + (results.length > 0 ? '\n' : '')
  );
}

export interface SummaryInput {
  title: string;
  axes: readonly string[];
  metrics: readonly Metric[];
  results: readonly PointResult[];
  /** Ids on the Pareto front of the plotted pair. */
  front: ReadonlySet<string>;
  pareto: readonly [Metric, Metric];
  sense: ParetoSense;
  missing: number;
}

export function summaryMarkdown(s: SummaryInput): string {
  const ok = s.results.filter((r) => r.status === 'ok');
  const bad = s.results.filter((r) => r.status !== 'ok');
  const table = [
    `| # | ${s.axes.map((a) => `\`${a}\``).join(' | ')} | ${s.metrics.join(' | ')} | Pareto |`,
    `|---:|${s.axes.map(() => '---:|').join('')}${s.metrics.map(() => '---:|').join('')}:---:|`,
    ...ok.map(
      (r) =>
        `| ${r.index} | ${s.axes.map((a) => r.settings[a]).join(' | ')} | ${s.metrics.map((m) => r.metrics[m] ?? '').join(' | ')} | ${s.front.has(r.id) ? '★' : ''} |`,
    ),
  ];
  return [
    `# ${s.title}`,
    '',
    `${s.results.length} points: ${ok.length} measured, ${bad.filter((r) => r.status === 'invalid').length} invalid configs, ` +
      `${bad.filter((r) => r.status === 'failed').length} tool failures${s.missing > 0 ? `, ${s.missing} not run yet (other shards)` : ''}.`,
    '',
    `Pareto front: ${s.pareto[0]} (${betterWord(s.sense.xHigherIsBetter)}) versus ${s.pareto[1]} ` +
      `(${betterWord(s.sense.yHigherIsBetter)}), marked ★; plot in pareto.svg.`,
    '',
    ...table,
    '',
    ...s.metrics.map((m) => `- ${m}: ${METRIC_DOCS[m]}`),
    ...(bad.length > 0
      ? [
          '',
          '## Points without figures',
          '',
          ...bad.map(
            (r) =>
              `- #${r.index} ${Object.entries(r.settings)
                .map(([k, v]) => `${k}=${v}`)
                .join(' ')}: ${r.status}: ${r.errors.join('; ')}`,
          ),
        ]
      : []),
    '',
  ].join('\n');
}
