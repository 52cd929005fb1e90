/**
 * Workload traces for tests. Fixtures come from the project's own writer (sim/workloads), written
 * into a temporary folder. The real GPT-2 traces of the SpAtten release are external data: tests
 * that need them find them through SPATTEN_WORKLOADS (a folder; .ci/run sets it). Unset, those
 * tests are skipped with a printed reason; unset in CI (CI set), they fail, like a missing
 * simulator (simulators.ts).
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type DecodeShape,
  GPT2_MODELS,
  decodeFooter,
  decodeWorkload,
} from '../../sim/workloads/decode-workload';
import {
  WORKLOADS_ENV,
  WORKLOADS_SOURCE,
  externalWorkloadsDir,
} from '../../sim/workloads/external';
import { type PruningSchedule, SPATTEN_SCHEDULE } from '../../sim/workloads/schedule';
import { formatTrace } from '../../sim/workloads/trace-writer';

/**
 * The path of one of the release's traces, or undefined (after a printed reason) to skip its tests.
 */
export function realTrace(name: string): string | undefined {
  const dir = externalWorkloadsDir();
  if (dir === undefined) {
    const reason = `${WORKLOADS_ENV} is not set (point it at ${WORKLOADS_SOURCE})`;
    if (process.env.CI) throw new Error(`${reason}: in CI the real-trace tests must run`);
    console.warn(`skipping the tests on ${name}: ${reason}`);
    return undefined;
  }
  const file = join(dir, name);
  if (!existsSync(file)) throw new Error(`${WORKLOADS_ENV}=${dir}: no ${name} there`);
  return file;
}

/** GPT-2 small's shape, 32 decode steps ending at its 1024-token window. */
export const GPT2_SMALL_DECODE: DecodeShape = {
  ...(GPT2_MODELS['gpt2-small'] as DecodeShape),
  context: 993,
  steps: 32,
};

/** Writes a generated decode workload into a fresh temporary folder and returns its path. */
export function decodeFixture(
  name: string,
  shape: DecodeShape = GPT2_SMALL_DECODE,
  schedule: PruningSchedule = SPATTEN_SCHEDULE,
  seed = 1,
): string {
  const file = join(mkdtempSync(join(tmpdir(), 'spatten-workload-')), name);
  const footer = decodeFooter(shape, schedule, seed, 'test');
  writeFileSync(file, formatTrace(decodeWorkload(shape, schedule, seed), footer));
  return file;
}
