/**
 * Renders a whole design to in-memory files: one .v per module, files.f (dependency order) and
 * manifest.json. Pure: no file system writes, no processes; write.ts puts the result on disk.
 */
import { createHash } from 'node:crypto';
import { type ResolvedConfig, hardwareConfig } from '../config/load';
import type { ModuleIR } from '../dsl/ir';
import { GENERATOR_NAME, GENERATOR_VERSION } from '../version';
import { renderTemplate } from './engine';
import { renderDocs } from './docs/module-doc';
import { renderPackaging } from './package';
import { viewFor } from './view';
import { renderSoftware } from '../soc/software';

export interface OutputFile {
  /** Path relative to the output directory. */
  path: string;
  content: string;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function renderModule(module: ModuleIR, resolved: ResolvedConfig): string {
  const input = { config: resolved.config, preset: resolved.preset, configHash: resolved.hash };
  return renderTemplate(`${module.stem}.v`, viewFor(module, input));
}

/** Renders `modules` (already in dependency order) with their file list and manifest. */
export function renderDesign(modules: readonly ModuleIR[], resolved: ResolvedConfig): OutputFile[] {
  const verilog = modules.map((module) => ({
    path: `${module.name}.v`,
    content: renderModule(module, resolved),
  }));
  const fileList = `${verilog.map((file) => file.path).join('\n')}\n`;
  const manifest = {
    generator: { name: GENERATOR_NAME, version: GENERATOR_VERSION },
    preset: resolved.preset,
    configHash: resolved.hash,
    config: hardwareConfig(resolved.config),
    modules: modules.map((module, index) => ({
      name: module.name,
      stem: module.stem,
      file: verilog[index]?.path,
      sha256: sha256(verilog[index]?.content ?? ''),
      parameters: Object.fromEntries(module.params.map((param) => [param.name, param.value])),
      submodules: module.instances.map((instance) => instance.module.name),
    })),
  };
  const packaging = [
    ...renderPackaging(resolved, modules),
    ...renderDocs(resolved, modules),
    ...renderSoftware(resolved, modules),
  ];
  return [
    ...verilog,
    { path: 'files.f', content: fileList },
    { path: 'manifest.json', content: `${JSON.stringify(manifest, null, 2)}\n` },
    ...packaging,
  ];
}
