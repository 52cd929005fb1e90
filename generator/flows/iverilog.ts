/** Icarus Verilog behind a typed wrapper: compile-checks in -g2005 and simulation builds. */
import { type ToolRun, runTool } from './tools';

/**
 * `iverilog -g2005` on `files` (paths relative to `dir`), writing the compiled simulation to `output`.
 * `overrides` re-parameterize the top module (-P).
 */
export async function iverilogCompile(
  dir: string,
  files: readonly string[],
  top: string,
  output = '/dev/null',
  overrides: Readonly<Record<string, number>> = {},
): Promise<ToolRun> {
  const set = Object.entries(overrides).map(([name, value]) => `-P${top}.${name}=${value}`);
  return runTool('iverilog', ['-g2005', '-Wall', ...set, '-s', top, '-o', output, ...files], dir);
}
