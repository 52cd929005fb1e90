/** Icarus Verilog behind a typed wrapper: compile-checks in -g2005 and simulation builds. */
import { type ToolRun, runTool } from './tools';

/** `iverilog -g2005` on `files` (paths relative to `dir`), writing the compiled simulation to `output`. */
export async function iverilogCompile(
  dir: string,
  files: readonly string[],
  top: string,
  output = '/dev/null',
): Promise<ToolRun> {
  return runTool('iverilog', ['-g2005', '-Wall', '-s', top, '-o', output, ...files], dir);
}
