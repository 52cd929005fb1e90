/**
 * `spatten bench timing [--target xilinx|ice40|ecp5]`: every module of the preset's design, `top`
 * included, through `spatten synth`: resources, LUT levels, the delay model's fmax estimate and
 * critical path; on ice40 also nextpnr's post-route fmax (modules with too many pins through the
 * pin wrapper). The clock targets of DESIGN.md section 3 are printed beside each row: 200 MHz
 * estimated on xilinx (preset fpga), 75 MHz routed on ice40 (preset tiny).
 */
import { type SynthReport, synthesizeModule } from '../generator/commands/synth';
import type { ResolvedConfig } from '../generator/config/load';
import type { ModuleIR } from '../generator/dsl/ir';
import { timingModelDescription } from '../generator/flows/synth-figures';
import { type SynthTarget, type YosysTool, yosysToolVersion } from '../generator/flows/yosys';
import { designModules } from '../generator/modules';
import type { Benchmark } from './index';

/** The clock each target must reach, and which figure is held to it. */
const CLOCK_TARGETS: Partial<
  Record<SynthTarget, { mhz: number; figure: 'fmaxEstMHz' | 'fmaxMHz' }>
> = {
  xilinx: { mhz: 200, figure: 'fmaxEstMHz' },
  ice40: { mhz: 75, figure: 'fmaxMHz' },
};

export function timingRow(report: SynthReport): Record<string, unknown> {
  const clock = CLOCK_TARGETS[report.target];
  const figure = clock ? report[clock.figure] : null;
  return {
    module: report.module,
    luts: report.luts,
    ffs: report.ffs,
    brams: report.brams,
    dsps: report.dsps,
    lutLevels: report.lutLevels,
    fmaxEstMHz: report.fmaxEstMHz,
    fmaxRoutedMHz: report.fmaxMHz,
    meetsTarget:
      clock === undefined
        ? 'no target'
        : figure === null
          ? 'not routed'
          : figure >= clock.mhz
            ? 'yes'
            : 'no',
    pinWrapped: report.pnr?.wrapped ? 'yes' : 'no',
    criticalFrom: report.criticalPath?.from ?? '',
    criticalTo: report.criticalPath?.to ?? '',
    criticalCells: report.criticalPath?.cells ?? 0,
  };
}

/** Synthesizes `modules` one after another (Yosys is CPU-heavy) and returns one row each. */
export async function timingRows(
  resolved: ResolvedConfig,
  modules: readonly ModuleIR[],
  target: SynthTarget,
  log: (line: string) => void,
  yosys: YosysTool = 'wasm',
): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  for (const module of modules) {
    const report = await synthesizeModule(resolved, module, {
      target,
      pnr: target === 'ice40',
      yosys,
      log,
    });
    rows.push(timingRow(report));
  }
  return rows;
}

export const timingBenchmark: Benchmark = {
  description:
    'every module and top: resources, LUT levels, fmax estimate, critical path (ice40: routed)',
  async run({ resolved, target = 'xilinx', yosys = 'wasm', log }) {
    const clock = CLOCK_TARGETS[target];
    const modules = designModules(resolved.config);
    const results = await timingRows(resolved, modules, target, log, yosys);
    const missed = results.filter((row) => row.meetsTarget === 'no').map((row) => row.module);
    return {
      preset: resolved.preset,
      configHash: resolved.hash,
      target,
      yosys: await yosysToolVersion(yosys),
      timingModel: timingModelDescription(target),
      clockTarget: clock
        ? `${clock.mhz} MHz (${clock.figure === 'fmaxMHz' ? 'post-route' : 'delay-model estimate'})`
        : 'none',
      missed,
      results,
    };
  },
};
