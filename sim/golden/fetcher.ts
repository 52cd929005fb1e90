/**
 * Golden model of the DRAM fetcher: the DRAM layout, the rows a fetch stream returns, and the byte
 * accounting (the same numbers as the memory model's per-plane counters, used by the performance model).
 *
 * ## DRAM layout
 *
 * Memory is an array of AXI data beats ("words", axiDataBits wide); a word address is the byte address
 * divided by axiDataBits/8, so every base and row is beat-aligned by construction (an unaligned byte
 * base cannot be expressed; `byteToWordAddress` rejects one).
 *
 * Per head there are three planes, each with its own base word address:
 *   - K MSB plane: the high msbBits of every key element;
 *   - K LSB plane: the low lsbBits of every key element;
 *   - V plane (or an unsplit K): full elements of msbBits + lsbBits bits.
 * Row t of a plane (token t) starts at word base + t × strideBeats, strideBeats = ceil(D × bits /
 * axiDataBits). A row is its D elements packed little-endian without gaps: element e occupies bits
 * e×bits .. e×bits+bits-1 of the row (bit 0 = bit 0 of the first word); bits above D × bits up to the
 * stride are padding (zero), the only over-fetch (D × bits is a whole number of bytes by config rule).
 * Merging is exact: full = (MSB << lsbBits) | LSB, both planes holding raw two's-complement bits.
 *
 * ## Fetched rows
 *
 * Each fetch beat (base, plane, index) returns one row, in request order, of D elements of
 * msbBits + lsbBits bits: the MSB plane lands in the high bits (low bits zero), the LSB plane in the low
 * bits (high bits zero), the full plane as stored. So merging an MSB row with its LSB row is a bitwise OR.
 * `error` is set when any word of the row came back with a non-OKAY RRESP (the data is still delivered).
 */
import { type PlaneName, PLANES, deriveFetcher } from '../../generator/config/derive-fetcher';
import type { Config } from '../../generator/config/schema';

/** One beat of the fetch stream: which row of which plane. */
export interface FetchBeat {
  /** Word (beat) address of the plane's row 0. */
  base: number;
  plane: PlaneName;
  /** Token index: the row number in the plane. */
  index: number;
  last: boolean;
}

export interface FetchedRow {
  /** D elements of msbBits + lsbBits bits, element 0 in the low bits. */
  data: bigint;
  index: number;
  plane: PlaneName;
  error: boolean;
  last: boolean;
}

/** Memory contents: a data word and a tag per word address (counter plane, error response). */
export interface DramImage {
  words: bigint[];
  /** Plane code (0..3) whose counter the word's bytes count towards. */
  planeOf: number[];
  /** Word answers reads with SLVERR. */
  error: boolean[];
}

export function emptyImage(depth: number): DramImage {
  return {
    words: new Array<bigint>(depth).fill(0n),
    planeOf: new Array<number>(depth).fill(3),
    error: new Array<boolean>(depth).fill(false),
  };
}

export function byteToWordAddress(config: Config, byteAddress: number): number {
  const { busBytes } = deriveFetcher(config);
  if (byteAddress % busBytes !== 0) {
    throw new Error(
      `base address 0x${byteAddress.toString(16)} is not aligned to the AXI data width (${busBytes} bytes)`,
    );
  }
  return byteAddress / busBytes;
}

/** Packs D elements (raw bits, any sign) of `bits` each into strideBeats words. */
export function packRow(config: Config, plane: PlaneName, elements: readonly bigint[]): bigint[] {
  const d = deriveFetcher(config);
  const bits = BigInt(d.planeBits[plane]);
  const row = elements.reduceRight(
    (acc, element) => (acc << bits) | BigInt.asUintN(Number(bits), element),
    0n,
  );
  const wordBits = BigInt(config.fetcher.axiDataBits);
  return Array.from({ length: d.strideBeats[plane] }, (_, beat) =>
    BigInt.asUintN(Number(wordBits), row >> (BigInt(beat) * wordBits)),
  );
}

/** Splits a full element (msbBits + lsbBits, raw bits) into its MSB and LSB plane parts. */
export function splitElement(config: Config, full: bigint): { msb: bigint; lsb: bigint } {
  const lsbBits = BigInt(config.fetcher.lsbBits);
  const raw = BigInt.asUintN(config.fetcher.msbBits + config.fetcher.lsbBits, full);
  return { msb: raw >> lsbBits, lsb: raw & ((1n << lsbBits) - 1n) };
}

/** Writes `rows` (each D elements) of a plane into the image from word `base` on. */
export function writePlane(
  config: Config,
  image: DramImage,
  plane: PlaneName,
  base: number,
  rows: readonly (readonly bigint[])[],
): void {
  const stride = deriveFetcher(config).strideBeats[plane];
  rows.forEach((elements, row) => {
    packRow(config, plane, elements).forEach((word, beat) => {
      const address = base + row * stride + beat;
      if (address >= image.words.length)
        throw new Error(
          `plane ${plane} row ${row} lies beyond the memory image (${image.words.length} words)`,
        );
      image.words[address] = word;
      image.planeOf[address] = PLANES[plane];
    });
  });
}

/** The row one fetch beat returns, read from the image as the hardware converts it. */
export function fetchRow(config: Config, image: DramImage, beat: FetchBeat): FetchedRow {
  const d = deriveFetcher(config);
  const stride = d.strideBeats[beat.plane];
  const first = beat.base + beat.index * stride;
  let row = 0n;
  let error = false;
  for (let word = stride - 1; word >= 0; word -= 1) {
    const address = first + word;
    // Beyond the image the memory model answers DECERR with zero data.
    const inside = address < image.words.length;
    row =
      (row << BigInt(config.fetcher.axiDataBits)) | (inside ? (image.words[address] ?? 0n) : 0n);
    error ||= !inside || (image.error[address] ?? false);
  }
  const bits = d.planeBits[beat.plane];
  const shift = beat.plane === 'msb' ? BigInt(config.fetcher.lsbBits) : 0n;
  let data = 0n;
  for (let e = config.model.headDim - 1; e >= 0; e -= 1) {
    const element = BigInt.asUintN(bits, row >> BigInt(e * bits));
    data = (data << BigInt(d.planeBits.full)) | (element << shift);
  }
  return { data, index: beat.index, plane: beat.plane, error, last: beat.last };
}

export function fetchRows(
  config: Config,
  image: DramImage,
  beats: readonly FetchBeat[],
): FetchedRow[] {
  return beats.map((beat) => fetchRow(config, image, beat));
}

export interface ByteAccount {
  rows: number;
  /** Bytes read from DRAM per plane (whole beats: what the memory model counts). */
  bytesByPlane: Record<PlaneName, number>;
  bytes: number;
  /** Bytes holding elements (D × bits / 8 per row); bytes - neededBytes is stride padding. */
  neededBytes: number;
}

/**
 * DRAM traffic of a fetch stream. Consecutive rows coalesce into bursts but bursts never over-fetch:
 * every row costs exactly strideBeats beats, so the total does not depend on burst boundaries.
 */
export function byteAccounting(config: Config, beats: readonly FetchBeat[]): ByteAccount {
  const d = deriveFetcher(config);
  const bytesByPlane: Record<PlaneName, number> = { msb: 0, lsb: 0, full: 0 };
  let neededBytes = 0;
  for (const beat of beats) {
    bytesByPlane[beat.plane] += d.strideBeats[beat.plane] * d.busBytes;
    neededBytes += d.rowBytes[beat.plane];
  }
  const bytes = bytesByPlane.msb + bytesByPlane.lsb + bytesByPlane.full;
  return { rows: beats.length, bytesByPlane, bytes, neededBytes };
}
