/** `spatten bench NAME`: run a benchmark and print its figures (JSON with --json, a table otherwise). */
import type { Command } from 'commander';
import { BENCHMARKS, TARGETED_BENCHMARKS } from '../../bench';
import { InputError, showValue } from '../errors';
import {
  type ConfigOptions,
  addConfigOptions,
  configFromOptions,
  parseIntegerFlag,
} from './options';
import { YOSYS_TOOLS, parseTarget, parseYosysTool } from './synth';

interface BenchCliOptions extends ConfigOptions {
  json?: boolean;
  trials?: string;
  seed?: string;
  target?: string;
  yosys?: string;
}

function table(results: Record<string, unknown>[]): string {
  if (results.length === 0) return '(no results)\n';
  const columns = Object.keys(results[0] ?? {});
  const cells = results.map((row) =>
    columns.map((c) =>
      typeof row[c] === 'number'
        ? String(Math.round((row[c] as number) * 1000) / 1000)
        : String(row[c]),
    ),
  );
  const widths = columns.map((c, i) =>
    Math.max(c.length, ...cells.map((r) => (r[i] ?? '').length)),
  );
  const line = (values: string[]) => values.map((v, i) => v.padStart(widths[i] ?? 0)).join('  ');
  return `${[line(columns), ...cells.map(line)].join('\n')}\n`;
}

export function registerBench(program: Command): void {
  addConfigOptions(
    program
      .command('bench')
      .argument('<name>', 'benchmark name')
      .description('run a benchmark and print its figures'),
  )
    .option('--json', 'print one JSON document on stdout')
    .option('--trials <n>', 'trials per point (benchmark default if omitted)')
    .option('--seed <n>', 'random seed', '1')
    .option(
      '--target <family>',
      `synthesis target of ${TARGETED_BENCHMARKS.join(', ')} (default xilinx)`,
    )
    .option(
      '--yosys <tool>',
      `Yosys of ${TARGETED_BENCHMARKS.join(', ')} (${YOSYS_TOOLS.join(', ')}; default wasm)`,
    )
    .action(async (name: string, options: BenchCliOptions) => {
      const benchmark = BENCHMARKS[name];
      if (!benchmark) {
        const known = Object.keys(BENCHMARKS).join(', ') || '(none yet)';
        throw new InputError(`bench ${showValue(name)}: unknown benchmark (allowed: ${known})`);
      }
      for (const [flag, value] of [
        ['--target', options.target],
        ['--yosys', options.yosys],
      ] as const) {
        if (value !== undefined && !TARGETED_BENCHMARKS.includes(name)) {
          const takers = TARGETED_BENCHMARKS.join(', ');
          throw new InputError(
            `${flag}: bench ${showValue(name)} synthesizes nothing (benchmarks that do: ${takers})`,
          );
        }
      }
      const target = options.target === undefined ? undefined : parseTarget(options.target);
      const yosys = options.yosys === undefined ? undefined : parseYosysTool(options.yosys);
      const resolved = configFromOptions(options);
      const seed = parseIntegerFlag('--seed', options.seed ?? '1', 0, 2 ** 31 - 1);
      const trials =
        options.trials === undefined
          ? undefined
          : parseIntegerFlag('--trials', options.trials, 1, 100000);
      const report = await benchmark.run({
        resolved,
        seed,
        ...(trials === undefined ? {} : { trials }),
        ...(target === undefined ? {} : { target }),
        ...(yosys === undefined ? {} : { yosys }),
        log: (line) => process.stderr.write(`${line}\n`),
      });
      process.stdout.write(options.json ? `${JSON.stringify(report)}\n` : table(report.results));
    });
}
