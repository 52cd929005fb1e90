/**
 * quick_select: finds the k-th largest of n values arriving in beats of P, reports it with the counts
 * strictly greater and greater-or-equal, then replays its candidate buffer (a superset of the top k, in
 * index order) for topk. Partitioning uses the zero eliminator core and the stream packer as instances.
 */
import type { Config } from '../config/schema';
import { ModuleBuilder, streamConnections } from '../dsl/builder';
import { type Expr, add, clog2, div, mul, ref } from '../dsl/expr';
import type { ModuleIR } from '../dsl/ir';
import { streamPackerModule } from './stream-packer';
import { zeroCompactModule } from './zero-compact';

/** The parameters quick_select and topk share, declared on a builder in the same order. */
export function declareTopkParams(m: ModuleBuilder, config: Config) {
  const t = config.topk;
  const lanes = m.param('Lanes', t.parallelism, 'Elements compared per cycle (P); a power of two.');
  const capacity = m.param(
    'Capacity',
    t.capacity,
    'Most elements per request; a multiple of Lanes, at least 2*Lanes.',
  );
  const valueWidth = m.param('ValueWidth', t.valueBits, 'Bits per value.');
  m.param('Signed', t.signed ? 1 : 0, "1: values are two's complement; 0: unsigned.");
  const radixBits = m.param(
    'RadixBits',
    t.radixBits,
    'Value bits resolved per selection round; divides ValueWidth.',
  );
  const lengthWidth = m.param(
    'LengthWidth',
    t.lengthBits,
    'Bits of the per-request n and k fields; holds Capacity.',
  );
  return {
    lanes,
    capacity,
    valueWidth,
    lengthWidth,
    indexWidth: clog2(capacity),
    countWidth: clog2(add(capacity, 1)),
    passWidth: passCountWidth(capacity, valueWidth, radixBits),
  };
}

/**
 * Bits of the selection's element-pass count, 0..Capacity * Digits (Digits = ValueWidth / RadixBits
 * rounds): a count of 0..Capacity beside a digit count of 0..Digits, at least one bit wider.
 */
export function passCountWidth(capacity: Expr, valueWidth: Expr, radixBits: Expr): Expr {
  return add(clog2(add(capacity, 1)), clog2(add(div(valueWidth, radixBits), 1)));
}

/** The request stream both modules take. */
export function declareRequestStream(
  m: ModuleBuilder,
  p: ReturnType<typeof declareTopkParams>,
): void {
  m.streamIn('in', {
    doc: 'request: n, k and the values, Lanes per beat, last on the final beat',
    fields: {
      data: {
        width: mul(p.lanes, p.valueWidth),
        doc: 'Values of elements beat*Lanes + lane, lane 0 in the low bits.',
      },
      n: {
        width: p.lengthWidth,
        doc: 'Elements in the request (sampled on its first beat); above Capacity it is clamped and flagged.',
      },
      k: { width: p.lengthWidth, doc: 'Elements to select (sampled on the first beat).' },
    },
  });
}

/** localparams both modules use (widths derived from the parameters). */
export function declareTopkLocalparams(m: ModuleBuilder): void {
  m.localparam('IndexWidth', clog2(ref('Capacity')), 'Bits of an element index 0..Capacity-1.');
  m.localparam(
    'CountWidth',
    clog2(add(ref('Capacity'), 1)),
    'Bits of an element count 0..Capacity.',
  );
  m.localparam(
    'PassWidth',
    passCountWidth(ref('Capacity'), ref('ValueWidth'), ref('RadixBits')),
    'Bits of an element-pass count 0..Capacity * ValueWidth / RadixBits.',
  );
  m.localparam('LaneCountWidth', clog2(add(ref('Lanes'), 1)), 'Bits of a lane count 0..Lanes.');
  m.localparam(
    'ElementWidth',
    add(ref('IndexWidth'), ref('ValueWidth')),
    'Bits of a buffered element {index, value}.',
  );
  m.localparam(
    'BeatWidth',
    mul(ref('Lanes'), ref('ElementWidth')),
    'Bits of a buffer word (Lanes elements).',
  );
}

export function quickSelectModule(config: Config): ModuleIR {
  const m = new ModuleBuilder(
    config,
    'quick_select',
    'Quick-select: k-th largest of a request by radix rounds over candidate buffers, with counts and a candidate replay.',
  );
  const p = declareTopkParams(m, config);
  declareTopkLocalparams(m);
  m.clockAndReset();
  declareRequestStream(m, p);
  m.streamOut('result', {
    doc: 'one result per request',
    last: false,
    fields: {
      kth: { width: p.valueWidth, doc: 'The k-th largest value (0 when min(k, n) = 0).' },
      greater: { width: p.countWidth, doc: 'Elements strictly greater than the k-th value.' },
      at_least: { width: p.countWidth, doc: 'Elements greater than or equal to the k-th value.' },
      selected: { width: p.countWidth, doc: 'min(k, n_eff): elements topk selects.' },
      error: { width: 1, doc: 'n exceeded Capacity; the request was clamped.' },
      passes: {
        width: p.passWidth,
        doc: 'Element passes: n_eff (the arrival) plus the elements each later round scanned.',
      },
    },
  });
  m.streamOut('cand', {
    doc: 'candidate replay: a superset of the selected elements in index order',
    fields: {
      data: {
        width: mul(p.lanes, add(p.indexWidth, p.valueWidth)),
        doc: 'Elements {index, value} from lane 0 up, zero above the count.',
      },
      count: { width: clog2(add(p.lanes, 1)), doc: 'Elements in this beat.' },
    },
  });
  return withPartitionChain(m, config).build();
}

/** The zero eliminator core and packer that write partitions into the candidate buffers. */
function withPartitionChain(m: ModuleBuilder, config: Config): ModuleBuilder {
  const compact = zeroCompactModule(config);
  const packer = streamPackerModule(config);
  const element = ref('ElementWidth');
  const clocking = { clk_i: 'clk_i', [m.resetPort]: m.resetPort };
  m.instance(
    'u_compact',
    compact,
    { Lanes: ref('Lanes'), DataWidth: element },
    {
      ...clocking,
      ...streamConnections(compact, 'in', (f) => `part_${f}`),
      ...streamConnections(compact, 'out', (f) => `packed_${f}`),
    },
    'Zero eliminator core: drops the lanes outside the partition, packs the rest down.',
  );
  m.instance(
    'u_packer',
    packer,
    { InLanes: ref('Lanes'), OutLanes: ref('Lanes'), DataWidth: element },
    {
      ...clocking,
      ...streamConnections(packer, 'in', (f) => `packed_${f}`),
      ...streamConnections(packer, 'out', (f) => `wr_${f}`),
    },
    'Packs compacted beats into dense buffer words.',
  );
  return m;
}
