/**
 * `spatten lint`: every generated module through `verilator --lint-only -Wall` (no waivers) and
 * `iverilog -g2005 -Wall` (no output allowed), and every unit through Yosys with no latch allowed.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { iverilogCompile } from '../flows/iverilog';
import { verilatorLint } from '../flows/verilator';
import { checkNoLatches, yosysVersion } from '../flows/yosys';
import { toolVersion } from '../flows/tools';
import type { ResolvedConfig } from '../config/load';
import { UNIT_BUILDERS, collectModules, designModules } from '../modules';
import { renderDesign } from '../render/design';
import { CheckFailure } from '../errors';
import { type ConfigOptions, addConfigOptions, configFromOptions } from './options';

export interface LintFinding {
  module: string;
  tool: 'verilator' | 'iverilog' | 'yosys';
  ok: boolean;
  output: string;
}

export interface LintScope {
  /** Run the Yosys latch check too (the slowest of the three on large designs). Default true. */
  yosys?: boolean;
}

/** Lints the whole design of `resolved`; returns one finding per module and tool. */
export async function lintDesign(
  resolved: ResolvedConfig,
  scope: LintScope = {},
): Promise<LintFinding[]> {
  const modules = designModules(resolved.config);
  const files = renderDesign(modules, resolved).filter((file) => file.path.endsWith('.v'));
  const dir = mkdtempSync(join(tmpdir(), 'spatten-lint-'));
  const findings: LintFinding[] = [];
  try {
    for (const file of files) writeFileSync(join(dir, file.path), file.content);
    for (const module of modules) {
      // Each module is checked with exactly the files it needs, so a missing dependency shows up.
      const needed = collectModules([module]).map((m) => `${m.name}.v`);
      const verilator = await verilatorLint(dir, needed, module.name);
      findings.push({
        module: module.name,
        tool: 'verilator',
        ok: verilator.ok,
        output: verilator.output,
      });
      const icarus = await iverilogCompile(dir, needed, module.name);
      findings.push({
        module: module.name,
        tool: 'iverilog',
        ok: icarus.ok && icarus.output.trim() === '',
        output: icarus.output,
      });
    }
    const sources = Object.fromEntries(files.map((file) => [file.path, file.content]));
    for (const build of scope.yosys === false ? [] : Object.values(UNIT_BUILDERS)) {
      const unit = build(resolved.config);
      const needed = Object.fromEntries(
        collectModules([unit]).map((m) => [`${m.name}.v`, sources[`${m.name}.v`] ?? '']),
      );
      const yosys = await checkNoLatches(needed, unit.name);
      findings.push({ module: unit.name, tool: 'yosys', ok: yosys.ok, output: yosys.log });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return findings;
}

export function registerLint(program: Command): void {
  addConfigOptions(
    program
      .command('lint')
      .description(
        'lint every generated module (Verilator -Wall, Icarus -g2005, Yosys latch check)',
      ),
  )
    .option('--json', 'print the findings as JSON on stdout')
    .action(async (options: ConfigOptions & { json?: boolean }) => {
      const resolved = configFromOptions(options);
      const findings = await lintDesign(resolved);
      const tools = {
        verilator: (await toolVersion('verilator')) ?? 'missing',
        iverilog: (await toolVersion('iverilog')) ?? 'missing',
        yosys: `${(await yosysVersion()).name} ${(await yosysVersion()).version}`,
      };
      if (options.json)
        process.stdout.write(`${JSON.stringify({ preset: resolved.preset, tools, findings })}\n`);
      for (const finding of findings) {
        process.stderr.write(
          `${finding.ok ? 'ok  ' : 'FAIL'} ${finding.tool.padEnd(9)} ${finding.module}\n`,
        );
        if (!finding.ok) process.stderr.write(`${finding.output.trim()}\n`);
      }
      process.stderr.write(`tools: ${tools.verilator}; ${tools.iverilog}; ${tools.yosys}\n`);
      const failed = findings.filter((finding) => !finding.ok);
      if (failed.length > 0)
        throw new CheckFailure(`${failed.length} lint finding(s) in preset ${resolved.preset}`);
    });
}
