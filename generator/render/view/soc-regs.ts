/**
 * View of soc_regs: per register its offset and read value, per stored field its register, reset
 * and update, all computed from the register map so the template only lays them out.
 */
import type { ModuleIR } from '../../dsl/ir';
import { fieldStem } from '../../modules/soc-regs';
import { type Register, type RegisterField, registerMap } from '../../soc/register-map';
import { breakCode } from '../columns';
import { type RenderInput, commonView } from './common';

const hexLiteral = (width: number, value: number) => `${width}'h${value.toString(16)}`;
const slice = (f: RegisterField) =>
  f.width === 1 ? `[${f.lsb}]` : `[${f.lsb + f.width - 1}:${f.lsb}]`;
const range = (width: number) => (width === 1 ? '' : `[${width - 1}:0] `);

/** What a field reads as: its literal, its register or its input port. */
function fieldValue(r: Register, f: RegisterField): string {
  const stem = fieldStem(r, f);
  if (f.access === 'const') return hexLiteral(f.width, f.reset);
  if (f.access === 'w1p') return `${f.width}'d0`;
  if (f.access === 'ro') return r.latchedByLower ? `${stem}_q` : `${stem}_i`;
  return `${stem}_q`;
}

/** The register's 32-bit read value: its fields from the top bit down, zeros between them. */
function readValue(r: Register): string {
  const parts: string[] = [];
  let next = 32;
  for (const f of [...r.fields].sort((a, b) => b.lsb - a.lsb)) {
    const top = f.lsb + f.width;
    if (top < next) parts.push(`${next - top}'d0`);
    parts.push(fieldValue(r, f));
    next = f.lsb;
  }
  if (next > 0) parts.push(`${next}'d0`);
  return parts.length === 1 ? (parts[0] as string) : `{${parts.join(', ')}}`;
}

/** The clocked update of a stored field (the template puts it in the register block). */
function update(r: Register, f: RegisterField, lower: Register | undefined): string {
  const q = `${fieldStem(r, f)}_q`;
  const hit = `wr_${r.name.toLowerCase()}`;
  const bits = slice(f);
  const none = f.width === 1 ? "1'b0" : `{${f.width}{1'b0}}`;
  if (f.access === 'rw')
    return `if (${hit}) ${q} <= (${q} & ~write_mask${bits}) | (w_data_q${bits} & write_mask${bits});`;
  if (f.access === 'w1p') return `${q} <= ${hit} ? write_ones${bits} : ${none};`;
  if (f.access === 'w1c')
    return `${q} <= ${fieldStem(r, f)}_set_i | (${q} & ~(${hit} ? write_ones${bits} : ${none}));`;
  // A counter's HI word: captured as its LO word is read, so the two read as one 64-bit value.
  return `if (rd_${lower?.name.toLowerCase()}) ${q} <= ${fieldStem(r, f)}_i;`;
}

/**
 * A statement of the register block broken to fit: `{{#seq}}` indents every line six columns, so
 * its continuation lines carry only their hang here.
 */
const SEQ_INDENT = 6;
const seqStatement = (code: string) => breakCode(code, SEQ_INDENT, 4).replace(/\n {10}/g, '\n    ');

const stored = (r: Register, f: RegisterField) =>
  f.access === 'rw' || f.access === 'w1p' || f.access === 'w1c' || r.latchedByLower === true;

export function socRegsView(module: ModuleIR, input: RenderInput) {
  const map = registerMap(input.config);
  const registers = map.map((r, index) => ({
    name: r.name,
    lower: r.name.toLowerCase(),
    offsetName: `A_${r.name}`,
    offset: String(r.offset),
    readItem: breakCode(`A_${r.name}[AddrWidth-1:2]: read_data = ${readValue(r)};`, 6, 4),
    writable: r.fields.some((f) => ['rw', 'w1p', 'w1c'].includes(f.access)),
    readLatches: map[index + 1]?.latchedByLower === true,
  }));
  const fields = map.flatMap((r, index) =>
    r.fields
      .filter((f) => stored(r, f))
      .map((f) => ({
        declaration: `reg ${range(f.width)}${fieldStem(r, f)}_q;`,
        reset: `${fieldStem(r, f)}_q <= ${hexLiteral(f.width, f.access === 'w1p' ? 0 : f.reset)};`,
        update: seqStatement(update(r, f, map[index - 1])),
        output:
          f.access === 'ro' ? undefined : `assign ${fieldStem(r, f)}_o = ${fieldStem(r, f)}_q;`,
      })),
  );
  return { ...commonView(module, input), registers, fields };
}
