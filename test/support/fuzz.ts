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
