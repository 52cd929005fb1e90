/**
 * soc_regs: the integration shell's register block, an AXI4-Lite slave built from the register map
 * (generator/soc/register-map.ts). Each field becomes hardware-side ports by its access kind:
 * rw and w1p an output, w1c a set input and an output, ro an input, const nothing (a literal).
 */
import type { Config } from '../config/schema';
import { ModuleBuilder } from '../dsl/builder';
import type { ModuleIR } from '../dsl/ir';
import { type Register, type RegisterField, registerMap } from '../soc/register-map';

/** The window the slave decodes: 4 KB, the AXI4-Lite page an interconnect assigns. */
export const REGISTER_ADDRESS_BITS = 12;

/** Stem of a field's hardware ports: the register's name, then the field's unless it is the word. */
export function fieldStem(r: Register, f: RegisterField): string {
  return (f.name === 'VALUE' ? r.name : `${r.name}_${f.name}`).toLowerCase();
}

export function socRegsModule(config: Config): ModuleIR {
  const m = new ModuleBuilder(
    config,
    'soc_regs',
    'Register block of the integration shell: an AXI4-Lite slave over the generated register map.',
  );
  const addr = m.param(
    'AddrWidth',
    REGISTER_ADDRESS_BITS,
    'AXI4-Lite byte address bits decoded (the register window is 2^AddrWidth bytes).',
  );
  m.clockAndReset();
  const s = 's_axil';
  m.input(`${s}_awvalid_i`, 1, 'Write address valid.')
    .output(`${s}_awready_o`, 1, 'Write address accepted (a register: one write at a time).')
    .input(`${s}_awaddr_i`, addr, 'Write byte address (bits 1:0 ignored).')
    .input(`${s}_wvalid_i`, 1, 'Write data valid.')
    .output(`${s}_wready_o`, 1, 'Write data accepted.')
    .input(`${s}_wdata_i`, 32, 'Write data.')
    .input(`${s}_wstrb_i`, 4, 'Byte enables of the write data.')
    .output(`${s}_bvalid_o`, 1, 'Write response valid.')
    .input(`${s}_bready_i`, 1, 'Write response taken.')
    .output(`${s}_bresp_o`, 2, 'OKAY (00), or SLVERR (10) for an address with no register.')
    .input(`${s}_arvalid_i`, 1, 'Read address valid.')
    .output(`${s}_arready_o`, 1, 'Read address accepted (a register: one read at a time).')
    .input(`${s}_araddr_i`, addr, 'Read byte address (bits 1:0 ignored).')
    .output(`${s}_rvalid_o`, 1, 'Read data valid.')
    .input(`${s}_rready_i`, 1, 'Read data taken.')
    .output(`${s}_rdata_o`, 32, 'Read data.')
    .output(`${s}_rresp_o`, 2, 'OKAY (00), or SLVERR (10) for an address with no register.');
  for (const r of registerMap(config)) {
    for (const f of r.fields) {
      const stem = fieldStem(r, f);
      if (f.access === 'rw') m.output(`${stem}_o`, f.width, `${r.name}.${f.name}: ${f.doc}`);
      if (f.access === 'w1p')
        m.output(`${stem}_o`, f.width, `${r.name}.${f.name} (one-cycle pulse): ${f.doc}`);
      if (f.access === 'w1c') {
        m.input(`${stem}_set_i`, f.width, `Sets ${r.name}.${f.name} (over a clearing write).`);
        m.output(`${stem}_o`, f.width, `${r.name}.${f.name}: ${f.doc}`);
      }
      if (f.access === 'ro') m.input(`${stem}_i`, f.width, `${r.name}.${f.name}: ${f.doc}`);
    }
  }
  return m.build();
}
