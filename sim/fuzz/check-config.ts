/**
 * One config through the whole flow a user would run: generate (the IR checker included), lint
 * (Verilator -Wall, Icarus -g2005, optionally the Yosys latch check) and a short co-simulation of
 * some units against the golden model. Every step's failure is recorded, never thrown, so a fuzz
 * run reports each config it drew.
 */
import { lintDesign } from '../../generator/commands/lint';
import { type ResolvedConfig, configHash, validateConfig } from '../../generator/config/load';
import type { Config } from '../../generator/config/schema';
import { designModules } from '../../generator/modules';
import { overlongLines } from '../../generator/render/columns';
import { renderDesign } from '../../generator/render/design';
import { checkPlan } from '../harness/check';
import { Rng } from '../harness/random';
import type { Simulator } from '../harness/run';
import { SIM_TARGETS } from '../harness/targets';

export interface ConfigCheck {
  /** Lint after generating; false checks generation alone. */
  lint: boolean;
  /** Include the Yosys latch check in the lint. */
  yosys: boolean;
  /** Units to co-simulate, with the transactions of each. */
  sims: Readonly<Record<string, number>>;
  simulator: Simulator;
  seed: number;
}

export interface StepResult {
  step: string;
  ok: boolean;
  /** First lines of what went wrong (empty when ok). */
  detail: string;
  seconds: number;
}

/** Config of the fuzz checks: stall probability of the co-simulations. */
const STALL = 0.3;
const DETAIL_LINES = 12;

function firstLines(text: string): string {
  return text.trim().split('\n').slice(0, DETAIL_LINES).join('\n');
}

async function timed(step: string, run: () => Promise<string[]>): Promise<StepResult> {
  const start = performance.now();
  let problems: string[];
  try {
    problems = await run();
  } catch (error) {
    problems = [error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error)];
  }
  const seconds = (performance.now() - start) / 1000;
  return { step, ok: problems.length === 0, detail: firstLines(problems.join('\n')), seconds };
}

/** Runs the steps in order; a failed generate stops the rest (nothing else could run). */
export async function checkConfig(config: Config, check: ConfigCheck): Promise<StepResult[]> {
  const legal = validateConfig(config);
  const resolved: ResolvedConfig = { config: legal, preset: 'tiny', hash: configHash(legal) };
  const generate = async (): Promise<string[]> =>
    renderDesign(designModules(config), resolved)
      .filter((file) => file.path.endsWith('.v'))
      .flatMap((file) => overlongLines(file.path, file.content));
  const steps = [await timed('generate', generate)];
  if (!steps[0]?.ok) return steps;
  if (check.lint) {
    steps.push(
      await timed('lint', async () => {
        const findings = await lintDesign(resolved, { yosys: check.yosys });
        const failed = findings.filter((f) => !f.ok);
        return failed.map((f) => `${f.tool} ${f.module}: ${firstLines(f.output)}`);
      }),
    );
  }
  for (const [unit, count] of Object.entries(check.sims)) {
    const target = SIM_TARGETS[unit];
    if (!target) throw new Error(`no sim target ${unit}`);
    steps.push(
      await timed(`sim ${unit}`, async () => {
        const plan = target.plan(resolved, new Rng(check.seed), count);
        const run = { simulator: check.simulator, seed: check.seed, stall: STALL };
        const { failures } = await checkPlan(resolved, plan, run);
        return failures;
      }),
    );
  }
  return steps;
}
