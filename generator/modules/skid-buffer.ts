/**
 * Skid buffer (register slice): the stream register every unit boundary goes through, so that no
 * combinational path runs from one unit's handshake into another's (DESIGN.md, timing). Both the
 * forward path (valid, payload) and `ready` leave registers; one cycle of latency, one beat per cycle.
 */
import type { Config } from '../config/schema';
import { ModuleBuilder } from '../dsl/builder';
import type { ExprLike } from '../dsl/expr';
import type { ModuleIR } from '../dsl/ir';

export function skidBufferModule(config: Config): ModuleIR {
  const m = new ModuleBuilder(
    config,
    'skid_buffer',
    'Skid buffer: a stream register slice with registered valid, payload and ready.',
  );
  const width = m.param(
    'Width',
    8,
    'Bits of the beat payload (pack `last` and every field into it).',
  );
  m.clockAndReset();
  m.streamIn('in', { doc: 'beats in', last: false, fields: { data: { width, doc: 'Payload.' } } });
  m.streamOut('out', {
    doc: 'the same beats, in order, one cycle later at the earliest',
    last: false,
    fields: { data: { width, doc: 'Payload.' } },
  });
  return m.build();
}

/**
 * A skid buffer instance `u_<name>` in `m` on the nets `<name>_in_valid`, `<name>_in_ready`,
 * `<name>_in_data` (the template packs the payload) and `<name>_out_valid`, `<name>_out_ready`,
 * `<name>_out_data` (the template unpacks it).
 */
export function skidBufferInstance(
  m: ModuleBuilder,
  slice: ModuleIR,
  name: string,
  width: ExprLike,
  doc: string,
): void {
  const ports = ['in_valid', 'in_ready', 'in_data', 'out_valid', 'out_ready', 'out_data'];
  const io = (port: string) => (['in_ready', 'out_valid', 'out_data'].includes(port) ? 'o' : 'i');
  m.instance(
    `u_${name}`,
    slice,
    { Width: width },
    {
      clk_i: 'clk_i',
      [m.resetPort]: m.resetPort,
      ...Object.fromEntries(ports.map((p) => [`${p}_${io(p)}`, `${name}_${p}`])),
    },
    `${doc}: skid buffer at the unit boundary.`,
  );
}
