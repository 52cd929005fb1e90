/**
 * Bit-exact golden model of spatten_top: cascade token and head pruning over the layers of a decode
 * step, around the attention core's golden model (composed as the RTL instantiates the core).
 *
 * Contract (templates/top.v.hbs):
 * - State: n kept tokens, kept[0..n-1] (increasing token numbers), importance[0..n-1] (uImportanceBits.probFrac,
 *   by logical position), head importance per head and the kept-head mask.
 * - A descriptor with `first` starts a decode step: tokens in 1..maxTokens gives n = tokens, kept = 0..n-1,
 *   every importance 0, every head kept; a bad token count gives an error result and n = 0 (every later
 *   request of the step is then a core error), and nothing else of the descriptor is done.
 * - head >= top.heads: error result, nothing fetched. A pruned head: `skipped` result, nothing fetched.
 * - Otherwise the core runs with n, k' = min(k, n) and the token map kept[]; each probability adds to the
 *   importance of its logical position (saturating); sum_d |out_d| adds to the head's importance
 *   (saturating; 0 for a core error).
 * - `boundary` after the request ends the layer. Tokens: with tokenKeep = 0, n = 0; else when
 *   tokenKeep < n or top.importanceShift > 0, the top-k engine ranks importance[0..n-1] (ties to the
 *   lower position, i.e. the lower token) and keeps min(tokenKeep, n) positions in order: kept and
 *   importance are compacted to them, each importance shifted right by importanceShift (truncating).
 *   Heads: when headKeep is below the kept heads, the headKeep kept heads of largest importance stay
 *   (ties to the lower head).
 */
import { deriveTop } from '../../generator/config/derive-top';
import type { Config } from '../../generator/config/schema';
import { type CoreDescriptor, attentionCore } from './attention-core';
import type { DramImage } from './fetcher';
import { quickSelect } from './quick-select';
import { topkSelect } from './topk';

export interface TopDescriptor extends Omit<CoreDescriptor, 'n' | 'tokens'> {
  head: number;
  /** Starts a decode step with `tokens` tokens. */
  first: boolean;
  tokens: number;
  /** Ends a layer after this request: prune to tokenKeep tokens and headKeep heads. */
  boundary: boolean;
  tokenKeep: number;
  headKeep: number;
}

export interface TopResult {
  id: number;
  head: number;
  skipped: boolean;
  error: boolean;
  requant: boolean;
  max: bigint;
  out: bigint[];
  /** Tokens the request attended (the core's n); 0 when the core did not run. */
  n: number;
  keyBytes: number;
  lsbBytes: number;
  valueBytes: number;
  /** The core's value top-k element passes (0 when the core did not run). */
  topkPasses: number;
  /** Element passes of the token top-k at the boundary just before this descriptor (0: none). */
  rankPasses: number;
}

export interface TopState {
  n: number;
  kept: number[];
  importance: bigint[];
  headImportance: bigint[];
  headKept: boolean[];
}

export interface TopRun {
  results: TopResult[];
  /** Kept tokens when each request ran (empty for requests the core did not run). */
  tokensFetched: number[][];
  /** What each request added to the cascade state (undefined when the core did not run). */
  attention: ({ probs: bigint[]; magnitude: bigint } | undefined)[];
  final: TopState;
}

const saturatingAdd = (a: bigint, b: bigint, bits: number) => {
  const max = (1n << BigInt(bits)) - 1n;
  return a + b > max ? max : a + b;
};

const abs = (x: bigint) => (x < 0n ? -x : x);

export function initialState(config: Config): TopState {
  return {
    n: 0,
    kept: [],
    importance: [],
    headImportance: new Array<bigint>(config.top.heads).fill(0n),
    headKept: new Array<boolean>(config.top.heads).fill(true),
  };
}

/** The kept heads after a boundary with headKeep: largest importance first, ties to the lower head. */
export function pruneHeads(state: TopState, headKeep: number): boolean[] {
  const active = state.headKept.flatMap((kept, h) => (kept ? [h] : []));
  if (headKeep >= active.length) return state.headKept;
  const imp = (h: number) => state.headImportance[h] ?? 0n;
  const ranked = [...active].sort((a, b) => (imp(a) > imp(b) ? -1 : imp(a) < imp(b) ? 1 : a - b));
  const stay = new Set(ranked.slice(0, headKeep));
  return state.headKept.map((_, h) => stay.has(h));
}

/** The boundary top-k's request and shape, or null when it does not run (none or every token kept). */
function tokenSelection(config: Config, state: TopState, tokenKeep: number) {
  const shift = config.top.importanceShift;
  if (tokenKeep === 0 || state.n === 0 || (tokenKeep >= state.n && shift === 0)) return null;
  const t = deriveTop(config).rank.topk;
  return {
    request: { values: state.importance.map(Number), n: state.n, k: Math.min(tokenKeep, state.n) },
    shape: {
      parallelism: t.parallelism,
      capacity: t.capacity,
      valueBits: t.valueBits,
      signed: false,
      outLanes: t.outLanes,
      radixBits: t.radixBits,
    },
  };
}

/** Token pruning at a boundary: the top-k engine over the importance, then compaction and rescale. */
export function pruneTokens(
  config: Config,
  state: TopState,
  tokenKeep: number,
): Pick<TopState, 'n' | 'kept' | 'importance'> {
  if (tokenKeep === 0) return { n: 0, kept: [], importance: [] };
  const selection = tokenSelection(config, state, tokenKeep);
  if (selection === null) return state;
  const selected = topkSelect(selection.request, selection.shape);
  const shift = BigInt(config.top.importanceShift);
  return {
    n: selected.length,
    kept: selected.map((e) => state.kept[e.index] ?? 0),
    importance: selected.map((e) => BigInt(e.value) >> shift),
  };
}

/** Element passes of the boundary top-k's selection (0 when it does not run). */
export function tokenTopkPasses(config: Config, state: TopState, tokenKeep: number): number {
  const selection = tokenSelection(config, state, tokenKeep);
  return selection === null ? 0 : quickSelect(selection.request, selection.shape).result.passes;
}

export function runTop(
  config: Config,
  image: DramImage,
  descriptors: readonly TopDescriptor[],
): TopRun {
  const derived = deriveTop(config);
  let state = initialState(config);
  const results: TopResult[] = [];
  const tokensFetched: number[][] = [];
  const attention: TopRun['attention'] = [];
  const empty = (d: TopDescriptor, flags: { skipped: boolean; error: boolean }): TopResult => ({
    id: d.id,
    head: d.head,
    ...flags,
    requant: false,
    max: 0n,
    out: new Array<bigint>(config.model.headDim).fill(0n),
    n: 0,
    keyBytes: 0,
    lsbBytes: 0,
    valueBytes: 0,
    topkPasses: 0,
    rankPasses: 0,
  });
  // The boundary top-k runs after its request's result has left: the next result reports it.
  let rankPasses = 0;
  const report = (result: TopResult) => {
    results.push({ ...result, rankPasses });
    rankPasses = 0;
  };
  for (const d of descriptors) {
    let result: TopResult;
    let fetched: number[] = [];
    let added: TopRun['attention'][number];
    if (d.first) {
      const good = d.tokens >= 1 && d.tokens <= config.model.maxTokens;
      state = {
        ...initialState(config),
        n: good ? d.tokens : 0,
        kept: good ? Array.from({ length: d.tokens }, (_, t) => t) : [],
      };
      state.importance = state.kept.map(() => 0n);
      if (!good) {
        report(empty(d, { skipped: false, error: true }));
        tokensFetched.push([]);
        attention.push(undefined);
        continue;
      }
    }
    if (d.head >= config.top.heads) result = empty(d, { skipped: false, error: true });
    else if (!state.headKept[d.head]) result = empty(d, { skipped: true, error: false });
    else {
      const core = attentionCore(config, image, {
        ...d,
        n: state.n,
        k: Math.min(d.k, state.n),
        tokens: state.kept,
      });
      core.probs.forEach((p, i) => {
        state.importance[i] = saturatingAdd(state.importance[i] ?? 0n, p, derived.importanceBits);
      });
      const magnitude = core.out.reduce((sum, x) => sum + abs(x), 0n);
      state.headImportance[d.head] = saturatingAdd(
        state.headImportance[d.head] ?? 0n,
        magnitude,
        derived.headImportanceBits,
      );
      if (core.probs.length > 0) fetched = [...state.kept];
      added = { probs: core.probs, magnitude };
      result = {
        id: d.id,
        head: d.head,
        skipped: false,
        error: core.error,
        requant: core.requant,
        max: core.max,
        out: core.out,
        n: state.n,
        keyBytes: core.keyBytes,
        lsbBytes: core.lsbBytes,
        valueBytes: core.valueBytes,
        topkPasses: core.topkPasses,
        rankPasses: 0,
      };
    }
    report(result);
    tokensFetched.push(fetched);
    attention.push(added);
    if (d.boundary) {
      rankPasses = tokenTopkPasses(config, state, d.tokenKeep);
      state = { ...state, ...pruneTokens(config, state, d.tokenKeep) };
      state.headKept = pruneHeads(state, d.headKeep);
    }
  }
  return { results, tokensFetched, attention, final: state };
}
