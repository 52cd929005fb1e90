/** Writes NumPy .npy files for tests (the tests make their own fixtures). */
import { writeFileSync } from 'node:fs';

const WRITERS: Record<string, [number, (v: DataView, o: number, x: number, l: boolean) => void]> = {
  f4: [4, (v, o, x, l) => v.setFloat32(o, x, l)],
  f8: [8, (v, o, x, l) => v.setFloat64(o, x, l)],
  i2: [2, (v, o, x, l) => v.setInt16(o, x, l)],
};

export interface NpyOptions {
  /** dtype as NumPy writes it: '<f4', '>f8', '<i2'. */
  descr?: string;
  version?: 1 | 2;
  fortranOrder?: boolean;
}

export function npyBytes(shape: number[], data: readonly number[], options: NpyOptions = {}) {
  const descr = options.descr ?? '<f4';
  const [size, write] = WRITERS[descr.slice(1)] as NonNullable<(typeof WRITERS)[string]>;
  const version = options.version ?? 1;
  const tuple = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  const order = options.fortranOrder ? 'True' : 'False';
  let header = `{'descr': '${descr}', 'fortran_order': ${order}, 'shape': ${tuple}, }`;
  const prefix = version === 1 ? 10 : 12;
  header += ' '.repeat(63 - ((prefix + header.length) % 64));
  header += '\n';
  const head = Buffer.alloc(prefix);
  head.write('\x93NUMPY', 0, 'latin1');
  head[6] = version;
  head[7] = 0;
  if (version === 1) head.writeUInt16LE(header.length, 8);
  else head.writeUInt32LE(header.length, 8);
  const body = new DataView(new ArrayBuffer(data.length * size));
  for (const [i, x] of data.entries()) write(body, i * size, x, descr[0] !== '>');
  return Buffer.concat([head, Buffer.from(header, 'latin1'), Buffer.from(body.buffer)]);
}

export function writeNpy(
  file: string,
  shape: number[],
  data: readonly number[],
  options?: NpyOptions,
): void {
  writeFileSync(file, npyBytes(shape, data, options));
}
