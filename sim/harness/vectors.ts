/**
 * Beat <-> hex line encoding shared by the harness and the testbench. A beat is the concatenation of the
 * stream's fields in declaration order (first field in the most significant bits) followed by `last`
 * in bit 0 when the stream has one.
 */
export interface StreamBeat {
  fields: Record<string, bigint>;
  last: boolean;
}

export interface BeatLayout {
  fields: { name: string; width: number }[];
  hasLast: boolean;
}

export function beatWidth(layout: BeatLayout): number {
  return layout.fields.reduce((sum, f) => sum + f.width, 0) + (layout.hasLast ? 1 : 0);
}

export function encodeBeat(layout: BeatLayout, beat: StreamBeat, where: string): bigint {
  let word = 0n;
  for (const field of layout.fields) {
    const value = beat.fields[field.name];
    if (value === undefined) throw new Error(`${where}: beat has no field ${field.name}`);
    if (value < 0n || value >= 1n << BigInt(field.width)) {
      throw new Error(
        `${where}: field ${field.name} = ${value} does not fit in ${field.width} unsigned bits`,
      );
    }
    word = (word << BigInt(field.width)) | value;
  }
  return layout.hasLast ? (word << 1n) | (beat.last ? 1n : 0n) : word;
}

export function decodeBeat(layout: BeatLayout, word: bigint): StreamBeat {
  let rest = word;
  const last = layout.hasLast ? (rest & 1n) === 1n : false;
  if (layout.hasLast) rest >>= 1n;
  const fields: Record<string, bigint> = {};
  for (const field of [...layout.fields].reverse()) {
    fields[field.name] = rest & ((1n << BigInt(field.width)) - 1n);
    rest >>= BigInt(field.width);
  }
  return { fields, last };
}

/** $readmemh text: one beat per line, zero-padded to the beat width. */
export function toHexLines(words: readonly bigint[], width: number): string {
  const digits = Math.ceil(width / 4);
  return (
    words.map((word) => word.toString(16).padStart(digits, '0')).join('\n') +
    (words.length ? '\n' : '')
  );
}

/** Two's-complement bits of a signed value (for packing signed elements into a field). */
export function toUnsigned(value: bigint, width: number): bigint {
  return BigInt.asUintN(width, value);
}

export function toSigned(value: bigint, width: number): bigint {
  return BigInt.asIntN(width, value);
}

/** Packs elements (lane 0 in the low bits) into one field. */
export function packLanes(values: readonly bigint[], width: number): bigint {
  return values.reduceRight(
    (word, value) => (word << BigInt(width)) | BigInt.asUintN(width, value),
    0n,
  );
}

export function unpackLanes(word: bigint, lanes: number, width: number): bigint[] {
  return Array.from({ length: lanes }, (_, lane) =>
    BigInt.asUintN(width, word >> BigInt(lane * width)),
  );
}
