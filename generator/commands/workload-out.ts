/**
 * The output file of `spatten workload`. It may replace only a trace this command wrote (its footer
 * says so); any other existing file is refused, nothing is written. The writing itself is the
 * writer's (render/write.ts): a temporary sibling renamed into place, never a partial trace.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { WORKLOAD_FOOTER_PREFIX } from '../../sim/workloads/trace-writer';
import { InputError } from '../errors';
import { replaceOwnFile } from '../render/write';

function writtenByWorkload(file: string): boolean {
  const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
  return lines.at(-1)?.startsWith(WORKLOAD_FOOTER_PREFIX) ?? false;
}

export function writeWorkloadFile(file: string, text: string): void {
  if (existsSync(file)) {
    if (!statSync(file).isFile()) {
      throw new InputError(`--out ${file}: is not a file (give a FILE.csv path)`);
    }
    if (!writtenByWorkload(file)) {
      const reason = 'exists and was not written by spatten workload (refusing to replace it)';
      throw new InputError(`--out ${file}: ${reason}`);
    }
  }
  replaceOwnFile(file, text, '--out');
}
