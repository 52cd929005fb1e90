/**
 * Beat layout shared by the qk_array and pv_array targets: rows of D elements travel RowsPerBeat per beat
 * (M >= D) or as Slices beats of SliceLen elements (M < D). Lanes of absent rows carry filler so the
 * tests prove the hardware ignores them.
 */
import type { DatapathDerived } from '../../../generator/config/derive-datapath';
import type { Rng } from '../random';
import { packLanes } from '../vectors';

/** Splits `rows` into beat groups of RowsPerBeat; a request without rows still sends one empty group. */
export function rowGroups<T>(rows: readonly T[], rowsPerBeat: number): T[][] {
  const groups: T[][] = [];
  for (let first = 0; first < rows.length; first += rowsPerBeat)
    groups.push(rows.slice(first, first + rowsPerBeat));
  return groups.length > 0 ? groups : [[]];
}

/**
 * Splits `rows` into beat groups as a producer may: mostly RowsPerBeat rows, about one beat in six
 * partial or empty (count 0), and about one request in eight ending with an extra empty beat.
 */
export function raggedRowGroups<T>(rows: readonly T[], rowsPerBeat: number, rng: Rng): T[][] {
  const groups: T[][] = [];
  for (let first = 0; first < rows.length; ) {
    const take = rng.chance(0.16) ? rng.int(0, rowsPerBeat) : rowsPerBeat;
    groups.push(rows.slice(first, first + take));
    first += take;
  }
  if (groups.length === 0 || rng.chance(0.12)) groups.push([]);
  return groups;
}

/**
 * The element field of slice `slice` of a group: row r at elements r×SliceLen.. of the beat; absent
 * rows filled by `filler`.
 */
export function packSlice(
  shape: DatapathDerived,
  group: readonly (readonly bigint[])[],
  slice: number,
  bits: number,
  filler: () => bigint,
): bigint {
  const lanes: bigint[] = [];
  for (let row = 0; row < shape.rowsPerBeat; row += 1) {
    const elements = group[row];
    for (let e = 0; e < shape.sliceLen; e += 1)
      lanes.push(elements ? (elements[slice * shape.sliceLen + e] ?? 0n) : filler());
  }
  return packLanes(lanes, bits);
}

/** One value per row of a group, absent rows filled by `filler`, packed lane 0 in the low bits. */
export function packRows(
  shape: DatapathDerived,
  values: readonly bigint[],
  bits: number,
  filler: () => bigint,
): bigint {
  return packLanes(
    Array.from({ length: shape.rowsPerBeat }, (_, row) => values[row] ?? filler()),
    bits,
  );
}

/** Filler for absent lanes: random bits, so a hardware that reads them gives wrong results. */
export function randomFiller(rng: Rng, bits: number): () => bigint {
  return () => rng.bits(bits);
}

/** A random signed raw value of `bits` bits, with the extremes over-represented. */
export function randomSigned(rng: Rng, bits: number): bigint {
  const min = -(1n << BigInt(bits - 1));
  const roll = rng.int(0, 19);
  if (roll === 0) return min;
  if (roll === 1) return -min - 1n;
  return BigInt.asIntN(bits, rng.bits(bits));
}
