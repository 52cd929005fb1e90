/** Config helpers for tests: a resolved config from a preset and `--set`-style overrides. */
import { type ResolvedConfig, resolveConfig } from '../../generator/config/load';

export function configWith(preset: string, sets: string[] = []): ResolvedConfig {
  return resolveConfig({ preset, sets });
}

/** The problems of an InputError thrown by `run`, or a failure when nothing was thrown. */
export function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    const problems = (error as { problems?: string[] }).problems;
    if (problems) return problems;
    throw error;
  }
  throw new Error('expected an input error, but none was thrown');
}
