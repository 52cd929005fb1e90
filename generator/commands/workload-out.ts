/**
 * The output file of `spatten workload`. It may replace only a trace this command wrote (its footer
 * says so); any other existing file is refused, nothing is written. The text goes to a temporary
 * sibling first and is renamed into place, so a failed write never leaves a partial trace.
 */
import { existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { WORKLOAD_FOOTER_PREFIX } from '../../sim/workloads/trace-writer';
import { InputError } from '../errors';

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
  const staging = `${file}.tmp-${process.pid}`;
  const refuse = (error: unknown) => {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    return new InputError(`--out ${file}: cannot write there (${code})`);
  };
  try {
    writeFileSync(staging, text, { flag: 'wx' }); // never over a file that is not ours
  } catch (error) {
    throw refuse(error);
  }
  try {
    renameSync(staging, file);
  } catch (error) {
    rmSync(staging, { force: true });
    throw refuse(error);
  }
}
