/**
 * `spatten bench fuzz`: the long config-space fuzz run. `--trials N` sim-scale configs (default
 * 25), drawn from consecutive seeds starting at `--seed`, each through generate, lint (Verilator,
 * Icarus, Yosys) and a co-simulation of every unit on Icarus. One row per config: its seed,
 * verdict, the steps that failed and the time taken; the log line of each gives the command that
 * reproduces it. The fuzz modules load fast-check (a development dependency), so they are imported
 * when the bench runs.
 */
import type { Benchmark } from './index';

const DEFAULT_CONFIGS = 25;

export const fuzzBenchmark: Benchmark = {
  description: 'config-space fuzz: random legal configs through generate, lint and co-simulation',
  async run({ trials, seed, log }) {
    const { drawCase, checkFor, reproduceCommand } = await import('../sim/fuzz/fuzz-case');
    const { checkConfig } = await import('../sim/fuzz/check-config');
    const count = trials ?? DEFAULT_CONFIGS;
    const results: Record<string, unknown>[] = [];
    let discarded = 0;
    for (let caseSeed = seed; results.length < count; caseSeed += 1) {
      const fuzzCase = drawCase('sim', caseSeed);
      if (!fuzzCase.config) {
        discarded += 1;
        const why = `${fuzzCase.blocked?.path}: ${fuzzCase.blocked?.message}`;
        log(`seed ${caseSeed}: discarded (${why})`);
        continue;
      }
      const steps = await checkConfig(fuzzCase.config, checkFor('sim', caseSeed, 'icarus'));
      const failed = steps.filter((s) => !s.ok);
      const seconds = steps.reduce((sum, s) => sum + s.seconds, 0);
      const sims = steps.filter((s) => s.step.startsWith('sim '));
      const verdict = failed.length === 0 ? 'PASS' : 'FAIL';
      log(`seed ${caseSeed}: ${verdict} in ${seconds.toFixed(0)} s: ${reproduceCommand(fuzzCase)}`);
      for (const step of failed) log(`  ${step.step}: ${step.detail.split('\n').join('\n    ')}`);
      results.push({
        seed: caseSeed,
        pass: failed.length === 0,
        failed: failed.map((s) => s.step).join(',') || '-',
        overrides: fuzzCase.sets.length,
        lintSeconds: steps.find((s) => s.step === 'lint')?.seconds ?? 0,
        simSeconds: sims.reduce((t, s) => t + s.seconds, 0),
      });
    }
    const passed = results.filter((r) => r.pass).length;
    log(`${passed} of ${count} configs passed (first seed ${seed}, ${discarded} draws discarded)`);
    return { firstSeed: seed, configs: count, passed, discarded, results };
  },
};
