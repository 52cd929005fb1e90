/**
 * The register map of the integration shell (issue 19) as data: one description from which the C
 * header, the Markdown register map (and, with the shell, its Verilog and IP-XACT memoryMaps) are
 * rendered. 32-bit registers on an AXI4-Lite slave, byte offsets, little-endian.
 *
 * Access kinds: `const` read-only constant (its reset value), `ro` read-only (hardware drives it),
 * `rw` read-write, `w1c` write one to clear (hardware sets it), `w1p` write one to pulse (a command
 * for one cycle; reads as 0).
 */
import type { Config } from '../config/schema';
import { deriveFetcher } from '../config/derive-fetcher';
import { GENERATOR_VERSION } from '../version';
import { ringLayouts } from './ring-layout';

export type Access = 'const' | 'ro' | 'rw' | 'w1c' | 'w1p';

export interface RegisterField {
  name: string;
  lsb: number;
  width: number;
  access: Access;
  reset: number;
  doc: string;
}

export interface Register {
  name: string;
  offset: number;
  doc: string;
  fields: RegisterField[];
  /** The hardware value is captured when the register just below is read (a counter's HI word). */
  latchedByLower?: boolean;
}

/** `value` in upper-case hexadecimal with at least `digits` digits, 0x-prefixed. */
export const hexText = (value: number, digits: number) =>
  `0x${value.toString(16).toUpperCase().padStart(digits, '0')}`;

/** "SPAT" in ASCII: software checks it before anything else. */
export const ID_MAGIC = 0x53504154;

/** Status error codes: why the shell stopped taking descriptors (0: none). */
export const ERROR_CODES = [
  { name: 'NONE', value: 0, doc: 'No error.' },
  { name: 'BAD_RING', value: 1, doc: 'A ring base not entry-aligned, or a size of 0.' },
  { name: 'DESC_OVERFLOW', value: 2, doc: 'The descriptor tail was written beyond the ring size.' },
  { name: 'DESC_READ', value: 3, doc: 'The memory answered a descriptor read with an error.' },
  { name: 'RESULT_WRITE', value: 4, doc: 'The memory answered a result write with an error.' },
  {
    name: 'DESC_INVALID',
    value: 5,
    doc:
      'A result came back with its error flag (a malformed descriptor or a K/V read error): ' +
      'its entry says which; the queue goes on.',
  },
] as const;

const field = (
  name: string,
  lsb: number,
  width: number,
  access: Access,
  doc: string,
  reset = 0,
): RegisterField => ({ name, lsb, width, access, reset, doc });

const word = (name: string, access: Access, doc: string, reset = 0): RegisterField =>
  field(name, 0, 32, access, doc, reset);

/** Registers laid out from `start`, one word each, in order. */
function block(start: number, registers: readonly Omit<Register, 'offset'>[]): Register[] {
  return registers.map((r, i) => ({ ...r, offset: start + 4 * i }));
}

/** A 64-bit counter as a LO and a HI register (read LO first: it latches HI). */
function counter(name: string, doc: string): Omit<Register, 'offset'>[] {
  return [
    { name: `${name}_LO`, doc: `${doc} Bits 31:0; reading it latches the HI word.`, fields: [] },
    {
      name: `${name}_HI`,
      doc: `${doc} Bits 63:32, as latched by the last LO read.`,
      fields: [],
      latchedByLower: true,
    },
  ].map((r) => ({ ...r, fields: [word('VALUE', 'ro', r.doc)] }));
}

function versionFields(): RegisterField[] {
  const [major = 0, minor = 0, patch = 0] = GENERATOR_VERSION.split('.').map(Number);
  return [
    field('PATCH', 0, 8, 'const', 'Generator patch version.', patch),
    field('MINOR', 8, 8, 'const', 'Generator minor version.', minor),
    field('MAJOR', 16, 8, 'const', 'Generator major version.', major),
  ];
}

/**
 * A ring's registers. Each end is advanced by one side: the shell's end is read-only, software's
 * read-write (descriptors: the shell reads at HEAD, software writes at TAIL; results: the shell
 * writes at TAIL, software reads at HEAD). The ring is empty when HEAD = TAIL and holds at most
 * SIZE - 1 entries.
 */
function ring(
  which: 'DESC' | 'RES',
  shellEnd: 'HEAD' | 'TAIL',
  ends: Record<'HEAD' | 'TAIL', string>,
) {
  const lower = which === 'DESC' ? 'descriptor' : 'result';
  const registers: [string, Access, string][] = [
    ['BASE_LO', 'rw', `Byte address of entry 0 of the ${lower} ring, bits 31:0 (entry-aligned).`],
    ['BASE_HI', 'rw', 'Bits 63:32 of the same address.'],
    ['SIZE', 'rw', 'Entries in the ring (at least 2).'],
    ['HEAD', shellEnd === 'HEAD' ? 'ro' : 'rw', ends.HEAD],
    ['TAIL', shellEnd === 'TAIL' ? 'ro' : 'rw', ends.TAIL],
  ];
  return registers.map(([name, access, doc]) => ({
    name: `${which}_${name}`,
    doc,
    fields: [word('VALUE', access, doc)],
  }));
}

/** The generated parameters software can read: constants of this configuration. */
function parameterRegisters(config: Config): Omit<Register, 'offset'>[] {
  const layouts = ringLayouts(config);
  const constants: [string, number, string][] = [
    ['HEAD_DIM', config.model.headDim, 'Elements per query, key and value row (D).'],
    ['MAX_TOKENS', config.model.maxTokens, 'Most tokens of a decode step.'],
    ['HEADS', config.top.heads, 'Heads per layer.'],
    ['LAYERS', config.top.layers, 'Layers per decode step.'],
    ['CHANNELS', config.fetcher.channels, 'AXI4 read channels for the key and value planes.'],
    ['BUS_BYTES', deriveFetcher(config).busBytes, 'Bytes per beat of those channels.'],
    ['QUERY_BITS', config.datapath.queryBits, 'Bits per query element.'],
    ['OUT_BITS', config.datapath.outBits, 'Bits per attention output element.'],
    ['PROB_BITS', config.datapath.probBits, 'Bits per probability.'],
    ['KEY_MSB_BITS', config.fetcher.msbBits, 'Bits per element of the MSB key plane.'],
    ['KEY_LSB_BITS', config.fetcher.lsbBits, 'Bits per element of the LSB key plane.'],
    ['DESC_BYTES', layouts.descriptor.bytes, 'Bytes per descriptor ring entry.'],
    ['RES_BYTES', layouts.result.bytes, 'Bytes per result ring entry.'],
  ];
  return constants.map(([name, value, doc]) => ({
    name: `PARAM_${name}`,
    doc,
    fields: [word('VALUE', 'const', doc, value)],
  }));
}

export function registerMap(config: Config): Register[] {
  const errorList = ERROR_CODES.map((c) => `${c.value} ${c.name}`).join(', ');
  return [
    ...block(0x000, [
      {
        name: 'ID',
        doc: 'Identifies the IP.',
        fields: [word('MAGIC', 'const', '"SPAT".', ID_MAGIC)],
      },
      { name: 'VERSION', doc: 'Version of the generator that wrote it.', fields: versionFields() },
      {
        name: 'CONTROL',
        doc: 'Commands and the interrupt enable.',
        fields: [
          field('START', 0, 1, 'w1p', 'Start taking descriptors from DESC_HEAD up to DESC_TAIL.'),
          field('STOP', 1, 1, 'w1p', 'Stop after the descriptors already read.'),
          field('SOFT_RESET', 2, 1, 'w1p', 'Reset the shell and the accelerator (not this block).'),
          field(
            'IRQ_ENABLE',
            8,
            1,
            'rw',
            'Drive the interrupt output while STATUS.DONE, ERROR or RES_FULL is set.',
          ),
        ],
      },
      {
        name: 'STATUS',
        doc: 'State of the shell.',
        fields: [
          field('BUSY', 0, 1, 'ro', 'Descriptors are being taken or results written.'),
          field('DONE', 1, 1, 'w1c', 'Every descriptor up to DESC_TAIL has its result in memory.'),
          field('ERROR', 2, 1, 'w1c', 'The shell stopped on an error (ERROR_CODE says which).'),
          field(
            'RES_FULL',
            3,
            1,
            'ro',
            'Descriptors wait for result entries software has not freed: read them, move RES_HEAD.',
          ),
          field('ERROR_CODE', 8, 4, 'ro', `Why: ${errorList}.`),
        ],
      },
      {
        name: 'DESC_CONSUMED',
        doc: 'Descriptors taken since the last soft reset (wraps).',
        fields: [word('VALUE', 'ro', 'Count.')],
      },
    ]),
    ...block(
      0x020,
      ring('DESC', 'HEAD', {
        HEAD: 'Next entry the shell reads.',
        TAIL: 'Next entry software writes.',
      }),
    ),
    ...block(
      0x040,
      ring('RES', 'TAIL', {
        HEAD: 'Next entry software reads.',
        TAIL: 'Next entry the shell writes.',
      }),
    ),
    ...block(0x060, [
      ...counter('CYCLES', 'Cycles while BUSY.'),
      ...counter('KEY_BYTES', 'Bytes read from the first key plane (MSB or full).'),
      ...counter('LSB_BYTES', 'Bytes read from the LSB key plane.'),
      ...counter('VALUE_BYTES', 'Bytes read from the value plane.'),
      ...counter('REQUESTS', 'Results written.'),
      ...counter('REFETCHES', 'Results whose LSB plane was fetched.'),
    ]),
    ...block(0x100, parameterRegisters(config)),
  ];
}
