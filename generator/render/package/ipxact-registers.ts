/**
 * IP-XACT (IEEE 1685-2014) memory map of the integration shell's register block, from the register
 * map (generator/soc/register-map.ts): one address block at 0, one register per entry, each field
 * with its reset value and its access kind in the standard's terms.
 */
import type { Config } from '../../config/schema';
import { type Register, type RegisterField, registerMap } from '../../soc/register-map';

/** Name of the memory map; the AXI4-Lite slave interface refers to it. */
export const REGISTER_MEMORY_MAP = 'regs';

/** 1685-2014 numbers are SystemVerilog expressions: a based literal, not a `0x` prefix. */
const hexExpression = (value: number) => `'h${value.toString(16).toUpperCase()}`;

/**
 * The field's access, in element order (volatile, access, modifiedWriteValue, testable):
 * - const: read-only and not volatile (the value never changes).
 * - ro: read-only and volatile (the hardware drives it).
 * - rw: read-write.
 * - w1c: read-write, volatile (the hardware sets it), a written one clears it.
 * - w1p: write-only. A read returns 0, not the value written (the one lasts a cycle), which is
 *   what write-only says: the read value is not the field's. Not testable: a register test
 *   writing ones would start, stop or reset the shell.
 */
function accessElements(access: RegisterField['access']): Record<string, unknown> {
  switch (access) {
    case 'const':
      return { 'ipxact:access': 'read-only' };
    case 'ro':
      return { 'ipxact:volatile': true, 'ipxact:access': 'read-only' };
    case 'rw':
      return { 'ipxact:access': 'read-write' };
    case 'w1c':
      return {
        'ipxact:volatile': true,
        'ipxact:access': 'read-write',
        'ipxact:modifiedWriteValue': 'oneToClear',
      };
    case 'w1p':
      return { 'ipxact:access': 'write-only', 'ipxact:testable': false };
  }
}

function fieldNode(f: RegisterField): Record<string, unknown> {
  return {
    'ipxact:name': f.name,
    'ipxact:description': f.doc,
    'ipxact:bitOffset': f.lsb,
    'ipxact:resets': { 'ipxact:reset': { 'ipxact:value': hexExpression(f.reset) } },
    'ipxact:bitWidth': f.width,
    ...accessElements(f.access),
  };
}

function registerNode(r: Register): Record<string, unknown> {
  return {
    'ipxact:name': r.name,
    'ipxact:description': r.doc,
    'ipxact:addressOffset': hexExpression(r.offset),
    'ipxact:size': 32,
    'ipxact:field': r.fields.map(fieldNode),
  };
}

/** The `ipxact:memoryMaps` element: its address block spans the registers, a power of two. */
export function registerMemoryMaps(config: Config): Record<string, unknown> {
  const registers = registerMap(config);
  const end = Math.max(...registers.map((r) => r.offset + 4));
  return {
    'ipxact:memoryMap': {
      'ipxact:name': REGISTER_MEMORY_MAP,
      'ipxact:addressBlock': {
        'ipxact:name': 'registers',
        'ipxact:description': 'Registers of the integration shell (32-bit, byte offsets).',
        'ipxact:baseAddress': hexExpression(0),
        'ipxact:range': hexExpression(2 ** Math.ceil(Math.log2(end))),
        'ipxact:width': 32,
        'ipxact:usage': 'register',
        'ipxact:register': registers.map(registerNode),
      },
    },
  };
}
