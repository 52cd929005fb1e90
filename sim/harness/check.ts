/** Runs a plan on one simulator and compares with the golden model: the one check tests and the CLI share. */
import type { ResolvedConfig } from '../../generator/config/load';
import { compareStreams } from './compare';
import { type SimResult, type Simulator, runSimulation } from './run';
import type { SimPlan } from './targets/types';

export interface CheckRun {
  simulator: Simulator;
  seed: number;
  stall: number;
  waves?: string;
}

export interface CheckResult {
  result: SimResult;
  /** Protocol problems and golden-model mismatches; empty means pass. */
  failures: string[];
}

export async function checkPlan(resolved: ResolvedConfig, plan: SimPlan, run: CheckRun): Promise<CheckResult> {
  const result = await runSimulation({
    resolved,
    top: plan.top,
    ...(plan.params ? { params: plan.params } : {}),
    inputs: plan.inputs,
    expectBeats: Object.fromEntries(Object.entries(plan.expected).map(([stream, beats]) => [stream, beats.length])),
    simulator: run.simulator,
    seed: run.seed,
    stall: run.stall,
    ...(plan.maxCycles ? { maxCycles: plan.maxCycles } : {}),
    ...(run.waves ? { waves: run.waves } : {}),
    ...(plan.constants ? { constants: plan.constants } : {}),
    ...(plan.extra ? { extra: plan.extra } : {}),
  });
  const failures = [...result.problems, ...compareStreams(plan.expected, result.outputs)];
  return { result, failures };
}
