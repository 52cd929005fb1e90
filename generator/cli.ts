/** Command-line wiring only: argv -> commands/*. Maps errors to the exit codes of DESIGN §6. */
import { Command, CommanderError } from 'commander';
import { registerBench } from './commands/bench';
import { registerCalibrate } from './commands/calibrate';
import { registerConfig } from './commands/config';
import { registerGenerate } from './commands/generate';
import { registerLint } from './commands/lint';
import { registerReplay } from './commands/replay';
import { registerSim } from './commands/sim';
import { registerSweep } from './commands/sweep';
import { registerSynth } from './commands/synth';
import { registerWorkload } from './commands/workload';
import { CheckFailure, InputError, clip } from './errors';
import { GENERATOR_VERSION } from './version';

export function buildProgram(): Command {
  const program = new Command('spatten')
    .description('Generator of verified Verilog for the SpAtten sparse-attention accelerator')
    .version(GENERATOR_VERSION)
    .exitOverride()
    .showHelpAfterError()
    // Commander echoes the offending argument: cut it like every other value shown in a message.
    .configureOutput({
      outputError: (text, write) =>
        write(
          text
            .split('\n')
            .map((l) => clip(l, 200))
            .join('\n'),
        ),
    });
  registerGenerate(program);
  registerConfig(program);
  registerBench(program);
  registerSim(program);
  registerLint(program);
  registerReplay(program);
  registerSynth(program);
  registerSweep(program);
  registerWorkload(program);
  registerCalibrate(program);
  return program;
}

export async function main(argv: readonly string[]): Promise<number> {
  try {
    await buildProgram().parseAsync([...argv]);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version exit 0; every usage error is bad input.
      return error.exitCode === 0 ? 0 : 2;
    }
    if (error instanceof InputError) {
      process.stderr.write(`error: ${error.problems.join('\nerror: ')}\n`);
      return 2;
    }
    if (error instanceof CheckFailure) {
      process.stderr.write(`check failed: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
