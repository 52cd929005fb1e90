/** Zero compaction core: one beat of Lanes elements with keep flags -> kept elements packed down + count. */
import type { Config } from '../config/schema';
import { ModuleBuilder } from '../dsl/builder';
import { add, clog2, mul } from '../dsl/expr';
import type { ModuleIR } from '../dsl/ir';

export function zeroCompactModule(config: Config): ModuleIR {
  const ze = config.zeroEliminator;
  const m = new ModuleBuilder(config, 'zero_compact', 'Zero eliminator core: packs the kept lanes of each beat down to lane 0, in order, with their count.');
  const lanes = m.param('Lanes', ze.lanes, 'Elements per beat; a power of two.');
  const dataWidth = m.param('DataWidth', ze.dataBits, 'Bits per element.');
  m.localparam('Stages', clog2(lanes), 'Shift stages of the compaction network: log2(Lanes).');
  m.localparam('BeatWidth', mul(lanes, dataWidth), 'Bits per beat.');
  const countWidth = clog2(add(lanes, 1));
  m.localparam('CountWidth', countWidth, 'Bits of a count 0..Lanes.');
  m.clockAndReset();
  m.streamIn('in', {
    doc: 'elements with keep flags',
    fields: {
      data: { width: mul(lanes, dataWidth), doc: 'Elements, lane 0 in the low bits.' },
      keep: { width: lanes, doc: 'Keep flag per lane.' },
    },
  });
  m.streamOut('out', {
    doc: 'compacted elements',
    fields: {
      data: { width: mul(lanes, dataWidth), doc: 'Kept elements from lane 0 up, zero above.' },
      count: { width: countWidth, doc: 'Number of kept elements in this beat.' },
    },
  });
  return m.build();
}
