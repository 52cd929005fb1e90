/**
 * Config-space fuzz on the tools: random legal configs (fields weighted to the ends of their
 * ranges, repaired to satisfy the cross-field rules) through generate, lint and co-simulation.
 * Sim-scale configs run the whole flow (Verilator -Wall, Icarus -g2005, Yosys latches, every unit
 * co-simulated on Icarus, attention_core and top included); one full-scale config (any size the
 * schema allows) is generated and linted. Each run draws fresh seeds (printed); SPATTEN_FUZZ_SEED=N
 * reproduces a run, SPATTEN_FUZZ_RUNS=N sets the sim-scale count. `spatten bench fuzz` is the
 * longer run.
 */
import { describe, expect, it } from 'vitest';
import type { Config } from '../../generator/config/schema';
import { checkConfig } from '../../sim/fuzz/check-config';
import { type FuzzCase, checkFor, drawCase, reproduceCommand } from '../../sim/fuzz/fuzz-case';
import type { Scale } from '../../sim/fuzz/config-space';
import { fuzzRuns, fuzzSeed } from '../support/fuzz';
import { availableSimulators } from '../support/simulators';

const simulators = availableSimulators();
const seed = fuzzSeed('config fuzz');
/** About a minute per sim-scale config on a loaded 2-core machine (lint is most of it). */
const SIM_RUNS = fuzzRuns(2);

type AcceptedCase = FuzzCase & { config: Config };
const accepted = (fuzzCase: FuzzCase): fuzzCase is AcceptedCase => fuzzCase.config !== undefined;

/** The cases of this run: `count` accepted draws from consecutive seeds (discards are skipped). */
function cases(scale: Scale, first: number, count: number): AcceptedCase[] {
  const out: AcceptedCase[] = [];
  for (let s = first; out.length < count; s += 1) {
    const drawn = drawCase(scale, s);
    if (accepted(drawn)) out.push(drawn);
    if (s - first > 10 * count) {
      throw new Error(`seed ${first}: over ${10 * count} draws for ${count} configs`);
    }
  }
  return out;
}

const tools = simulators.includes('icarus') && simulators.includes('verilator');

describe.runIf(tools)(`config fuzz (seed ${seed})`, () => {
  const drawn = [...cases('sim', seed, SIM_RUNS), ...cases('full', seed + SIM_RUNS, 1)];
  const named = drawn.map((c) => [`${c.scale} seed ${c.seed}`, c] as const);
  it.each(named)(
    '%s: generate, lint (and co-simulate at sim scale)',
    async (_name, fuzzCase) => {
      const reproduce = reproduceCommand(fuzzCase);
      console.log(`${fuzzCase.scale} seed ${fuzzCase.seed}: ${reproduce}`);
      const check = checkFor(fuzzCase.scale, fuzzCase.seed, 'icarus');
      const steps = await checkConfig(fuzzCase.config, check);
      const failed = steps.filter((s) => !s.ok).map((s) => `${s.step}: ${s.detail}`);
      expect(failed, `${fuzzCase.scale} seed ${fuzzCase.seed}; reproduce: ${reproduce}`).toEqual(
        [],
      );
      // The flow really ran: generate, lint and each co-simulated unit.
      const units = Object.keys(check.sims).map((unit) => `sim ${unit}`);
      expect(steps.map((s) => s.step)).toEqual(['generate', 'lint', ...units]);
    },
    300_000,
  );
});
