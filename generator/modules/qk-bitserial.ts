/**
 * qk_bitserial: Q×K one key bit plane at a time with early termination against a threshold
 * (LeOPArd's idea, issue 18; the bound is derived in sim/golden/qk-bitserial.ts and
 * docs/leopard.md). Lanes of adder trees over distributed-arithmetic tables, each interleaving
 * Contexts keys (a plane per cycle per lane): a key whose upper bound falls below the threshold
 * leaves after that plane and frees its context; a survivor runs every plane and leaves with its
 * exact dot product. Results leave in key order through a reorder buffer. A key arrives as its
 * sign plane; each lane reads the key's further planes, one at a time and only while the key runs,
 * from a plane-major key memory (a synchronous read port per lane), so the unit stores no key.
 */
import { deriveDatapath } from '../config/derive-datapath';
import type { Config } from '../config/schema';
import { ModuleBuilder } from '../dsl/builder';
import { add, addressWidth, clog2, div, max, mul, ref } from '../dsl/expr';
import type { ModuleIR } from '../dsl/ir';
import { thresholdQueryStream } from './threshold-query';

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
    add(stages, 3),
    'Keys interleaved per lane: a plane issues, is summed, decided, and the next one read.',
  );
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
  const addrWidth = add(add(indexWidth, addressWidth(keyWidth)), 1);
  m.localparam('PlaneAddrWidth', addrWidth, 'A plane read address: {bank, index, plane}.');
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
  thresholdQueryStream(m, { headDim, queryWidth, accWidth }, 'are pruned');
  m.streamIn('key', {
    doc:
      'the keys of the request, one per beat, `last` on the final one (one key at least): ' +
      'each its sign plane and its token index (distinct within a request)',
    fields: {
      data: {
        width: headDim,
        doc: 'The sign plane: bit B-1 of each of the D key elements; element 0 in bit 0.',
      },
      index: { width: indexWidth, doc: 'Token index of the key: its row in the key memory.' },
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
  // The key memory: bank b holds the keys of the requests on that bank (they alternate, the first
  // on bank 0; a request's bank is written as its keys enter and not again until they have left).
  m.output(
    'plane_read_en_o',
    lanes,
    'Per lane: read a plane (synchronous: the data is on plane_data_i the next cycle).',
  );
  m.output(
    'plane_read_addr_o',
    mul(lanes, addrWidth),
    'Per lane, {bank, token index, plane j}: plane j (1..B-1) holds bit B-1-j of each element.',
  );
  m.input(
    'plane_data_i',
    mul(lanes, headDim),
    'Per lane, the plane read the cycle before: element 0 in the low bit.',
  );
  return m.build();
}
