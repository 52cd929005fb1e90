/** The .npy reader: every element type it reads, both header versions and byte orders, and the
 * files it refuses (exit-2 errors naming the file). */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../generator/errors';
import { readNpy } from '../../sim/workloads/npy';
import { npyBytes, writeNpy } from '../support/npy';

const folder = mkdtempSync(join(tmpdir(), 'spatten-npy-'));
const values = [0.5, -1.25, 3, 0, -7.75, 100];

const refusal = (file: string) => {
  try {
    readNpy(file);
  } catch (error) {
    if (error instanceof InputError) return error.message;
    throw error;
  }
  throw new Error(`${file} was read`);
};

describe('readNpy', () => {
  it.each([
    { descr: '<f4', version: 1 },
    { descr: '<f8', version: 2 },
    { descr: '>f8', version: 1 },
    { descr: '<i2', version: 1 },
  ] as const)('reads $descr (format version $version) in C order', (options) => {
    const file = join(folder, `${options.descr.replace(/[<>]/, '')}-${options.version}.npy`);
    const data = options.descr === '<i2' ? values.map(Math.round) : values;
    writeNpy(file, [2, 3], data, options);
    const array = readNpy(file);
    expect(array.shape).toEqual([2, 3]);
    expect(Array.from(array.data)).toEqual(data);
  });

  it('reads a one-dimensional and an empty array', () => {
    writeNpy(join(folder, 'row.npy'), [6], values);
    expect(readNpy(join(folder, 'row.npy')).shape).toEqual([6]);
    writeNpy(join(folder, 'empty.npy'), [0, 4], []);
    expect(readNpy(join(folder, 'empty.npy'))).toEqual({ shape: [0, 4], data: new Float64Array() });
  });

  it('refuses what it does not read, naming the file and what is allowed', () => {
    const at = (name: string, bytes: Buffer | string) => {
      writeFileSync(join(folder, name), bytes);
      return join(folder, name);
    };
    const good = npyBytes([2, 3], values, { descr: '<f8' });
    const retyped = (descr: string) =>
      Buffer.from(good.toString('latin1').replace("'<f8'", `'${descr}'`), 'latin1');
    expect(refusal(at('text.npy', 'queries,keys\n'))).toMatch(/text\.npy: not a \.npy file/);
    expect(refusal(at('complex.npy', retyped('<c8')))).toMatch(
      /complex\.npy: dtype '<c8' is not read \(allowed: float32, float64/,
    );
    expect(refusal(at('object.npy', retyped('|O8')))).toContain("dtype '|O8' is not read");
    const fortran = npyBytes([2, 3], values, { descr: '<f8', fortranOrder: true });
    expect(refusal(at('fortran.npy', fortran))).toMatch(/fortran\.npy: a Fortran-order array/);
    expect(refusal(at('short.npy', good.subarray(0, good.length - 8)))).toMatch(
      /short\.npy: 40 data bytes, where shape \(2, 3\) needs 48/,
    );
    expect(refusal(join(folder, 'absent.npy'))).toMatch(/absent\.npy: cannot read \(ENOENT\)/);
  });
});
