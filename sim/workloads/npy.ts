/**
 * NumPy `.npy` arrays (format versions 1 to 3): the header's dtype, order and shape, then the
 * data, little- or big-endian. Real and integer element types are read as numbers; anything
 * else (complex, objects, strings, Fortran order) is refused with the file and what is allowed.
 */
import { readFileSync } from 'node:fs';
import { InputError } from '../../generator/errors';

export interface NpyArray {
  shape: number[];
  /** The elements in C order (the last axis fastest). */
  data: Float64Array;
}

const MAGIC = '\x93NUMPY';

/** Element types read, by the dtype's kind and size: the DataView getter of each. */
const READERS: Record<string, (view: DataView, offset: number, little: boolean) => number> = {
  f4: (v, o, l) => v.getFloat32(o, l),
  f8: (v, o, l) => v.getFloat64(o, l),
  i1: (v, o) => v.getInt8(o),
  i2: (v, o, l) => v.getInt16(o, l),
  i4: (v, o, l) => v.getInt32(o, l),
  u1: (v, o) => v.getUint8(o),
  u2: (v, o, l) => v.getUint16(o, l),
  u4: (v, o, l) => v.getUint32(o, l),
};
const ALLOWED = 'float32, float64, int8, int16, int32, uint8, uint16, uint32';

/** The header's dict, `{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }`. */
function parseHeader(file: string, header: string) {
  const descr = /'descr':\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined)
    throw new InputError(`${file}: the .npy header has no descr, fortran_order or shape`);
  if (fortran === 'True')
    throw new InputError(`${file}: a Fortran-order array (allowed: C order, NumPy's default)`);
  const shape = shapeText
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map(Number);
  if (shape.some((n) => !Number.isSafeInteger(n) || n < 0))
    throw new InputError(`${file}: shape (${shapeText}) is not a tuple of sizes`);
  const match = /^([<>|=])([a-z])(\d+)$/.exec(descr);
  const type = match ? `${match[2]}${match[3]}` : '';
  const read = READERS[type];
  if (!match || read === undefined)
    throw new InputError(`${file}: dtype '${descr}' is not read (allowed: ${ALLOWED})`);
  return { shape, read, size: Number(match[3]), little: match[1] !== '>' };
}

export function readNpy(file: string): NpyArray {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw new InputError(`${file}: cannot read (${(error as NodeJS.ErrnoException).code})`);
  }
  if (bytes.length < 10 || bytes.toString('latin1', 0, 6) !== MAGIC)
    throw new InputError(`${file}: not a .npy file (it does not start with \\x93NUMPY)`);
  const major = bytes[6] as number;
  if (major < 1 || major > 3)
    throw new InputError(`${file}: .npy format version ${major} (allowed: 1, 2, 3)`);
  const lengthBytes = major === 1 ? 2 : 4;
  const headerLength = major === 1 ? bytes.readUInt16LE(8) : bytes.readUInt32LE(8);
  const dataStart = 8 + lengthBytes + headerLength;
  if (dataStart > bytes.length) throw new InputError(`${file}: the .npy header is cut short`);
  const header = bytes.toString(major === 3 ? 'utf8' : 'latin1', 8 + lengthBytes, dataStart);
  const { shape, read, size, little } = parseHeader(file, header);
  const count = shape.reduce((product, n) => product * n, 1);
  const dataBytes = bytes.length - dataStart;
  if (dataBytes !== count * size)
    throw new InputError(
      `${file}: ${dataBytes} data bytes, where shape (${shape.join(', ')}) needs ${count * size}`,
    );
  const view = new DataView(bytes.buffer, bytes.byteOffset + dataStart, dataBytes);
  const data = new Float64Array(count);
  for (let i = 0; i < count; i += 1) data[i] = read(view, i * size, little);
  return { shape, data };
}
