/**
 * `spatten synth --out DIR`: keeps the report beside a generated design (DIR/synth/<module>.<target>.json)
 * and refreshes the module's docs page so its Resources table shows every target synthesized so far.
 * The folder must hold the design of the same config, so the figures describe the files there.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ResolvedConfig } from '../config/load';
import type { ModuleIR } from '../dsl/ir';
import { InputError } from '../errors';
import { type ResourceReport, renderModuleDoc } from '../render/docs/module-doc';

/** Throws unless `dir` holds a design generated from `resolved` (checked before any synthesis runs). */
export function checkDesignDir(dir: string, resolved: ResolvedConfig): void {
  const manifest = join(dir, 'manifest.json');
  if (!existsSync(manifest)) throw new InputError(`--out ${dir}: no manifest.json there (run spatten generate --out ${dir} first)`);
  const hash = (JSON.parse(readFileSync(manifest, 'utf8')) as { configHash?: string }).configHash;
  if (hash !== resolved.hash) {
    throw new InputError(`--out ${dir}: holds config ${String(hash)}, not ${resolved.hash} (give the same --preset/--config/--set as generate)`);
  }
}

function writeAtomically(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const staging = `${path}.tmp-${process.pid}`;
  writeFileSync(staging, content);
  renameSync(staging, path);
}

export function saveSynthReport(dir: string, resolved: ResolvedConfig, module: ModuleIR, report: ResourceReport): void {
  const reportDir = join(dir, 'synth');
  writeAtomically(join(reportDir, `${module.name}.${report.target}.json`), `${JSON.stringify(report, null, 2)}\n`);
  const reports = readdirSync(reportDir)
    .filter((file) => file.startsWith(`${module.name}.`) && file.endsWith('.json'))
    .sort()
    .map((file) => JSON.parse(readFileSync(join(reportDir, file), 'utf8')) as ResourceReport);
  for (const file of renderModuleDoc(resolved, module, reports)) writeAtomically(join(dir, file.path), file.content);
}
