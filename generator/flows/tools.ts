/**
 * External tools: every spawn of one goes through here, so a missing tool is always the same clear
 * error (exit 2, the tool's name and how to install it) and its version is known for reports.
 */
import { execa } from 'execa';
import { InputError } from '../errors';

const SIMULATORS = 'bash scripts/install-simulators.sh, or apt-get install -y';

/** How to get each tool, and the flag that prints its version. */
const TOOLS: Record<string, { install: string; versionFlag: string }> = {
  verilator: { install: `${SIMULATORS} verilator`, versionFlag: '--version' },
  iverilog: { install: `${SIMULATORS} iverilog`, versionFlag: '-V' },
  vvp: { install: `it comes with Icarus Verilog: ${SIMULATORS} iverilog`, versionFlag: '-V' },
  yosys: {
    install: 'apt-get install -y yosys, or use --yosys wasm (the default, from npm)',
    versionFlag: '-V',
  },
  gcc: {
    install: 'apt-get install -y gcc (Verilator needs a C++ compiler too: g++)',
    versionFlag: '--version',
  },
  nice: {
    install: 'it comes with coreutils: apt-get install -y coreutils',
    versionFlag: '--version',
  },
};

/** A tool the command needs is absent: bad input of the environment (exit 2), no stack trace. */
export class ToolMissing extends InputError {
  constructor(
    readonly tool: string,
    install: string,
    missing = 'not installed or not on PATH',
  ) {
    super(`${tool}: ${missing} (install: ${install})`);
  }
}

const versions = new Map<string, string | undefined>();

/** First line of `<tool> <version flag>`; undefined when the tool is absent. Cached per process. */
export async function toolVersion(tool: string): Promise<string | undefined> {
  if (!versions.has(tool)) {
    const flag = TOOLS[tool]?.versionFlag ?? '--version';
    const result = await execa(tool, [flag], { reject: false, all: true });
    // Spawning fails (no exit code) only when the tool is absent; some exit non-zero on --version.
    const line = (result.all ?? '').split('\n')[0]?.trim() || tool;
    versions.set(tool, result.exitCode === undefined ? undefined : line);
  }
  return versions.get(tool);
}

export async function requireTool(tool: string): Promise<string> {
  const version = await toolVersion(tool);
  if (version === undefined)
    throw new ToolMissing(tool, TOOLS[tool]?.install ?? 'install it and put it on PATH');
  return version;
}

export interface ToolRun {
  ok: boolean;
  exitCode: number | undefined;
  /** stdout and stderr interleaved. */
  output: string;
  stdout: string;
}

/** Runs an installed tool (ToolMissing when absent); a non-zero exit is the caller's to judge. */
export async function runTool(
  tool: string,
  args: readonly string[],
  cwd?: string,
): Promise<ToolRun> {
  await requireTool(tool);
  return runProgram(tool, args, cwd);
}

/**
 * Runs a program the flows built themselves (a Verilated testbench), so no version check: only
 * flows start processes.
 */
export async function runProgram(
  program: string,
  args: readonly string[],
  cwd?: string,
): Promise<ToolRun> {
  const result = await execa(program, args, { reject: false, all: true, ...(cwd ? { cwd } : {}) });
  return {
    ok: result.exitCode === 0,
    exitCode: result.exitCode,
    output: result.all ?? '',
    stdout: String(result.stdout ?? ''),
  };
}

/**
 * Loads a WebAssembly tool from npm on first use, so a missing package fails only the command that
 * needs it, with the fix, instead of every command at start-up.
 */
export async function importToolPackage<T>(name: string): Promise<T> {
  try {
    return (await import(name)) as T;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND')
      throw new ToolMissing(name, 'npm ci', 'npm package not installed');
    throw error;
  }
}
