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
    },
  });

  const select = quickSelectModule(config);
  const compact = zeroCompactModule(config);
  const packer = streamPackerModule(config);
  const countWidth = ref('CountWidth');
  const element = ref('ElementWidth');
  m.net('result_valid', 1, 'quick_select result valid.')
    .net('result_ready', 1, 'topk takes the result (when it holds none).')
    .net('result_kth', p.valueWidth, 'k-th largest value.')
    .net('result_greater', countWidth, 'Elements above the k-th value.')
    .net(
      'result_at_least',
      countWidth,
      'Elements at or above it: equal to selected when every tie is taken.',
    )
    .net('result_selected', countWidth, 'min(k, n_eff).')
    .net('result_error', 1, 'n exceeded Capacity.')
    .net('cand_valid', 1, 'Candidate beat valid.')
    .net('cand_ready', 1, 'topk takes the candidate beat.')
    .net('cand_data', ref('BeatWidth'), 'Candidate elements {index, value}.')
    .net('cand_count', ref('LaneCountWidth'), 'Candidates in the beat.')
    .net('cand_last', 1, 'Final candidate beat.')
    .net('keep_valid', 1, 'Candidate beat with keep flags enters the output compaction.')
    .net('keep_ready', 1, 'Output compaction takes it.')
    .net('keep_data', ref('BeatWidth'), 'Elements {index, value} of the classified candidate beat.')
    .net('keep_flags', ref('Lanes'), 'Selected lanes of the classified beat.')
    .net('keep_last', 1, 'The beat holds the last selected element: it ends the packet.')
    .net('packed_valid', 1, 'Compacted selected elements valid.')
    .net('packed_ready', 1, 'Output packer takes them.')
    .net('packed_data', ref('BeatWidth'), 'Selected elements from lane 0 up.')
    .net('packed_count', ref('LaneCountWidth'), 'Selected elements in the beat.')
    .net('packed_last', 1, 'Compacted beat ends the packet.')
    .net('out_data', mul(ref('OutLanes'), element), 'Packed output elements {index, value}.');

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
