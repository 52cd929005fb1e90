/**
 * Zero eliminator: the compaction core, followed (in packing mode) by the stream packer. Packing is a
 * structural choice of the config (`zeroEliminator.pack`); lane counts and widths stay parameters.
 */
import type { Config } from '../config/schema';
import { ModuleBuilder, streamConnections } from '../dsl/builder';
import { ref } from '../dsl/expr';
import type { ModuleIR } from '../dsl/ir';
import { countedBeats, flaggedBeats } from './counted-beats';
import { streamPackerModule } from './stream-packer';
import { zeroCompactModule } from './zero-compact';

export function zeroEliminatorModule(config: Config): ModuleIR {
  const ze = config.zeroEliminator;
  const compact = zeroCompactModule(config);
  const m = new ModuleBuilder(
    config,
    'zero_eliminator',
    ze.pack
      ? 'Zero eliminator: drops unflagged lanes and re-packs the kept elements of a packet into full beats.'
      : 'Zero eliminator: drops unflagged lanes and packs the kept ones of each beat down to lane 0.',
    'structural',
  );
  const lanes = m.param('Lanes', ze.lanes, 'Elements per input beat; a power of two.');
  const dataWidth = m.param('DataWidth', ze.dataBits, 'Bits per element.');
  const outLanes = ze.pack
    ? m.param('OutLanes', ze.outLanes, 'Elements per output beat; at least Lanes.')
    : lanes;
  m.clockAndReset();
  m.streamIn('in', flaggedBeats(lanes, dataWidth));
  m.streamOut(
    'out',
    ze.pack
      ? countedBeats(
          outLanes,
          dataWidth,
          'packed kept elements',
          'Elements in this beat: OutLanes except on a last beat.',
        )
      : countedBeats(outLanes, dataWidth, 'compacted elements', 'Kept elements in this beat.'),
  );
  const clocking = { clk_i: 'clk_i', [m.resetPort]: m.resetPort };
  const inputSide = streamConnections(
    compact,
    'in',
    (field) => `in_${field}_${field === 'ready' ? 'o' : 'i'}`,
  );
  const compactParams = { Lanes: ref('Lanes'), DataWidth: ref('DataWidth') };
  if (!ze.pack) {
    const outputSide = streamConnections(
      compact,
      'out',
      (field) => `out_${field}_${field === 'ready' ? 'i' : 'o'}`,
    );
    m.instance(
      'u_compact',
      compact,
      compactParams,
      { ...clocking, ...inputSide, ...outputSide },
      'Compaction core.',
    );
    return m.build();
  }
  const packer = streamPackerModule(config);
  const toMid = (field: string) => `mid_${field}`;
  m.instance(
    'u_compact',
    compact,
    compactParams,
    { ...clocking, ...inputSide, ...streamConnections(compact, 'out', toMid) },
    'Compaction core.',
  );
  const outputSide = streamConnections(
    packer,
    'out',
    (field) => `out_${field}_${field === 'ready' ? 'i' : 'o'}`,
  );
  m.instance(
    'u_packer',
    packer,
    { InLanes: ref('Lanes'), OutLanes: ref('OutLanes'), DataWidth: ref('DataWidth') },
    { ...clocking, ...streamConnections(packer, 'in', toMid), ...outputSide },
    'Re-packs compacted beats into full OutLanes beats.',
  );
  return m.build();
}
