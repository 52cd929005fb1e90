/**
 * Attention core: answers one attention request (one query of one head against its first n tokens) with
 * the units as instances: fetcher (keys, LSB refetch, values), qk_array, a stream packer to softmax
 * beats, softmax, the top-k engine (local value pruning) and pv_array, glued by the control in
 * templates/attention_core.v.hbs. The units are parameterized for the core as deriveAttentionCore says.
 * Four requests in flight: two key-side contexts (one fetching and scoring keys, the older one running
 * its softmax output into top-k), a pending slot holding the one scored before, and the value side
 * (kept-token fetch, prob×V, result) finishing the one before that.
 * With TokenMap = 1 the request's logical rows 0..n-1 are the tokens a memory port maps them to (the
 * kept-token list of spatten_top); with TokenMap = 0 they are rows 0..n-1 of the planes.
 */
import { deriveAttentionCore } from '../config/derive-attention-core';
import { PV_READ_LANES } from '../config/derive-datapath';
import type { Config } from '../config/schema';
import { ModuleBuilder, streamConnections } from '../dsl/builder';
import {
  type Expr,
  type ExprLike,
  add,
  addressWidth,
  ceilDiv,
  clog2,
  max,
  largestDivisor,
  min,
  mul,
  ref,
  sub,
} from '../dsl/expr';
import type { ModuleIR } from '../dsl/ir';
import { fetcherModule, fetcherParams } from './fetcher';
import { fetcherChannelsModule } from './fetcher-channels';
import { pvArrayModule } from './pv-array';
import { lookupStageModule } from './lookup-stage';
import { skidBufferInstance, skidBufferModule } from './skid-buffer';
import { qkArrayModule } from './qk-array';
import { softmaxModule } from './softmax';
import { streamPackerModule } from './stream-packer';
import { syncRamModule } from './sync-ram';
import { passCountWidth } from './quick-select';
import { topkModule } from './topk';

/** Width of the descriptor's bit-width fields and of the result's byte and cycle counters. */
export const BITS_FIELD_WIDTH = 6;
export const COUNTER_WIDTH = 32;

/**
 * Every parameter of `child` set explicitly: an override (an expression over the parent's
 * parameters), else the parent's own parameter of the same name, else the child's value as built
 * from the units config. That last is left only for structural choices no parent parameter moves
 * (one row per beat, unsigned probabilities, the accumulator form): test/render/flow-down.test.ts
 * checks that every instance follows a re-parameterized parent.
 */
export function allParams(
  child: ModuleIR,
  core: ReadonlySet<string>,
  overrides: Record<string, ExprLike> = {},
) {
  return Object.fromEntries(
    child.params.map((p) => [
      p.name,
      overrides[p.name] ?? (core.has(p.name) ? ref(p.name) : p.value),
    ]),
  );
}

/**
 * Beats of `lanes` elements that hold a row of `capacity` tokens: whole beats, at least two (the
 * softmax row buffer and the top-k engines hold whole beats; deriveAttentionCore).
 */
export const beatsHeld = (capacity: Expr, lanes: Expr): Expr => max(2, ceilDiv(capacity, lanes));

/**
 * The core's widths that follow its Capacity and Lanes: a token index (rows 0..Capacity-1) and a
 * descriptor length (0..UnitCapacity). Expressions over the two parameters, so ports use them.
 */
export function capacityWidths(capacity: Expr, lanes: Expr) {
  return {
    IndexWidth: addressWidth(capacity),
    LengthWidth: clog2(add(mul(lanes, beatsHeld(capacity, lanes)), 1)),
  };
}

/** The core's parameters that its units' parameters of the same name follow. */
export const UNIT_SHARED_PARAMS = [
  'HeadDim',
  'MsbBits',
  'LsbBits',
  'IndexWidth',
  'DataWidth',
  'AddrWidth',
  'IdWidth',
  'MaxBurst',
  'Outstanding',
  'BufferBeats',
  'QueryWidth',
  'QueryFrac',
  'KeyFrac',
  'ValueFrac',
  'ScoreWidth',
  'ScoreFrac',
  'ProbWidth',
  'ProbFrac',
  'OutWidth',
  'OutFrac',
  'Lanes',
] as const;

export function attentionCoreModule(config: Config): ModuleIR {
  const core = deriveAttentionCore(config);
  const units = core.units;
  const dp = units.datapath;
  const lanes = units.softmax.lanes;
  const m = new ModuleBuilder(
    config,
    'attention_core',
    "Attention core: key fetch, Q×K, softmax, progressive quantization (LSB refetch), top-k value pruning, value fetch and prob×V, with the next request's key side overlapping the previous one's value side.",
  );
  const capacity = ref('Capacity');
  const lanesP = ref('Lanes');
  const widths = capacityWidths(capacity, lanesP);
  const fp = fetcherParams(m, config, widths.IndexWidth);
  const queryWidth = m.param('QueryWidth', dp.queryBits, 'Query element width W of sW.F.');
  m.param('QueryFrac', dp.queryFrac, 'Query element fraction bits F of sW.F.');
  m.param(
    'KeyFrac',
    dp.keyFrac,
    'Key element fraction bits F of sW.F (merged MSB and LSB planes).',
  );
  m.param('ValueFrac', dp.valueFrac, 'Value element fraction bits F of sW.F (full plane).');
  const scoreWidth = m.param('ScoreWidth', dp.scoreBits, 'Score width W of sW.F (Q×K output).');
  m.param('ScoreFrac', dp.scoreFrac, 'Score fraction bits F of sW.F.');
  const probWidth = m.param(
    'ProbWidth',
    dp.probBits,
    'Probability width W of uW.F (softmax output, threshold, max).',
  );
  m.param('ProbFrac', dp.probFrac, 'Probability fraction bits F of uW.F.');
  const outWidth = m.param('OutWidth', dp.outBits, 'Attention output element width W of sW.F.');
  m.param('OutFrac', dp.outFrac, 'Attention output element fraction bits F of sW.F.');
  m.param('Lanes', lanes, 'Probabilities per beat (softmax lanes).');
  m.param(
    'Capacity',
    core.capacity,
    'Most tokens per request (n); larger n is a descriptor error.',
  );
  const idWidth = m.param(
    'RequestIdWidth',
    config.attentionCore.requestIdBits,
    'Bits of the request ID.',
  );
  m.param(
    'TokenMap',
    0,
    '1: logical row i is token map[i] (map_read_* port); 0: row i of the planes (port unused).',
  );
  const baseWidth = sub(fp.AddrWidth, sub(clog2(fp.DataWidth), 3));
  // The softmax row buffer and the top-k engine hold whole beats, at least two (deriveAttentionCore).
  const probWords = ref('ProbWords');
  const unitCapacity = ref('UnitCapacity');
  m.localparam(
    'KeyWidth',
    add(fp.MsbBits, fp.LsbBits),
    'Bits of a merged key element and of a value element (full plane).',
  );
  m.localparam('BaseWidth', baseWidth, 'Bits of a plane base word address.');
  m.localparam('IndexWidth', widths.IndexWidth, 'Token index width: holds Capacity - 1.');
  m.localparam(
    'ProbWords',
    beatsHeld(capacity, lanesP),
    'Beats of one bank of the probability buffer: Capacity in whole beats, at least two.',
  );
  m.localparam(
    'UnitCapacity',
    mul(lanesP, probWords),
    'Tokens the softmax row buffer and the top-k engine hold: ProbWords beats.',
  );
  const lengthWidth = m.localparam(
    'LengthWidth',
    widths.LengthWidth,
    'Bits of the descriptor n and k fields: hold 0..UnitCapacity.',
  );
  m.localparam(
    'ProbWordBits',
    clog2(probWords),
    'Bits of a beat number in one bank of the probability buffer (softmax row capacity / Lanes beats).',
  );
  m.localparam(
    'ProbAddrBits',
    clog2(mul(3, probWords)),
    'Bits of a probability buffer address (three banks: softmax output, pending request, value side).',
  );
  m.localparam(
    'TopkRadixBits',
    largestDivisor(probWidth, config.topk.radixBits),
    'Probability bits the top-k engine resolves per round: divides ProbWidth, at most topk.radixBits.',
  );
  m.localparam(
    'TopkPassWidth',
    passCountWidth(unitCapacity, probWidth, ref('TopkRadixBits')),
    "Bits of the top-k engine's element-pass count.",
  );
  m.localparam(
    'TopkIndexWidth',
    clog2(unitCapacity),
    'Bits of a token index out of the top-k engine.',
  );
  m.localparam(
    'ChanBits',
    Math.max(1, Math.ceil(Math.log2(config.fetcher.channels))),
    'Bits of a fetcher channel number (at least 1).',
  );
  m.localparam('LaneCountWidth', clog2(add(ref('Lanes'), 1)), 'Bits of a lane count 0..Lanes.');
  const keyWidth = add(fp.MsbBits, fp.LsbBits);
  m.clockAndReset();

  m.streamIn('req', {
    doc: 'request descriptors',
    last: false,
    fields: {
      query: {
        width: mul(fp.HeadDim, queryWidth),
        doc: 'Query: D elements sW.F (datapath.queryBits.queryFrac), element 0 in the low bits.',
      },
      n: {
        width: widths.LengthWidth,
        doc: 'Tokens (key rows 0..n-1 of the planes); 1..Capacity, else an error.',
      },
      k: {
        width: widths.LengthWidth,
        doc: 'Values to keep (local value pruning); 1..n, else an error.',
      },
      key_bits: {
        width: BITS_FIELD_WIDTH,
        doc: 'Key bits in the first plane: MsbBits (MSB plane, progressive) or MsbBits+LsbBits (full-plane keys, no refetch); else an error.',
      },
      lsb_bits: {
        width: BITS_FIELD_WIDTH,
        doc: 'Key bits in the LSB plane: LsbBits with key_bits = MsbBits, 0 with full-plane keys; else an error.',
      },
      threshold: {
        width: probWidth,
        doc: 'Requantization threshold uW.F: the LSB plane is fetched when the max probability is below it (0: never).',
      },
      key_base: { width: baseWidth, doc: 'Word address of the MSB (or full) key plane.' },
      lsb_base: { width: baseWidth, doc: 'Word address of the LSB key plane.' },
      value_base: { width: baseWidth, doc: 'Word address of the value plane (full elements).' },
      id: { width: idWidth, doc: 'Request ID, echoed on the result and the probabilities.' },
    },
  });
  m.streamOut('res', {
    doc: 'one result per descriptor, in order',
    last: false,
    fields: {
      id: { width: idWidth, doc: 'Request ID of the descriptor.' },
      error: {
        width: 1,
        doc: 'Bad descriptor (nothing computed, other fields zero) or a memory error response.',
      },
      requant: { width: 1, doc: 'The LSB plane was fetched and the scores recomputed.' },
      max: { width: probWidth, doc: 'Largest probability of the final softmax, uW.F.' },
      out: {
        width: mul(fp.HeadDim, outWidth),
        doc: 'Attention output: D elements sW.F (datapath.outBits.outFrac), element 0 low.',
      },
      key_bytes: {
        width: COUNTER_WIDTH,
        doc: 'Bytes read from the first key plane (MSB or full).',
      },
      lsb_bytes: { width: COUNTER_WIDTH, doc: 'Bytes read from the LSB key plane.' },
      value_bytes: { width: COUNTER_WIDTH, doc: 'Bytes read from the value plane.' },
      topk_passes: {
        width: COUNTER_WIDTH,
        doc: "Element passes of the value top-k's selection: n plus each later radix round's scan.",
      },
      cycles: {
        width: COUNTER_WIDTH,
        doc: 'Cycles from taking the descriptor to offering the result.',
      },
    },
  });
  m.streamOut('prob', {
    doc: 'final probabilities of every token of a request, in token order (not sent for bad descriptors)',
    fields: {
      prob: {
        width: mul(lanesP, probWidth),
        doc: 'Probabilities uW.F, token beat×Lanes + lane, lane 0 low, zero above the count.',
      },
      count: {
        width: clog2(add(lanesP, 1)),
        doc: 'Probabilities in the beat: Lanes except on the last beat.',
      },
      id: { width: idWidth, doc: 'Request ID.' },
    },
  });
  m.output('map_read_en_o', 1, 'Token map read enable (synchronous memory, data the next cycle).');
  m.output('map_read_addr_o', fp.IndexWidth, 'Logical row whose token is read.');
  m.input(
    'map_read_data_i',
    fp.IndexWidth,
    'Token of the logical row read the cycle before (held while not read).',
  );
  const fetcher = fetcherModule(config);
  const channels = config.fetcher.channels;
  const axiPorts = fetcher.ports.filter((p) => p.name.startsWith('m_axi_'));
  for (let c = 0; c < channels; c += 1) {
    for (const port of axiPorts)
      m[port.direction](`c${c}_${port.name}`, port.width, `Channel ${c}: ${port.doc}`);
  }

  const coreParams = new Set(UNIT_SHARED_PARAMS);
  const clocking = { clk_i: 'clk_i', [m.resetPort]: m.resetPort };
  const indexWidth = ref('IndexWidth');
  const rowWidth = mul(fp.HeadDim, keyWidth);

  // ---- Fetcher channels: the core's fetch stream striped over them, rows gathered in the same order ----
  m.net('f_fetch_valid', 1, 'Fetch beat valid.').net(
    'f_fetch_ready',
    1,
    'The channel in turn takes the beat.',
  );
  m.net('f_row_valid', 1, 'Fetched row valid (channel in turn).').net(
    'f_row_ready',
    1,
    'Row taken.',
  );
  m.net('f_row_plane', 2, 'Plane of the row.').net('f_row_error', 1, 'Memory error on the row.');
  // Channel c's fetch beats share the payload nets; valid, ready and the rows are its own.
  const channelsUnit = fetcherChannelsModule(config);
  const channelSignal = (port: string): string => {
    const stream = /^c(\d+)_(fetch|row)_(\w+)_[io]$/.exec(port);
    if (!stream) return port; // clock, reset and the AXI ports: the core's own, same names
    const [, c, bundle, field] = stream;
    const own = bundle === 'row' || field === 'valid' || field === 'ready';
    return own ? `f${c}_${bundle}_${field}` : `f_fetch_${field}`;
  };
  m.instance(
    'u_fetch',
    channelsUnit,
    allParams(channelsUnit, coreParams),
    Object.fromEntries(channelsUnit.ports.map((port) => [port.name, channelSignal(port.name)])),
    `DRAM fetcher channels: channel c fetches rows c, c + ${channels}, ... of the core's fetch stream.`,
  );

  // ---- Fetch issue: the token map is read beside a register stage on the way to the channels ----
  const lookup = lookupStageModule(config);
  /** A lookup stage from stream `from` to stream `to` (valid/ready nets `<stream>_valid`, `<stream>_ready`), reading a memory for each beat. */
  const lookupStage = (
    name: string,
    widths: { data: ExprLike; addr: ExprLike; word: ExprLike; slice?: number },
    wires: {
      from: string;
      data: string;
      addr: string;
      last: string;
      to: string;
      toData: string;
      toWord: string;
      toLast: string;
      readEn: string;
      readAddr: string;
      readData: string;
    },
    doc: string,
  ) =>
    m.instance(
      name,
      lookup,
      {
        DataWidth: widths.data,
        AddrWidth: widths.addr,
        WordWidth: widths.word,
        Slice: widths.slice ?? 1,
      },
      {
        ...clocking,
        in_valid_i: `${wires.from}_valid`,
        in_ready_o: `${wires.from}_ready`,
        in_data_i: wires.data,
        in_addr_i: wires.addr,
        in_last_i: wires.last,
        out_valid_o: `${wires.to}_valid`,
        out_ready_i: `${wires.to}_ready`,
        out_data_o: wires.toData,
        out_word_o: wires.toWord,
        out_last_o: wires.toLast,
        read_en_o: wires.readEn,
        read_addr_o: wires.readAddr,
        read_data_i: wires.readData,
      },
      doc,
    );
  const issuePayload = add(add(2, baseWidth), indexWidth);
  m.net('issue_valid', 1, 'Fetch beat of the pass.').net(
    'issue_ready',
    1,
    'The map stage (TokenMap = 1) or the skid buffer takes it.',
  );
  lookupStage(
    'u_fetch_lookup',
    { data: issuePayload, addr: indexWidth, word: indexWidth, slice: 0 },
    {
      from: 'fli',
      data: 'issue_data',
      addr: 'issue_index',
      last: 'issue_last',
      to: 'fl_out',
      toData: 'fl_out_data',
      toWord: 'fl_out_word',
      toLast: 'fl_out_last',
      readEn: 'map_read_en_o',
      readAddr: 'map_read_addr_o',
      readData: 'map_read_data_i',
    },
    'Map stage (TokenMap = 1): reads the token of each logical row; the address stages register it.',
  );
  const slice = skidBufferModule(config);
  skidBufferInstance(m, slice, 'fq', add(issuePayload, 1), 'Fetch beats to the channels');

  // ---- Key pass: lookup (MSB row for the merge), Q×K, packing to softmax beats ----
  const rowPayload = add(rowWidth, indexWidth);
  const keyPayload = add(rowPayload, 1);
  lookupStage(
    'u_key_lookup',
    { data: keyPayload, addr: indexWidth, word: rowWidth },
    {
      from: 'kl_in',
      data: 'kl_in_data',
      addr: 'f_row_index',
      last: 'f_row_last',
      to: 'kl_out',
      toData: 'kl_out_data',
      toWord: 'kl_out_word',
      toLast: 'kl_out_last',
      readEn: 'key_ram_read_en',
      readAddr: 'key_ram_read_addr',
      readData: 'key_ram_read_data',
    },
    'Key merge stage: reads the stored MSB row of each key row.',
  );
  const ram = syncRamModule(config);
  m.instance(
    'u_key_ram',
    ram,
    { Depth: ref('Capacity'), Width: rowWidth },
    {
      clk_i: 'clk_i',
      write_en_i: 'key_ram_write_en',
      write_addr_i: 'f_row_index',
      write_data_i: 'f_row_data',
      read_en_i: 'key_ram_read_en',
      read_addr_i: 'key_ram_read_addr',
      read_data_o: 'key_ram_read_data',
    },
    'MSB key rows of the request, kept for the LSB merge (progressive quantization).',
  );

  const qk = qkArrayModule(units);
  skidBufferInstance(m, slice, 'sc', add(scoreWidth, 1), 'Scores to the packer');
  m.instance(
    'u_qk',
    qk,
    allParams(qk, coreParams, { SliceLen: fp.HeadDim, KeyWidth: ref('KeyWidth') }),
    {
      ...clocking,
      query_valid_i: 'qk_query_valid',
      query_ready_o: 'qk_query_ready',
      query_data_i: 'req_query_q',
      key_valid_i: 'kl_out_valid',
      key_ready_o: 'kl_out_ready',
      key_data_i: 'qk_key_data',
      key_index_i: 'qk_key_index',
      key_count_i: 'one',
      key_last_i: 'kl_out_last',
      ...streamConnections(qk, 'score', (f) => `qk_score_${f}`),
    },
    'Q×K array: one key row per cycle, scores sW.F.',
  );

  const packer = streamPackerModule(units);
  const softmax = softmaxModule(units);
  const laneCountWidth = clog2(add(lanesP, 1));
  m.instance(
    'u_pack',
    packer,
    { InLanes: 1, OutLanes: ref('Lanes'), DataWidth: scoreWidth },
    {
      ...clocking,
      in_valid_i: 'sc_out_valid',
      in_ready_o: 'sc_out_ready',
      in_data_i: 'sc_score',
      in_count_i: 'one',
      in_last_i: 'sc_last',
      out_valid_o: 'sm_in_valid',
      out_ready_i: 'sm_in_ready',
      out_data_o: 'sm_in_score',
      out_count_o: 'sm_in_count',
      out_last_o: 'sm_in_last',
    },
    'Packs one score per beat into softmax beats of Lanes scores.',
  );
  m.instance(
    'u_softmax',
    softmax,
    allParams(softmax, coreParams, { Words: probWords }),
    {
      ...clocking,
      in_valid_i: 'sm_in_valid',
      in_ready_o: 'sm_in_ready',
      in_score_i: 'sm_in_score',
      in_count_i: 'sm_in_count',
      in_last_i: 'sm_in_last',
      ...streamConnections(softmax, 'out', (f) => `sm_out_${f}`),
    },
    'Softmax over the scores of the pass.',
  );

  // ---- Softmax output through a skid buffer, forked to `prob` and top-k through one each ----
  const smPayload = add(add(mul(lanesP, probWidth), laneCountWidth), add(probWidth, 4));
  skidBufferInstance(m, slice, 'smq', smPayload, 'Softmax output');
  m.net('smq_count', laneCountWidth, 'Probabilities in the beat.');
  m.net('smq_max', probWidth, 'Largest probability of the row.').net(
    'smq_below',
    2,
    'Per context: max below its threshold.',
  );
  m.net('smq_overflow', 1, 'Row longer than the buffer.').net('smq_last', 1, 'Last beat.');
  skidBufferInstance(
    m,
    slice,
    'pq',
    add(add(mul(lanesP, probWidth), laneCountWidth), add(idWidth, 1)),
    'Probabilities out',
  );
  skidBufferInstance(
    m,
    slice,
    'tq',
    add(mul(lanesP, probWidth), add(mul(lengthWidth, 2), 1)),
    'Probabilities to top-k',
  );
  m.instance(
    'u_prob_ram',
    ram,
    { Depth: mul(3, probWords), Width: mul(lanesP, probWidth) },
    {
      clk_i: 'clk_i',
      write_en_i: 'prob_ram_write_en',
      write_addr_i: 'prob_ram_write_addr',
      write_data_i: 'smq_prob',
      read_en_i: 'prob_ram_read_en',
      read_addr_i: 'prob_ram_read_addr',
      read_data_o: 'prob_ram_read_data',
    },
    "Final probabilities, three banks: the softmax output writes one request's, the pending one waits, the value side reads the oldest.",
  );
  const topk = topkModule(units);
  m.instance(
    'u_topk',
    topk,
    allParams(topk, coreParams, {
      Capacity: unitCapacity,
      ValueWidth: probWidth,
      RadixBits: ref('TopkRadixBits'),
      LengthWidth: lengthWidth,
      OutLanes: lanesP,
    }),
    {
      ...clocking,
      in_valid_i: 'tq_out_valid',
      in_ready_o: 'tq_out_ready',
      in_data_i: 'tk_in_prob',
      in_n_i: 'tk_n',
      in_k_i: 'tk_k',
      in_last_i: 'tk_in_last',
      ...streamConnections(topk, 'out', (f) => `tk_out_${f}`),
    },
    'Local value pruning: the k most probable tokens, in token order.',
  );
  const keptWidth = mul(lanesP, ref('TopkIndexWidth'));
  const passWidth = ref('TopkPassWidth');
  skidBufferInstance(
    m,
    slice,
    'tko',
    add(add(keptWidth, passWidth), add(laneCountWidth, 1)),
    'Kept tokens',
  );
  m.net('kept_index', keptWidth, 'Kept tokens, increasing.')
    .net('kept_count', laneCountWidth, 'Kept tokens in the beat.')
    .net('kept_passes', passWidth, "The selection's element passes (the same on every beat).")
    .net('kept_last', 1, 'Last beat.');
  lookupStage(
    'u_value_lookup',
    { data: rowPayload, addr: ref('ProbAddrBits'), word: mul(lanesP, probWidth) },
    {
      from: 'vl_in',
      data: 'row_payload',
      addr: 'prob_word_of_row',
      last: 'f_row_last',
      to: 'vl_out',
      toData: 'vl_out_data',
      toWord: 'vl_out_word',
      toLast: 'vl_out_last',
      readEn: 'prob_ram_read_en',
      readAddr: 'prob_ram_read_addr',
      readData: 'prob_ram_read_data',
    },
    'Probability stage: reads the probability of the arriving value row.',
  );
  const pv = pvArrayModule(units);
  m.instance(
    'u_pv',
    pv,
    allParams(pv, coreParams, {
      SliceLen: fp.HeadDim,
      ValueWidth: ref('KeyWidth'),
      // Its accumulators hold a sum over at most Capacity tokens.
      MaxTokens: ref('Capacity'),
      ReadLanes: min(fp.HeadDim, PV_READ_LANES),
    }),
    {
      ...clocking,
      in_valid_i: 'vl_out_valid',
      in_ready_o: 'vl_out_ready',
      in_prob_i: 'pv_in_prob',
      in_value_i: 'pv_in_value',
      in_count_i: 'one',
      in_last_i: 'vl_out_last',
      out_valid_o: 'pv_out_valid',
      out_ready_i: 'pv_out_ready',
      out_data_o: 'pv_out_data',
    },
    'prob×V array over the kept value rows (probabilities not renormalized).',
  );
  return m.build();
}
