/**
 * Golden model of soc_regs (templates/soc_regs.v.hbs), one AXI4-Lite access at a time:
 * - an address selects the register at its word (bits 1:0 ignored); none there: SLVERR, reads 0,
 *   writes nothing;
 * - a write updates rw fields under the byte strobes, pulses the w1p bits written as one, clears
 *   the w1c bits written as one; ro and const bits ignore it;
 * - a read gives const fields their value, ro fields their input (a counter's HI word: the input as
 *   its LO word was last read), rw and w1c fields their stored value, w1p fields 0;
 * - hardware sets w1c bits through their set inputs.
 * Fields are named by their port stem (fieldStem).
 */
import { fieldStem } from '../../generator/modules/soc-regs';
import type { Register, RegisterField } from '../../generator/soc/register-map';

export const OKAY = 0;
export const SLVERR = 2;

export interface RegsModel {
  map: readonly Register[];
  /** Stored rw and w1c fields, and the latched HI words, by stem. */
  stored: Map<string, number>;
  /** The ro inputs, by stem. */
  inputs: Map<string, number>;
  /** w1p pulses seen, by stem. */
  pulses: Map<string, number>;
}

const bitsOf = (word: number, f: RegisterField) => Math.floor(word / 2 ** f.lsb) % 2 ** f.width;

export function createRegsModel(map: readonly Register[]): RegsModel {
  const model: RegsModel = { map, stored: new Map(), inputs: new Map(), pulses: new Map() };
  for (const r of map) {
    for (const f of r.fields) {
      const stem = fieldStem(r, f);
      if (f.access === 'rw' || f.access === 'w1c' || r.latchedByLower)
        model.stored.set(stem, f.reset);
      if (f.access === 'ro') model.inputs.set(stem, 0);
      if (f.access === 'w1p') model.pulses.set(stem, 0);
    }
  }
  return model;
}

const registerAt = (model: RegsModel, address: number) =>
  model.map.find((r) => r.offset === address - (address % 4));

export function writeRegister(
  model: RegsModel,
  address: number,
  data: number,
  strobes: number,
): number {
  const r = registerAt(model, address);
  if (!r) return SLVERR;
  let mask = 0;
  for (let byte = 0; byte < 4; byte += 1) if ((strobes >> byte) & 1) mask += 0xff * 2 ** (8 * byte);
  for (const f of r.fields) {
    const stem = fieldStem(r, f);
    const strobed = bitsOf(mask, f);
    // `>>> 0`: JavaScript's bitwise operators are signed 32-bit; fields are unsigned.
    const written = (bitsOf(data, f) & strobed) >>> 0;
    const old = model.stored.get(stem) ?? 0;
    if (f.access === 'rw') model.stored.set(stem, ((old & ~strobed) | written) >>> 0);
    if (f.access === 'w1c') model.stored.set(stem, (old & ~written) >>> 0);
    if (f.access === 'w1p' && written !== 0)
      model.pulses.set(stem, (model.pulses.get(stem) ?? 0) + 1);
  }
  return OKAY;
}

export function readRegister(model: RegsModel, address: number): { data: number; resp: number } {
  const r = registerAt(model, address);
  if (!r) return { data: 0, resp: SLVERR };
  let data = 0;
  for (const f of r.fields) {
    const stem = fieldStem(r, f);
    const value =
      f.access === 'const'
        ? f.reset
        : f.access === 'w1p'
          ? 0
          : f.access === 'ro' && !r.latchedByLower
            ? (model.inputs.get(stem) ?? 0)
            : (model.stored.get(stem) ?? 0);
    data += value * 2 ** f.lsb;
  }
  // Reading a counter's LO word latches its HI input.
  const upper = model.map[model.map.indexOf(r) + 1];
  if (upper?.latchedByLower) {
    for (const f of upper.fields) {
      const stem = fieldStem(upper, f);
      model.stored.set(stem, model.inputs.get(stem) ?? 0);
    }
  }
  return { data, resp: OKAY };
}

/** Hardware sets w1c bits (`stem` of a w1c field). */
export function setRegisterBits(model: RegsModel, stem: string, bits: number): void {
  model.stored.set(stem, ((model.stored.get(stem) ?? 0) | bits) >>> 0);
}
