import { type ResolvedConfig, configHash } from '../../generator/config/load';
import { drawCase } from '../../sim/fuzz/fuzz-case';

/** Seeds and run counts of the fuzz tests: a fresh seed per run (printed) or the environment's. */

/** SPATTEN_FUZZ_SEED when set, else a fresh seed; printed either way so a failure reproduces. */
export function fuzzSeed(what: string): number {
  const fixed = process.env.SPATTEN_FUZZ_SEED;
  const seed = fixed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(fixed);
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new Error(`SPATTEN_FUZZ_SEED=${fixed}: must be a non-negative integer`);
  }
  console.log(`${what}: seed ${seed} (reproduce with SPATTEN_FUZZ_SEED=${seed})`);
  return seed;
}

/** SPATTEN_FUZZ_RUNS when set, else `fallback`. */
export function fuzzRuns(fallback: number): number {
  const text = process.env.SPATTEN_FUZZ_RUNS;
  const runs = text === undefined ? fallback : Number(text);
  if (!Number.isSafeInteger(runs) || runs < 1) {
    throw new Error(`SPATTEN_FUZZ_RUNS=${text}: must be a positive integer`);
  }
  return runs;
}

/** Legal configs drawn from the whole config space from `what`'s seed (discarded draws left out). */
export function fuzzConfigs(
  what: string,
  count: number,
): { name: string; resolved: ResolvedConfig }[] {
  const seed = fuzzSeed(what);
  return Array.from({ length: count }, (_, i) => drawCase('full', seed + i)).flatMap((c) =>
    c.config
      ? [
          {
            name: `fuzz seed ${c.seed}`,
            resolved: { config: c.config, preset: 'tiny' as const, hash: configHash(c.config) },
          },
        ]
      : [],
  );
}
