/** Yosys area of one module per target, through the same synthesis flow as `spatten synth`. */
import type { ResolvedConfig } from '../generator/config/load';
import type { ModuleIR } from '../generator/dsl/ir';
import { CheckFailure } from '../generator/errors';
import { classifyCells, cellsByType } from '../generator/flows/synth-figures';
import { type SynthTarget, type YosysTool, synthesize } from '../generator/flows/yosys';
import { collectModules } from '../generator/modules';
import { renderModule } from '../generator/render/design';

export async function moduleArea(
  resolved: ResolvedConfig,
  top: ModuleIR,
  targets: readonly SynthTarget[],
  tool: YosysTool,
): Promise<Record<string, unknown>[]> {
  const files = Object.fromEntries(
    collectModules([top]).map((m) => [`${m.name}.v`, renderModule(m, resolved)]),
  );
  const rows: Record<string, unknown>[] = [];
  for (const target of targets) {
    const run = await synthesize(files, top.name, target, tool);
    if (!run.ok || !run.stat)
      throw new CheckFailure(
        `Yosys ${target} synthesis of ${top.name} failed:\n${run.log.slice(-2000)}`,
      );
    rows.push({ module: top.name, target, ...classifyCells(cellsByType(run.stat)) });
  }
  return rows;
}
