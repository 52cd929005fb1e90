/**
 * `spatten bench topk-area`: Yosys area of the top-k engine for P in {4, 8, 16} at the preset's capacity
 * and value width. Generic: logic cells after `synth` with the buffers kept as memories (they map to
 * RAM; their bits are reported separately). iCE40 and Xilinx: LUTs, flip-flops and block RAMs.
 */
import { deriveTopk } from '../generator/config/derive-topk';
import type { ResolvedConfig } from '../generator/config/load';
import { runYosysScript, yosysVersion } from '../generator/flows/yosys';
import { collectModules } from '../generator/modules';
import { topkModule } from '../generator/modules/topk';
import { renderModule } from '../generator/render/design';
import type { Benchmark } from './index';

const PARALLELISMS = [4, 8, 16];

const FLOWS = {
  // Up to (not including) the `fine` step memories stay $mem cells; then map the logic generically.
  generic: 'synth -top TOP -run begin:fine; opt -full; techmap; opt -fast; abc -fast; opt_clean',
  ice40: 'synth_ice40 -top TOP',
  xilinx: 'synth_xilinx -top TOP',
} as const;

/** Cell counts by type from the `stat` text of the top module. */
function cellCounts(stat: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const match of stat.matchAll(/^\s+(\d+)\s+(\$?[\w$]+)\s*$|^\s+(\$?[\w$]+)\s+(\d+)\s*$/gm)) {
    const [name, count] = match[1] ? [match[2], match[1]] : [match[3], match[4]];
    if (name && count) counts[name] = (counts[name] ?? 0) + Number(count);
  }
  return counts;
}

const sum = (counts: Record<string, number>, pattern: RegExp) =>
  Object.entries(counts).filter(([name]) => pattern.test(name)).reduce((total, [, count]) => total + count, 0);

function withParallelism(resolved: ResolvedConfig, parallelism: number): ResolvedConfig {
  const topk = { ...resolved.config.topk, parallelism, outLanes: Math.max(parallelism, resolved.config.topk.outLanes) };
  return { ...resolved, config: { ...resolved.config, topk } };
}

export const topkAreaBenchmark: Benchmark = {
  description: 'top-k engine area per parallelism (Yosys generic cells, iCE40 and Xilinx LUT/FF/BRAM)',
  async run({ resolved, log }) {
    const results: Record<string, unknown>[] = [];
    for (const parallelism of PARALLELISMS) {
      const variant = withParallelism(resolved, parallelism);
      const top = topkModule(variant.config);
      const files = Object.fromEntries(collectModules([top]).map((m) => [`${m.name}.v`, renderModule(m, variant)]));
      const reads = Object.keys(files).map((name) => `read_verilog ${name}`).join('; ');
      const derived = deriveTopk(variant.config);
      const row: Record<string, unknown> = { parallelism, capacity: variant.config.topk.capacity, memoryBits: 3 * derived.words * parallelism * derived.elementBits };
      for (const [flow, script] of Object.entries(FLOWS)) {
        log(`topk-area: P=${parallelism} ${flow}`);
        const run = await runYosysScript(files, `${reads}; ${script.replace('TOP', top.name)}; tee -q -o stat.txt stat -top ${top.name}`);
        if (!run.ok) throw new Error(`yosys ${flow} failed for P=${parallelism}:\n${run.log.slice(-2000)}`);
        const counts = cellCounts(run.files['stat.txt'] ?? '');
        if (flow === 'generic') {
          row.genericCells = sum(counts, /^\$_/);
          row.genericFlipFlops = sum(counts, /^\$_.*DFF/);
        } else if (flow === 'ice40') {
          row.ice40Luts = sum(counts, /^SB_LUT4$/);
          row.ice40FlipFlops = sum(counts, /^SB_DFF/);
          row.ice40Brams = sum(counts, /^SB_RAM40_4K$/);
        } else {
          row.xilinxLuts = sum(counts, /^LUT\d$/);
          row.xilinxFlipFlops = sum(counts, /^FD[CPRSE]*$/);
          row.xilinxBrams = sum(counts, /^RAMB/);
        }
      }
      results.push(row);
    }
    return { module: 'topk', preset: resolved.preset, yosys: yosysVersion(), results };
  },
};
