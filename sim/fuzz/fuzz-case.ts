/**
 * A fuzz case: one config drawn from one seed (so each case reproduces alone), repaired to satisfy
 * the rules, with the `--set` list that rebuilds it over preset tiny, and what to check on it at
 * its scale.
 */
import type { Config } from '../../generator/config/schema';
import type { Simulator } from '../harness/run';
import type { ConfigCheck } from './check-config';
import type { RuleHit, Scale } from './config-space';
import { drawRawConfigs, overridesFrom, repairConfig } from './config-space';

export interface FuzzCase {
  seed: number;
  scale: Scale;
  /** The repaired config, or undefined when the draw was discarded. */
  config?: Config;
  blocked?: RuleHit;
  /** `--set` overrides over preset tiny that give `config`. */
  sets: string[];
}

export function drawCase(scale: Scale, seed: number): FuzzCase {
  const raw = drawRawConfigs(scale, seed, 1)[0] as Config;
  const repaired = repairConfig(raw, scale);
  if ('blocked' in repaired) return { seed, scale, blocked: repaired.blocked, sets: [] };
  return { seed, scale, config: repaired.config, sets: overridesFrom(repaired.config) };
}

/** Transactions per co-simulated unit: enough to cross every unit's paths, short enough for CI. */
export const FUZZ_SIMS: Readonly<Record<string, number>> = {
  zero_eliminator: 20,
  topk: 10,
  qk_array: 10,
  qk_bitserial: 6,
  prescore: 10,
  pv_array: 10,
  softmax: 10,
  fetcher: 10,
  attention_core: 6,
  top: 2,
};

/**
 * What each scale checks: sim-scale configs the whole flow, full-scale ones (any size the schema
 * allows, up to 4096 multipliers and 65536-token buffers) generation and Verilator/Icarus lint,
 * which stay bounded where a simulation or the Yosys latch check of such a design would not.
 */
export function checkFor(scale: Scale, seed: number, simulator: Simulator): ConfigCheck {
  return scale === 'sim'
    ? { lint: true, yosys: true, sims: FUZZ_SIMS, simulator, seed }
    : { lint: true, yosys: false, sims: {}, simulator, seed };
}

/** The command that reruns a case's lint by hand. */
export function reproduceCommand(fuzzCase: FuzzCase): string {
  return `npx spatten lint --preset tiny ${fuzzCase.sets.map((s) => `--set ${s}`).join(' ')}`;
}
