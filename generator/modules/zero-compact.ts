/** Zero compaction core: one beat of Lanes elements with keep flags -> kept elements packed down + count. */
import type { Config } from '../config/schema';
import { ModuleBuilder } from '../dsl/builder';
import { add, clog2, mul } from '../dsl/expr';
import type { ModuleIR } from '../dsl/ir';
import { countedBeats, flaggedBeats } from './counted-beats';

export function zeroCompactModule(config: Config): ModuleIR {
  const ze = config.zeroEliminator;
  const m = new ModuleBuilder(
    config,
    'zero_compact',
    'Zero eliminator core: packs the kept lanes of each beat down to lane 0, in order, with their count.',
  );
  const lanes = m.param('Lanes', ze.lanes, 'Elements per beat; a power of two.');
  const dataWidth = m.param('DataWidth', ze.dataBits, 'Bits per element.');
  m.localparam('Stages', clog2(lanes), 'Shift stages of the compaction network: log2(Lanes).');
  m.localparam('BeatWidth', mul(lanes, dataWidth), 'Bits per beat.');
  m.localparam('CountWidth', clog2(add(lanes, 1)), 'Bits of a count 0..Lanes.');
  m.clockAndReset();
  m.streamIn('in', flaggedBeats(lanes, dataWidth));
  m.streamOut(
    'out',
    countedBeats(lanes, dataWidth, 'compacted elements', 'Number of kept elements in this beat.'),
  );
  return m.build();
}
