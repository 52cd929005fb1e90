/**
 * spatten_top, the accelerator: one attention core (TokenMap = 1) under the cascade state of a decode
 * step: the kept-token list (the core's token map), per-token importance, per-head importance and the
 * kept-head mask, and a top-k engine that prunes tokens at layer boundaries. The control and the
 * contract are in templates/top.v.hbs; the golden model is sim/golden/top.ts.
 */
import { deriveTop } from '../config/derive-top';
import type { Config } from '../config/schema';
import { ModuleBuilder, streamConnections } from '../dsl/builder';
import { type Expr, add, addressWidth, clog2, largestDivisor, mul, ref, sub } from '../dsl/expr';
import type { ModuleIR } from '../dsl/ir';
import {
  COUNTER_WIDTH,
  UNIT_SHARED_PARAMS,
  allParams,
  beatsHeld,
  capacityWidths,
  attentionCoreModule,
} from './attention-core';
import { lookupStageModule } from './lookup-stage';
import { skidBufferInstance, skidBufferModule } from './skid-buffer';
import { syncRamModule } from './sync-ram';
import { passCountWidth } from './quick-select';
import { topkModule } from './topk';

export function topModule(config: Config): ModuleIR {
  const derived = deriveTop(config);
  const core = attentionCoreModule(config);
  const m = new ModuleBuilder(
    config,
    'top',
    'SpAtten accelerator: attention core with cascade token pruning (importance top-k at layer boundaries) and cascade head pruning.',
  );
  // The core's parameters, same names and values: a user re-parameterizes the top and the core follows.
  const coreParam = (name: string) => {
    const param = core.params.find((p) => p.name === name);
    if (!param) throw new Error(`attention_core has no parameter ${name}`);
    return m.param(name, param.value, param.doc);
  };
  const unitShared = UNIT_SHARED_PARAMS.filter((name) => name !== 'IndexWidth');
  const shared = [...unitShared, 'Capacity', 'RequestIdWidth'] as const;
  // Every shared name is a key: coreParam throws for a name the core lacks.
  const p = Object.fromEntries(shared.map((name) => [name, coreParam(name)])) as Record<
    (typeof shared)[number],
    Expr
  >;
  // Follow Capacity and Lanes as in the core: the ports use the expressions, the body the names.
  const portWidths = capacityWidths(p.Capacity, p.Lanes);
  const indexWidth = m.localparam('IndexWidth', portWidths.IndexWidth, 'Token index width.');
  m.localparam(
    'LengthWidth',
    portWidths.LengthWidth,
    'Bits of a token count (descriptor n, k, tokens and token_keep).',
  );
  const heads = m.param(
    'Heads',
    config.top.heads,
    'Heads per layer (kept-head mask and head importance registers).',
  );
  // Follows Heads (a port width too, so the ports use the expression and the body its name).
  const headBits = addressWidth(heads);
  m.localparam('HeadBits', headBits, 'Bits of a head number (at least 1); holds Heads - 1.');
  const importanceWidth = m.param(
    'ImportanceWidth',
    derived.importanceBits,
    'Token importance uW.ProbFrac: ProbWidth + clog2(Heads × layers), saturating.',
  );
  const headImportanceWidth = m.param(
    'HeadImportanceWidth',
    derived.headImportanceBits,
    'Head importance (sum of |output| elements, raw sOutWidth units): OutWidth + clog2(HeadDim) + clog2(layers), saturating.',
  );
  m.param(
    'ImportanceShift',
    config.top.importanceShift,
    "Right shift of the kept tokens' importance at each boundary (0: plain sum).",
  );
  const importanceWords = m.localparam(
    'ImportanceWords',
    beatsHeld(p.Capacity, p.Lanes),
    'Words of the importance memory (Lanes importances each): as many as the core holds beats.',
  );
  const rankCapacity = m.localparam(
    'RankCapacity',
    mul(p.Lanes, importanceWords),
    'Positions the boundary top-k engine holds: ImportanceWords beats.',
  );
  m.localparam(
    'BaseWidth',
    sub(p.AddrWidth, sub(clog2(p.DataWidth), 3)),
    'Bits of a plane base word address.',
  );
  m.localparam('ImpWordBits', clog2(importanceWords), 'Bits of an importance word number.');
  m.localparam(
    'RankIndexWidth',
    clog2(rankCapacity),
    'Bits of a position out of the boundary top-k engine.',
  );
  m.localparam(
    'RankRadixBits',
    largestDivisor(importanceWidth, config.topk.radixBits),
    'Importance bits the boundary top-k resolves per round: divides ImportanceWidth.',
  );
  m.localparam(
    'RankPassWidth',
    passCountWidth(rankCapacity, importanceWidth, ref('RankRadixBits')),
    "Bits of the boundary top-k's element-pass count.",
  );
  m.localparam('HeadCountWidth', clog2(add(heads, 1)), 'Bits of a head count 0..Heads.');
  m.localparam('LaneCountWidth', clog2(add(p.Lanes, 1)), 'Bits of a lane count 0..Lanes.');
  m.clockAndReset();

  const coreReq = core.ports.filter(
    (port) => port.bundle === 'req' && !['req_valid_i', 'req_ready_o'].includes(port.name),
  );
  m.streamIn('req', {
    doc: 'request descriptors: one per head of each layer, in layer order',
    last: false,
    fields: {
      ...Object.fromEntries(
        coreReq
          .filter((port) => port.name !== 'req_n_i')
          .map((port) => {
            const field = port.name.replace(/^req_/, '').replace(/_i$/, '');
            const doc =
              field === 'k'
                ? 'Values to keep (local value pruning); clamped to the kept tokens n.'
                : port.doc;
            return [field, { width: port.width, doc }];
          }),
      ),
      head: { width: headBits, doc: 'Head of the request; Heads or above is an error.' },
      first: {
        width: 1,
        doc: 'Starts a decode step: the cascade state is reset to `tokens` tokens, every head kept.',
      },
      tokens: {
        width: portWidths.LengthWidth,
        doc: 'Context length with `first`: 1..Capacity, else an error result and no tokens for the step.',
      },
      boundary: { width: 1, doc: 'Ends the layer after this request: token and head pruning run.' },
      token_keep: {
        width: portWidths.LengthWidth,
        doc: 'With `boundary`: tokens kept for the later layers (>= n: none pruned).',
      },
      head_keep: {
        width: clog2(add(heads, 1)),
        doc: 'With `boundary`: heads kept for the later layers (>= kept heads: none pruned).',
      },
    },
  });
  const coreRes = core.ports.filter(
    (port) =>
      port.bundle === 'res' && !['res_valid_o', 'res_ready_i', 'res_cycles_o'].includes(port.name),
  );
  m.streamOut('res', {
    doc: 'one result per descriptor, in order',
    last: false,
    fields: {
      id: { width: p.RequestIdWidth, doc: 'Request ID of the descriptor.' },
      head: { width: headBits, doc: 'Head of the descriptor.' },
      skipped: { width: 1, doc: 'The head was pruned: nothing fetched, other fields zero.' },
      ...Object.fromEntries(
        coreRes
          .filter((port) => port.name !== 'res_id_o')
          .map((port) => {
            const field = port.name.replace(/^res_/, '').replace(/_o$/, '');
            const doc =
              field === 'error'
                ? 'Bad descriptor (first with a bad token count, head out of range, or a core error) or a memory error.'
                : port.doc;
            return [field, { width: port.width, doc }];
          }),
      ),
      n: {
        width: portWidths.LengthWidth,
        doc: 'Kept tokens the request attended (0 when the core did not run).',
      },
      rank_passes: {
        width: COUNTER_WIDTH,
        doc: 'Element passes of the token top-k of the layer boundary just before this descriptor (0: none ran).',
      },
    },
  });
  const axiPorts = core.ports.filter((port) => /^c\d+_m_axi_/.test(port.name));
  for (const port of axiPorts) m[port.direction](port.name, port.width, port.doc);

  const clocking = { clk_i: 'clk_i', [m.resetPort]: m.resetPort };
  const lanes = ref('Lanes');
  const impWordWidth = mul(lanes, importanceWidth);

  // ---- Attention core ----
  const coreNets = core.ports.filter(
    (port) => port.bundle !== undefined || port.name.startsWith('map_'),
  );
  m.instance(
    'u_core',
    core,
    allParams(core, new Set(shared), { TokenMap: 1 }),
    {
      ...clocking,
      ...Object.fromEntries(
        coreNets.map((port) => [port.name, `core_${port.name.replace(/_(i|o)$/, '')}`]),
      ),
      ...Object.fromEntries(axiPorts.map((port) => [port.name, port.name])),
    },
    'Attention core: logical rows of a request are the kept tokens (token map = kept-token list).',
  );

  // ---- Cascade state memories ----
  const ram = syncRamModule(config);
  /** The memory's ports on nets `<name>_write_en`, ... `<name>_read_data`. */
  const ramNets = (name: string) =>
    Object.fromEntries(
      ['write_en', 'write_addr', 'write_data', 'read_en', 'read_addr', 'read_data'].map((f) => [
        `${f}_${f === 'read_data' ? 'o' : 'i'}`,
        `${name}_${f}`,
      ]),
    );
  m.instance(
    'u_kept_ram',
    ram,
    { Depth: p.Capacity, Width: indexWidth },
    { clk_i: 'clk_i', ...ramNets('kept_ram') },
    'Kept-token list: token of each logical position.',
  );
  m.instance(
    'u_imp_ram',
    ram,
    { Depth: importanceWords, Width: impWordWidth },
    { clk_i: 'clk_i', ...ramNets('imp_ram') },
    'Token importance by logical position, Lanes per word.',
  );

  // ---- Boundary top-k: importance words -> kept positions ----
  const lookup = lookupStageModule(config);
  m.instance(
    'u_feed',
    lookup,
    { DataWidth: 1, AddrWidth: ref('ImpWordBits'), WordWidth: impWordWidth },
    {
      ...clocking,
      in_valid_i: 'feed_valid',
      in_ready_o: 'feed_ready',
      in_data_i: 'feed_last',
      in_addr_i: 'feed_word',
      in_last_i: 'feed_last',
      out_valid_o: 'rank_in_valid',
      out_ready_i: 'rank_in_ready',
      out_data_o: 'rank_in_unused',
      out_word_o: 'rank_in_data',
      out_last_o: 'rank_in_last',
      read_en_o: 'feed_read_en',
      read_addr_o: 'feed_read_addr',
      read_data_i: 'imp_ram_read_data',
    },
    'Feed stage: reads each importance word as its beat goes to the top-k engine.',
  );
  const rank = topkModule(derived.rank);
  const rankIndexWidth = ref('RankIndexWidth');
  m.instance(
    'u_rank',
    rank,
    allParams(rank, new Set(['Lanes', 'LengthWidth']), {
      Capacity: rankCapacity,
      ValueWidth: importanceWidth,
      RadixBits: ref('RankRadixBits'),
      OutLanes: lanes,
    }),
    {
      ...clocking,
      in_valid_i: 'rank_in_valid',
      in_ready_o: 'rank_in_ready',
      in_data_i: 'rank_in_data',
      in_n_i: 'rank_n',
      in_k_i: 'rank_k',
      in_last_i: 'rank_in_last',
      ...streamConnections(rank, 'out', (f) => `rank_out_${f}`),
    },
    'Cascade token pruning: the token_keep most important kept tokens, in position order.',
  );
  const keptWidth = mul(lanes, rankIndexWidth);
  skidBufferInstance(
    m,
    skidBufferModule(config),
    'ro',
    add(add(keptWidth, impWordWidth), add(ref('LaneCountWidth'), 1)),
    'Kept positions',
  );
  m.net('ro_index', keptWidth, 'Kept positions, increasing.').net(
    'ro_value',
    impWordWidth,
    'Their importances.',
  );
  m.net('ro_count', ref('LaneCountWidth'), 'Positions in the beat.').net(
    'ro_last',
    1,
    'Last beat.',
  );
  m.net(
    'head_magnitude',
    headImportanceWidth,
    "sum_d |out_d| of the result in the adder tree's root.",
  );
  return m.build();
}
