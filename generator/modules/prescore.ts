/**
 * prescore: SPRINT's pre-score (issue 17) as a digital near-memory unit. For every candidate key it
 * reads only the top P bits of each element and says whether the key's exact dot product may still
 * reach the request's threshold (the bound in sim/golden/prescore.ts): a key that fails is pruned
 * before anything else reads it; one that passes is fetched whole and scored exactly. One key per
 * cycle, in order, with its own key stream so that an integrator can place it next to the memory.
 */
import { deriveDatapath } from '../config/derive-datapath';
import type { Config } from '../config/schema';
import { ModuleBuilder } from '../dsl/builder';
import { add, addressWidth, clog2, div, mul, sub } from '../dsl/expr';
import type { ModuleIR } from '../dsl/ir';
import { thresholdQueryStream } from './threshold-query';

export function prescoreModule(config: Config): ModuleIR {
  const dp = config.datapath;
  const m = new ModuleBuilder(
    config,
    'prescore',
    'Pre-score: a key passes when its dot product on its top bits may still reach the threshold.',
  );
  const headDim = m.param('HeadDim', config.model.headDim, 'Elements D per query and key.');
  const queryWidth = m.param('QueryWidth', dp.queryBits, 'Query element width (signed).');
  const keyWidth = m.param('KeyWidth', dp.keyBits, 'Key element width B (signed).');
  const preBits = m.param('PreBits', dp.prescoreBits, 'Top bits P of each key element read.');
  const indexWidth = m.param('IndexWidth', deriveDatapath(config).indexBits, 'Token index width.');
  m.localparam('RestBits', sub(keyWidth, preBits), 'Low bits r = B - P of each element not read.');
  const accWidth = add(add(queryWidth, keyWidth), clog2(headDim));
  m.localparam('AccWidth', accWidth, 'The exact dot product: no wrap over D products.');
  const sumWidth = add(add(add(queryWidth, preBits), clog2(headDim)), 4);
  m.localparam('SumWidth', sumWidth, 'Σ q·t and the limit it is compared with, with no wrap.');
  const groups = m.localparam('Groups', div(headDim, 4), 'Groups of four query elements.');
  const entryWidth = m.localparam(
    'EntryWidth',
    add(queryWidth, 2),
    'A table entry: the sum of four elements.',
  );
  const groupLevels = m.localparam('GroupLevels', clog2(groups), 'Adder levels of a plane sum.');
  m.localparam('PlaneWidth', add(entryWidth, groupLevels), 'A plane sum: D/4 table entries.');
  const combineLevels = m.localparam(
    'CombineLevels',
    clog2(add(preBits, 1)),
    'Adder levels over the P weighted plane sums and the bias.',
  );
  m.localparam('QueryLevels', clog2(headDim), 'Adder levels of pos over a query.');
  const latency = m.localparam(
    'Latency',
    add(div(add(groupLevels, 1), 2), div(add(combineLevels, 1), 2)),
    'Cycles from a key beat to its result: registers after every second level and each root.',
  );
  m.localparam(
    'LoadCycles',
    16,
    "Cycles after a query's beat before it may take keys: its tables, one entry per cycle.",
  );
  const depth = m.localparam('Depth', add(latency, 2), 'Results held: in flight and waiting.');
  m.localparam('SlotWidth', addressWidth(depth), 'Bits of a result slot.');
  m.localparam('CountWidth', clog2(add(depth, 1)), 'Bits of a count 0..Depth.');
  m.clockAndReset();
  thresholdQueryStream(m, { headDim, queryWidth, accWidth }, 'may be pruned');
  m.streamIn('key', {
    doc:
      'the candidate keys of the request, one per beat, `last` on the final one (one key at ' +
      'least): each the top P bits of its elements and its token index',
    fields: {
      data: {
        width: mul(headDim, preBits),
        doc: 'Bits B-1..B-P of each element (P-bit two\u2019s complement); element 0 low.',
      },
      index: { width: indexWidth, doc: 'Token index of the key.' },
    },
  });
  m.streamOut('keep', {
    doc: 'one result per key, in key order, `last` on the request final one',
    fields: {
      index: { width: indexWidth, doc: 'Token index of the key.' },
      pass: {
        width: 1,
        doc: 'The exact dot product may reach the threshold: fetch the key whole.',
      },
    },
  });
  return m.build();
}
