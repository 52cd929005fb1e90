/**
 * Which simulators the RTL tests run on. In CI a missing simulator is a failure (the tests must not
 * silently skip); locally the tests for a missing one are skipped with a printed reason.
 */
import { execaSync } from 'execa';
import { SIMULATORS, type Simulator } from '../../sim/harness/run';

const probe: Record<Simulator, [string, string]> = {
  icarus: ['iverilog', '-V'],
  verilator: ['verilator', '--version'],
};

/** Spawning fails (no exit code) only when the tool is absent; `iverilog -V` itself exits 1. */
function installed(simulator: Simulator): boolean {
  const [tool, flag] = probe[simulator];
  return execaSync(tool, [flag], { reject: false }).exitCode !== undefined;
}

export function availableSimulators(): Simulator[] {
  const present = SIMULATORS.filter(installed);
  const missing = SIMULATORS.filter((s) => !present.includes(s));
  if (missing.length > 0) {
    if (process.env.CI)
      throw new Error(
        `simulator(s) missing in CI: ${missing.join(', ')} (apt-get install -y verilator iverilog)`,
      );
    console.warn(`skipping RTL tests on ${missing.join(', ')}: not installed`);
  }
  return present;
}
