/** `spatten sim UNIT`: random transactions through the RTL on one simulator, checked against the golden model. */
import type { Command } from 'commander';
import { SIM_TARGETS } from '../../sim/harness/targets';
import { checkPlan } from '../../sim/harness/check';
import { Rng } from '../../sim/harness/random';
import { SIMULATORS, type Simulator } from '../../sim/harness/run';
import { CheckFailure, InputError, showValue } from '../errors';
import { checkOutputFile } from '../render/write';
import { simSoc } from './sim-soc';
import {
  type ConfigOptions,
  addConfigOptions,
  configFromOptions,
  parseFractionFlag,
  parseIntegerFlag,
} from './options';

interface SimOptions extends ConfigOptions {
  simulator: string;
  seed?: string;
  count?: string;
  host?: string;
  stall: string;
  waves?: string | boolean;
  json?: boolean;
}

export function registerSim(program: Command): void {
  addConfigOptions(
    program
      .command('sim')
      .argument('<unit>', 'unit to simulate')
      .description('co-simulate a unit against its golden model'),
  )
    .option('--simulator <name>', `simulator (${SIMULATORS.join(', ')})`, 'icarus')
    .option('--seed <n>', 'random seed (default: drawn and printed)')
    .option('--count <n>', 'random transactions (default 200; soc: decode steps, default 1)')
    .option('--host <name>', 'soc only: c (the C driver, Verilator) or verilog (a testbench)')
    .option('--stall <p>', 'probability a stream stalls in a cycle, 0..0.95', '0.3')
    .option('--waves [file]', 'write a VCD (default sim-out/<unit>-<seed>.vcd)')
    .option('--json', 'print the result as JSON on stdout')
    .action(async (unit: string, options: SimOptions) => {
      const target = SIM_TARGETS[unit];
      if (!target && unit !== 'soc') {
        const units = [...Object.keys(SIM_TARGETS), 'soc'].join(', ');
        throw new InputError(`sim ${showValue(unit)}: unknown unit (allowed: ${units})`);
      }
      if (options.host !== undefined && unit !== 'soc')
        throw new InputError(`--host: only for sim soc (got sim ${unit})`);
      if (!(SIMULATORS as readonly string[]).includes(options.simulator)) {
        throw new InputError(
          `--simulator ${showValue(options.simulator)}: unknown simulator ` +
            `(allowed: ${SIMULATORS.join(', ')})`,
        );
      }
      const simulator = options.simulator as Simulator;
      const seed =
        options.seed === undefined
          ? Math.floor(Math.random() * 2 ** 31)
          : parseIntegerFlag('--seed', options.seed, 0, 2 ** 31 - 1);
      const count = parseIntegerFlag(
        '--count',
        options.count ?? (unit === 'soc' ? '1' : '200'),
        1,
        unit === 'soc' ? 100 : 1_000_000,
      );
      const stall = parseFractionFlag('--stall', options.stall);
      const resolved = configFromOptions(options);
      const waves = options.waves === true ? `sim-out/${unit}-${seed}.vcd` : options.waves;
      if (waves) checkOutputFile(waves, 'waves', '--waves');
      if (!target) {
        await simSoc({
          waves: waves || undefined,
          resolved,
          simulator,
          host: options.host,
          seed,
          steps: count,
          stall,
          json: options.json === true,
        });
        return;
      }
      process.stderr.write(
        `sim ${unit}: preset ${resolved.preset}, ${simulator}, seed ${seed}, ${count} transactions, stall ${stall}\n`,
      );
      const plan = target.plan(resolved, new Rng(seed), count);
      const { result, failures } = await checkPlan(resolved, plan, {
        simulator,
        seed,
        stall,
        ...(waves ? { waves } : {}),
      });
      const beats = Object.values(result.outputs).reduce((sum, records) => sum + records.length, 0);
      const summary = {
        unit,
        preset: resolved.preset,
        simulator,
        seed,
        count,
        stall,
        cycles: result.cycles,
        outputBeats: beats,
        problems: failures.length,
        pass: failures.length === 0,
      };
      if (options.json) process.stdout.write(`${JSON.stringify({ ...summary, failures })}\n`);
      const verdict = failures.length === 0 ? 'PASS' : 'FAIL';
      const where = waves ? `, waves in ${waves}` : '';
      const counts = `${beats} output beats in ${result.cycles} cycles, ${failures.length} problem(s)`;
      process.stderr.write(`${verdict} ${unit} ${simulator} seed=${seed}: ${counts}${where}\n`);
      if (failures.length > 0) {
        process.stderr.write(`${failures.slice(0, 20).join('\n')}\n`);
        throw new CheckFailure(
          `${unit} on ${simulator}: ${failures.length} problem(s); reproduce with --seed ${seed}`,
        );
      }
    });
}
