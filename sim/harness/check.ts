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

/** Cycles a run may take per beat in or out when a target gives no budget of its own. */
const CYCLES_PER_BEAT = 64;

/**
 * Cycles before the watchdog ends a run: the plan's budget at no stall (its own, or a fixed base
 * plus CYCLES_PER_BEAT per beat in and out), stretched for stalls: a transfer needs its producer
 * and its consumer to go in the same cycle, both with probability 1 - stall.
 */
export function watchdogCycles(plan: SimPlan, stall: number): number {
  const streams = [...Object.values(plan.inputs), ...Object.values(plan.expected)];
  const beats = streams.reduce((sum, stream) => sum + stream.length, 0);
  const budget = plan.maxCycles ?? 20000 + CYCLES_PER_BEAT * beats;
  // The testbench counts cycles in a 32-bit integer.
  return Math.min(2 ** 31 - 1, Math.ceil(budget / (1 - stall) ** 2));
}

export async function checkPlan(
  resolved: ResolvedConfig,
  plan: SimPlan,
  run: CheckRun,
): Promise<CheckResult> {
  const result = await runSimulation({
    resolved,
    top: plan.top,
    ...(plan.params ? { params: plan.params } : {}),
    inputs: plan.inputs,
    expectBeats: Object.fromEntries(
      Object.entries(plan.expected).map(([stream, beats]) => [stream, beats.length]),
    ),
    simulator: run.simulator,
    seed: run.seed,
    stall: run.stall,
    maxCycles: watchdogCycles(plan, run.stall),
    ...(run.waves ? { waves: run.waves } : {}),
    ...(plan.constants ? { constants: plan.constants } : {}),
    ...(plan.extra ? { extra: plan.extra } : {}),
  });
  const failures = [...result.problems, ...compareStreams(plan.expected, result.outputs)];
  return { result, failures };
}
