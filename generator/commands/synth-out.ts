/**
 * `spatten synth --out DIR`: keeps the report beside a generated design
 * (DIR/synth/<module>.<target>.json) and refreshes the module's docs page so its Resources table
 * shows every target synthesized so far.
 * The folder must hold the design of the same config, so the figures describe the files there.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ResolvedConfig } from '../config/load';
import type { ModuleIR } from '../dsl/ir';
import { InputError } from '../errors';
import { type ResourceReport, renderModuleDoc } from '../render/docs/module-doc';
import { addToOutputDir, checkOutputDir } from '../render/write';

/** Throws unless `dir` holds a design generated from `resolved` (checked before synthesis). */
export function checkDesignDir(dir: string, resolved: ResolvedConfig): void {
  const manifest = join(dir, 'manifest.json');
  if (!existsSync(manifest))
    throw new InputError(
      `--out ${dir}: no manifest.json there (run spatten generate --out ${dir} first)`,
    );
  checkOutputDir(dir, 'design');
  const hash = (JSON.parse(readFileSync(manifest, 'utf8')) as { configHash?: string }).configHash;
  if (hash !== resolved.hash) {
    throw new InputError(
      `--out ${dir}: holds config ${String(hash)}, not ${resolved.hash} ` +
        '(give the same --preset/--config/--set as generate)',
    );
  }
}

/** The module's earlier reports in `dir` (other targets), sorted by file name. */
function earlierReports(dir: string, module: ModuleIR, replaced: string): ResourceReport[] {
  const reportDir = join(dir, 'synth');
  if (!existsSync(reportDir)) return [];
  return readdirSync(reportDir)
    .filter(
      (file) => file.startsWith(`${module.name}.`) && file.endsWith('.json') && file !== replaced,
    )
    .map((file) => JSON.parse(readFileSync(join(reportDir, file), 'utf8')) as ResourceReport);
}

export function saveSynthReport(
  dir: string,
  resolved: ResolvedConfig,
  module: ModuleIR,
  report: ResourceReport,
): void {
  const file = `${module.name}.${report.target}.json`;
  const reports = [...earlierReports(dir, module, file), report].sort((a, b) =>
    a.target < b.target ? -1 : 1,
  );
  addToOutputDir(dir, 'design', [
    { path: join('synth', file), content: `${JSON.stringify(report, null, 2)}\n` },
    ...renderModuleDoc(resolved, module, reports),
  ]);
}
