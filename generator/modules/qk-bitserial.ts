/**
 * qk_bitserial: Q×K one key bit plane at a time with early termination against a threshold
 * (LeOPArd's idea, issue 18; the bound is derived in sim/golden/qk-bitserial.ts and
 * docs/leopard.md). Lanes of masked-query adder trees, each interleaving Contexts keys (a plane per
 * cycle per lane):
 * a key whose upper bound falls below the threshold leaves after that plane and frees its context;
 * a survivor runs every plane and leaves with its exact dot product. Results leave in key order
 * through a reorder buffer.
 */
import { deriveDatapath } from '../config/derive-datapath';
import type { Config } from '../config/schema';
import { ModuleBuilder } from '../dsl/builder';
import { add, addressWidth, clog2, div, max, mul, ref } from '../dsl/expr';
import type { ModuleIR } from '../dsl/ir';

export function qkBitserialModule(config: Config): ModuleIR {
  const dp = config.datapath;
  const m = new ModuleBuilder(
    config,
    'qk_bitserial',
    'Bit-serial Q×K with early termination: keys below the threshold leave after a few bit planes.',
  );
  const headDim = m.param('HeadDim', config.model.headDim, 'Elements D per query and key.');
  const queryWidth = m.param('QueryWidth', dp.queryBits, 'Query element width (signed).');
  const keyWidth = m.param('KeyWidth', dp.keyBits, 'Key element width B (signed): bit planes.');
  const indexWidth = m.param('IndexWidth', deriveDatapath(config).indexBits, 'Token index width.');
  const lanes = m.param('Lanes', dp.bitserialLanes, 'Adder-tree lanes: bit planes per cycle.');
  // Distributed arithmetic: a table of subset sums per group of four query elements.
  const groups = m.localparam('Groups', div(headDim, 4), 'Groups of four query elements.');
  m.localparam('EntryWidth', add(queryWidth, 2), 'A table entry: the sum of four elements.');
  m.localparam('GroupIndexWidth', clog2(groups), 'Bits of a group number (D/4 >= 2 groups).');
  const levels = m.localparam('TreeLevels', clog2(groups), 'Adder tree levels over the groups.');
  const stages = m.localparam(
    'TreeStages',
    div(add(levels, 1), 2),
    'Cycles through the tree: registers after every second level and the root.',
  );
  const contexts = m.localparam(
    'Contexts',
    add(stages, 2),
    'Keys interleaved per lane: a key issues its next plane when its last one has come back.',
  );
  m.localparam('TurnWidth', addressWidth(contexts), 'Bits of a context slot 0..Contexts-1.');
  m.localparam('FillCycles', 16, 'Cycles to fill the tables: one entry per cycle.');
  const loadCycles = m.localparam(
    'LoadCycles',
    add(add(ref('FillCycles'), groups), keyWidth),
    "A query's load after its beat, less one: tables, pos a group a cycle, a threshold per plane.",
  );
  m.localparam('LoadCountWidth', clog2(add(loadCycles, 1)), 'Bits of the load cycle count.');
  // A survivor stays Contexts × B cycles; a buffer that deep lets keys keep entering behind it.
  const robDepth = m.localparam(
    'RobDepth',
    mul(contexts, max(lanes, keyWidth)),
    'Keys in flight at most: every context, and every key entering while a survivor runs.',
  );
  m.localparam('RobWidth', addressWidth(robDepth), 'Bits of a reorder buffer slot.');
  m.localparam('RobCountWidth', clog2(add(robDepth, 1)), 'Bits of the slots reserved 0..RobDepth.');
  const laneWidth = m.localparam('LaneWidth', addressWidth(lanes), 'Bits of a lane number.');
  m.localparam('PlaneWidth', add(ref('EntryWidth'), levels), 'A plane sum: D/4 table entries.');
  // Port widths are expressions of the parameters (a localparam cannot size a port).
  const accWidth = add(add(queryWidth, keyWidth), clog2(headDim));
  m.localparam('AccWidth', accWidth, 'The exact dot product: no wrap over D products.');
  m.localparam(
    'BoundWidth',
    add(ref('AccWidth'), 3),
    'A per-plane threshold: T less the bound of the rest.',
  );
  const planeCountWidth = m.localparam(
    'PlaneCountWidth',
    clog2(add(keyWidth, 1)),
    'Bits of a plane count 0..B.',
  );
  m.localparam('PlaneIndexWidth', addressWidth(keyWidth), 'Bits of a plane index 0..B-1.');
  m.localparam(
    'InfoWidth',
    add(add(laneWidth, 1), indexWidth),
    'A reorder slot from its entry: the lane, `last`, the index.',
  );
  m.localparam(
    'ResultWidth',
    add(add(ref('AccWidth'), 1), planeCountWidth),
    'A reorder slot from its lane: kept, acc, planes.',
  );
  m.clockAndReset();
  m.streamIn('query', {
    doc: 'one query and its threshold per request',
    last: false,
    fields: {
      data: {
        width: mul(headDim, queryWidth),
        doc: 'D query elements sW.F; element 0 in the low bits.',
      },
      threshold: {
        width: add(accWidth, 1),
        doc:
          'Keys whose exact dot product (raw, queryFrac + keyFrac fraction bits) is below it ' +
          'are pruned.',
      },
    },
  });
  m.streamIn('key', {
    doc: 'the keys of the request, one per beat, `last` on the final one (one key at least)',
    fields: {
      data: {
        width: mul(headDim, keyWidth),
        doc: 'D key elements sW.F; element 0 in the low bits.',
      },
      index: { width: indexWidth, doc: 'Token index of the key.' },
    },
  });
  m.streamOut('score', {
    doc: 'one result per key, in key order, `last` on the request final one',
    fields: {
      index: { width: indexWidth, doc: 'Token index of the key.' },
      kept: { width: 1, doc: 'The exact dot product reaches the threshold.' },
      acc: {
        width: accWidth,
        doc: 'Kept: the exact dot product (raw). Pruned after b planes: S_b / 2^(B-b).',
      },
      planes: { width: clog2(add(keyWidth, 1)), doc: 'Bit planes processed (1..B; B when kept).' },
    },
  });
  return m.build();
}
