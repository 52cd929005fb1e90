/**
 * The real GPT-2 traces of the public SpAtten release are external data, never part of this
 * repository. Everything that uses them (tests, `spatten bench replay`) finds their folder through
 * one setting, the SPATTEN_WORKLOADS environment variable; nothing has a default path outside the
 * repository.
 */
import { resolve } from 'node:path';

export const WORKLOADS_ENV = 'SPATTEN_WORKLOADS';

/** Where to get the traces, for messages that say what to set. */
export const WORKLOADS_SOURCE =
  'the workloads folder of the SpAtten hardware release (repository mit-han-lab/spatten, ' +
  'spatten_hardware/hardware/workloads, MIT licence)';

/** The folder SPATTEN_WORKLOADS names (absolute), or undefined when it is unset or empty. */
export function externalWorkloadsDir(): string | undefined {
  const dir = process.env[WORKLOADS_ENV]?.trim();
  return dir ? resolve(dir) : undefined;
}
