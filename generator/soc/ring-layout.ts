/**
 * The in-memory layout of the descriptor and result rings of the integration shell (issue 19),
 * derived from spatten_top's `req` and `res` stream fields, so a field added to the top appears in
 * the header, the register map docs and the shell without being written twice.
 *
 * Layout rule: every field starts on a 32-bit word and takes ceil(width / 32) words, the field's
 * bits little-endian over them (bit 0 of the field is bit 0 of its first word, as on the stream:
 * element 0 of `query` and `out` in the low bits). An entry is padded to a power of two bytes, at
 * least one bus word, so entry i of a ring sits at base + (i << log2(entry bytes)) and an entry is
 * whole AXI beats. Why one field per word: software fills a descriptor with plain member stores
 * (no read-modify-write of words shared by fields), and the shell decodes a word with no shifter;
 * the padding costs at most a few hundred bytes per request, against the kilobytes of key and value
 * rows each request reads.
 */
import type { Config } from '../config/schema';
import { deriveFetcher } from '../config/derive-fetcher';
import { type Env, evalExpr } from '../dsl/expr';
import { paramEnv } from '../dsl/check';
import type { Stream } from '../dsl/ir';
import { topModule } from '../modules/top';

export const WORD_BYTES = 4;
const WORD_BITS = 8 * WORD_BYTES;

export interface RingField {
  name: string;
  /** Bits of the field on the stream. */
  width: number;
  /** First 32-bit word of the entry holding it, and how many words it takes. */
  word: number;
  words: number;
  doc: string;
}

export interface RingLayout {
  fields: RingField[];
  /** Bytes of one entry (a power of two, at least one bus word). */
  bytes: number;
}

export interface RingLayouts {
  descriptor: RingLayout;
  result: RingLayout;
}

export function layoutOf(stream: Stream, env: Env, minBytes: number): RingLayout {
  let word = 0;
  const fields = stream.fields.map((field) => {
    const width = evalExpr(field.width, env);
    const words = Math.ceil(width / WORD_BITS);
    const placed = { name: field.name, width, word, words, doc: field.doc };
    word += words;
    return placed;
  });
  let bytes = minBytes;
  while (bytes < word * WORD_BYTES) bytes *= 2;
  return { fields, bytes };
}

export function ringLayouts(config: Config): RingLayouts {
  const top = topModule(config);
  const env = paramEnv(top);
  const stream = (name: string) => {
    const found = top.streams.find((s) => s.name === name);
    if (!found) throw new Error(`${top.name} has no stream '${name}'`);
    return found;
  };
  const busBytes = Math.max(WORD_BYTES, deriveFetcher(config).busBytes);
  return {
    descriptor: layoutOf(stream('req'), env, busBytes),
    result: layoutOf(stream('res'), env, busBytes),
  };
}

/** An entry's 32-bit words (padding included, zero) from its field values. */
export function entryWords(layout: RingLayout, values: Readonly<Record<string, bigint>>): number[] {
  const words = new Array<number>(layout.bytes / WORD_BYTES).fill(0);
  for (const f of layout.fields) {
    const value = values[f.name];
    if (value === undefined) throw new Error(`no value for entry field ${f.name}`);
    for (let w = 0; w < f.words; w += 1)
      words[f.word + w] = Number(BigInt.asUintN(WORD_BITS, value >> BigInt(w * WORD_BITS)));
  }
  return words;
}

/** The field values held by an entry's words. */
export function entryFields(layout: RingLayout, words: readonly number[]): Record<string, bigint> {
  return Object.fromEntries(
    layout.fields.map((f) => {
      let value = 0n;
      for (let w = f.words - 1; w >= 0; w -= 1)
        value = (value << BigInt(WORD_BITS)) | BigInt(words[f.word + w] ?? 0);
      return [f.name, BigInt.asUintN(f.width, value)];
    }),
  );
}
