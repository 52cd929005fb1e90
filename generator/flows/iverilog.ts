/** Icarus Verilog behind a typed wrapper: compile-checks in -g2005 and simulation builds. */
import { execa } from 'execa';
import { requireTool } from './tools';
import type { ToolRun } from './verilator';

/** `iverilog -g2005` on `files` (paths relative to `dir`), writing the compiled simulation to `output`. */
export async function iverilogCompile(dir: string, files: readonly string[], top: string, output = '/dev/null'): Promise<ToolRun> {
  await requireTool('iverilog', '-V');
  const result = await execa('iverilog', ['-g2005', '-Wall', '-s', top, '-o', output, ...files], { cwd: dir, reject: false, all: true });
  return { ok: result.exitCode === 0, output: result.all ?? '' };
}
