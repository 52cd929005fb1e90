/**
 * The one on-chip memory: a simple dual-port RAM (one write port, one read port) with a registered
 * read, optionally followed by the output register, the form every FPGA block RAM and ASIC SRAM
 * compiler maps. Users set Depth, Width and OutputReg on the instance; the defaults below are
 * placeholders, fixed so the emitted file never depends on which unit instantiated it first.
 */
import type { Config } from '../config/schema';
import { ModuleBuilder } from '../dsl/builder';
import { addressWidth, ref } from '../dsl/expr';
import type { ModuleIR } from '../dsl/ir';

export function syncRamModule(config: Config): ModuleIR {
  const m = new ModuleBuilder(
    config,
    'sync_ram',
    'Simple dual-port RAM with a registered read port (maps to block RAM / SRAM).',
  );
  const depth = m.param('Depth', 256, 'Words; at least 1.');
  const width = m.param('Width', 32, 'Bits per word.');
  m.param(
    'OutputReg',
    0,
    'Read latency 1 + OutputReg: 1 adds the block RAM output register (users whose read pipeline can wait a cycle).',
  );
  m.input('clk_i', 1, 'Clock; write and read are both synchronous.');
  m.input('write_en_i', 1, 'Write data_i to write_addr_i at the clock edge.');
  m.input('write_addr_i', addressWidth(depth), 'Write address.');
  m.input('write_data_i', width, 'Write data.');
  m.input(
    'read_en_i',
    1,
    'Load read_data_o from read_addr_i at the clock edge (otherwise it holds).',
  );
  m.input('read_addr_i', addressWidth(ref('Depth')), 'Read address.');
  m.output(
    'read_data_o',
    width,
    'Word read 1 + OutputReg enabled edges ago. Reading the address being written returns the old word.',
  );
  return m.build();
}
