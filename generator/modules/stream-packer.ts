/** Stream packer: re-packs partially filled beats of a packet into full output beats. */
import type { Config } from '../config/schema';
import { ModuleBuilder } from '../dsl/builder';
import { add, clog2, mul } from '../dsl/expr';
import type { ModuleIR } from '../dsl/ir';
import { countedBeats } from './counted-beats';

export function streamPackerModule(config: Config): ModuleIR {
  const ze = config.zeroEliminator;
  const m = new ModuleBuilder(
    config,
    'stream_packer',
    'Stream packer: re-packs counted, lane-0-aligned beats of a packet into full output beats.',
  );
  const inLanes = m.param('InLanes', ze.lanes, 'Elements per input beat.');
  const outLanes = m.param('OutLanes', ze.outLanes, 'Elements per output beat; at least InLanes.');
  const dataWidth = m.param('DataWidth', ze.dataBits, 'Bits per element.');
  m.localparam('InBeatWidth', mul(inLanes, dataWidth), 'Bits per input beat.');
  m.localparam('OutBeatWidth', mul(outLanes, dataWidth), 'Bits per output beat.');
  m.localparam('InCountWidth', clog2(add(inLanes, 1)), 'Bits of a count 0..InLanes.');
  m.localparam('CountWidth', clog2(add(outLanes, 1)), 'Bits of a count 0..OutLanes.');
  m.clockAndReset();
  m.streamIn(
    'in',
    countedBeats(inLanes, dataWidth, 'counted beats', 'Valid elements in this beat.'),
  );
  m.streamOut(
    'out',
    countedBeats(
      outLanes,
      dataWidth,
      'packed beats',
      'Valid elements: OutLanes except on a last beat.',
    ),
  );
  return m.build();
}
