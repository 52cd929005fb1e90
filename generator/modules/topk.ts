/**
 * topk: exact top-k of a request. quick_select finds the k-th value and replays its candidates in index
 * order; topk keeps the elements above the k-th value and the first ties up to k, and packs them with
 * a second zero eliminator core and packer into output beats.
 */
import type { Config } from '../config/schema';
import { ModuleBuilder, streamConnections } from '../dsl/builder';
import { add, clog2, mul, ref } from '../dsl/expr';
import type { ModuleIR } from '../dsl/ir';
import {
  declareRequestStream,
  declareTopkLocalparams,
  declareTopkParams,
  quickSelectModule,
} from './quick-select';
import { streamPackerModule } from './stream-packer';
import { zeroCompactModule } from './zero-compact';

export function topkModule(config: Config): ModuleIR {
  const m = new ModuleBuilder(
    config,
    'topk',
    'Top-k engine: the min(k, n) largest values of a request (ties to the lower index) in index order.',
  );
  const p = declareTopkParams(m, config);
  const outLanes = m.param(
    'OutLanes',
    config.topk.outLanes,
    'Elements per output beat; at least Lanes.',
  );
  declareTopkLocalparams(m);
  m.clockAndReset();
  declareRequestStream(m, p);
  m.streamOut('out', {
    doc: 'selected elements in index order, packed; one packet per request',
    fields: {
      value: {
        width: mul(outLanes, p.valueWidth),
        doc: 'Selected values from lane 0 up, zero above the count.',
      },
      index: { width: mul(outLanes, p.indexWidth), doc: 'Their indices in the request.' },
      count: {
        width: clog2(add(outLanes, 1)),
        doc: 'Elements in this beat: OutLanes except on the last beat (0 for k = 0).',
      },
      error: {
        width: 1,
        doc: 'n exceeded Capacity; the request was clamped (same on every beat of the packet).',
      },
      passes: {
        width: p.passWidth,
        doc: 'Element passes of the selection (n_eff plus each later round; same on every beat).',
      },
    },
  });

  const select = quickSelectModule(config);
  const compact = zeroCompactModule(config);
  const packer = streamPackerModule(config);
  const element = ref('ElementWidth');

  const clocking = { clk_i: 'clk_i', [m.resetPort]: m.resetPort };
  const passThrough = (f: string) => `in_${f}_${f === 'ready' ? 'o' : 'i'}`;
  m.instance(
    'u_select',
    select,
    Object.fromEntries(
      ['Lanes', 'Capacity', 'ValueWidth', 'Signed', 'RadixBits', 'LengthWidth'].map((name) => [
        name,
        ref(name),
      ]),
    ),
    {
      ...clocking,
      ...streamConnections(select, 'in', passThrough),
      ...streamConnections(select, 'result', (f) => `result_${f}`),
      ...streamConnections(select, 'cand', (f) => `cand_${f}`),
    },
    'Finds the k-th value and replays the candidates in index order.',
  );
  m.instance(
    'u_compact',
    compact,
    { Lanes: ref('Lanes'), DataWidth: element },
    {
      ...clocking,
      in_valid_i: 'keep_valid',
      in_ready_o: 'keep_ready',
      in_data_i: 'keep_data',
      in_keep_i: 'keep_flags',
      in_last_i: 'keep_last',
      ...streamConnections(compact, 'out', (f) => `packed_${f}`),
    },
    'Zero eliminator core: drops the candidates that are not selected.',
  );
  m.instance(
    'u_packer',
    packer,
    { InLanes: ref('Lanes'), OutLanes: ref('OutLanes'), DataWidth: element },
    {
      ...clocking,
      ...streamConnections(packer, 'in', (f) => `packed_${f}`),
      out_valid_o: 'out_valid_o',
      out_ready_i: 'out_ready_i',
      out_data_o: 'out_data',
      out_count_o: 'out_count_o',
      out_last_o: 'out_last_o',
    },
    'Packs the selected elements into OutLanes-wide output beats.',
  );
  return m.build();
}
