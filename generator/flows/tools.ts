/** Finding external tools: a clear message when one is missing, and its version for reports. */
import { execa } from 'execa';

export class ToolMissing extends Error {
  constructor(readonly tool: string, hint: string) {
    super(`${tool} is not installed or not on PATH (${hint})`);
    this.name = 'ToolMissing';
  }
}

const versions = new Map<string, string | undefined>();

/** First line of `<tool> <flag>`, or undefined when the tool is not installed. Cached per process. */
export async function toolVersion(tool: string, flag = '--version'): Promise<string | undefined> {
  if (!versions.has(tool)) {
    const result = await execa(tool, [flag], { reject: false, all: true });
    // Spawning fails (no exit code) only when the tool is absent; some tools exit non-zero on --version.
    versions.set(tool, result.exitCode === undefined ? undefined : (result.all ?? '').split('\n')[0]?.trim() ?? tool);
  }
  return versions.get(tool);
}

export async function requireTool(tool: string, flag = '--version'): Promise<string> {
  const version = await toolVersion(tool, flag);
  if (version === undefined) throw new ToolMissing(tool, 'install it with: apt-get install -y verilator iverilog');
  return version;
}
