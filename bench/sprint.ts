/**
 * `spatten bench sprint`: SpAtten's pruning by rank against SPRINT's threshold on a pre-score, on
 * the same structured workload (the cases of bench leopard, at up to 384 tokens) at matched kept
 * softmax mass: both are calibrated on other cases of the workload to keep 99 % of every case's
 * mass. Per query, for each mode:
 *
 * - spatten: every candidate key crosses the bus and is scored (full precision; with progressive
 *   quantization only the MSB planes cross first, printed as a floor); local value pruning keeps
 *   the top k probabilities, k the smallest share of the tokens that keeps the mass on every
 *   calibration case; only their values are fetched;
 * - sprint: the pre-score reads the top datapath.prescoreBits bits of every key next to the
 *   memory (near-memory bytes, not bus bytes); only the keys that pass cross the bus whole and are
 *   scored; the kept set is the exact threshold set, and only its values are fetched.
 *
 * Output error: the attention output over the kept set against dense float attention (golden
 * models, sim/golden/keep-mass.ts).
 *
 * Reuse between adjacent queries (rows `head`, and `reuse`): on a whole head of self-attention
 * (sim/harness/structured-head.ts, as many queries as tokens, adjacent queries attending to nearly
 * the same tokens), SPRINT keeps on chip the keys the previous query fetched and the values it
 * kept: a query fetches only the passing keys and the kept values not already there. What this
 * does not measure yet: the core's cycles in threshold mode (docs/sprint.md, "Not there yet").
 */
import type { Config } from '../generator/config/schema';
import {
  type OutputError,
  caseAccs,
  caseThreshold,
  calibrateThreshold,
  keptOutputError,
  softmaxOfAccs,
} from '../sim/golden/keep-mass';
import { preScoreKeyCycles, preScorePasses } from '../sim/golden/prescore';
import { Rng } from '../sim/harness/random';
import type { AttentionCase } from '../sim/harness/structured-attention';
import { HEAD_PROFILE, headCases, structuredHead } from '../sim/harness/structured-head';
import type { Benchmark } from './index';
import { CASES, KEEP_MASS, benchCases } from './leopard';

/** Tokens per query: the BERT-like summarization length, or the config's limit. */
const TOKENS = 384;
/** S-SPRINT's on-chip memory, for comparison with the rows reuse holds. */
const SPRINT_ON_CHIP_BYTES = 16 * 1024;

type ModeFigures = {
  mode: 'spatten' | 'sprint' | 'sprint+reuse';
  /** cases: independent queries (bench leopard's); head: a head's adjacent queries. */
  workload: 'cases' | 'head';
  keptShare: number;
  keptMassMin: number;
  keysScoredPerQuery: number;
  busBytesPerQuery: number;
  /** Bus bytes against dense keys and values at full precision. */
  busShareOfDense: number;
  nearMemoryBytesPerQuery: number;
  outputErrorMaxLsb: number;
  outputErrorMeanLsb: number;
  outputRelativeErrorMax: number;
};

/** The token indices of the k largest dot products, ties to the lower index (as topk does). */
function topIndices(c: AttentionCase, k: number): number[] {
  const accs = caseAccs(c);
  return accs
    .map((a, i) => ({ a, i }))
    .sort((x, y) => (x.a === y.a ? x.i - y.i : x.a > y.a ? -1 : 1))
    .slice(0, k)
    .map((e) => e.i);
}

/** SpAtten's local value pruning at matched mass: the keep share every calibration case needs. */
function calibrateKeepShare(config: Config, cases: readonly AttentionCase[]): number {
  const shares = cases.map((c) => {
    const threshold = caseThreshold(config, c, KEEP_MASS);
    return caseAccs(c).filter((a) => a >= threshold).length / c.keys.length;
  });
  return Math.max(...shares);
}

/** The share of the dense softmax mass a kept set holds. */
function massOf(config: Config, c: AttentionCase, kept: readonly number[]): number {
  const p = softmaxOfAccs(config, caseAccs(c));
  return kept.reduce((sum, i) => sum + (p[i] ?? 0), 0);
}

/** What one query keeps, scores and reads: key bits over the bus, value rows, near-memory bits. */
interface QueryTraffic {
  kept: number[];
  scored: number;
  keyBits: number;
  valueRows: number;
  nearBits: number;
}

function modeFigures(
  config: Config,
  mode: ModeFigures['mode'],
  workload: ModeFigures['workload'],
  cases: readonly AttentionCase[],
  run: (c: AttentionCase) => QueryTraffic,
): ModeFigures {
  const D = config.model.headDim;
  const { keyBits, valueBits } = config.datapath;
  let kept = 0;
  let tokens = 0;
  let scored = 0;
  let bus = 0;
  let near = 0;
  const masses: number[] = [];
  const errors: OutputError[] = [];
  for (const c of cases) {
    const r = run(c);
    tokens += c.keys.length;
    kept += r.kept.length;
    scored += r.scored;
    bus += (r.keyBits * D + r.valueRows * valueBits * D) / 8;
    near += (r.nearBits * D) / 8;
    masses.push(massOf(config, c, r.kept));
    errors.push(keptOutputError(config, c, r.kept));
  }
  const queries = cases.length;
  return {
    mode,
    workload,
    keptShare: kept / tokens,
    keptMassMin: Math.min(...masses),
    keysScoredPerQuery: scored / queries,
    busBytesPerQuery: bus / queries,
    busShareOfDense: bus / ((tokens * D * (keyBits + valueBits)) / 8),
    nearMemoryBytesPerQuery: near / queries,
    outputErrorMaxLsb: Math.max(...errors.map((e) => e.maxLsb)),
    outputErrorMeanLsb: errors.reduce((s, e) => s + e.meanLsb, 0) / errors.length,
    outputRelativeErrorMax: Math.max(...errors.map((e) => e.relative)),
  };
}

/** SPRINT's sets for a query: the keys passing the pre-score, and those kept exactly. */
function thresholdSets(config: Config, c: AttentionCase, threshold: bigint) {
  const { keyBits, prescoreBits } = config.datapath;
  return {
    kept: caseAccs(c).flatMap((a, i) => (a >= threshold ? [i] : [])),
    passing: c.keys.flatMap((k, i) =>
      preScorePasses(c.query, k, threshold, keyBits, prescoreBits) ? [i] : [],
    ),
  };
}

export function sprintFigures(config: Config, seed: number, tokens: number) {
  const calibration = benchCases(config, new Rng(seed), CASES, tokens);
  const evaluation = benchCases(config, new Rng(seed + 1), CASES, tokens);
  const { keyBits, prescoreBits } = config.datapath;
  const keepShare = calibrateKeepShare(config, calibration);
  const threshold = calibrateThreshold(config, calibration, KEEP_MASS);
  const spatten = modeFigures(config, 'spatten', 'cases', evaluation, (c) => {
    const kept = topIndices(c, Math.ceil(keepShare * c.keys.length));
    const scored = c.keys.length;
    return { kept, scored, keyBits: scored * keyBits, valueRows: kept.length, nearBits: 0 };
  });
  let passing = 0;
  const sprint = modeFigures(config, 'sprint', 'cases', evaluation, (c) => {
    const { kept, passing: passed } = thresholdSets(config, c, threshold);
    passing += passed.length;
    return {
      kept,
      scored: passed.length,
      keyBits: passed.length * keyBits,
      valueRows: kept.length,
      nearBits: c.keys.length * prescoreBits,
    };
  });
  const queryTokens = evaluation.map((c) => c.keys.length);
  return {
    keepMass: KEEP_MASS,
    tokens,
    cases: evaluation.length,
    prescoreBits,
    threshold: threshold.toString(),
    spattenKeepShare: keepShare,
    preScorePassShare: passing / queryTokens.reduce((a, b) => a + b, 0),
    // The unit's schedule, which the RTL meets to the cycle (test/rtl/prescore.test.ts).
    preScoreCycles: (preScoreKeyCycles(queryTokens).at(-1) ?? 0) + 1,
    progressiveKeyBytesFloorPerQuery: (tokens * config.fetcher.msbBits * config.model.headDim) / 8,
    results: [spatten, sprint],
  };
}

/**
 * SPRINT on a whole head, without and with reuse: with it, query i fetches the keys passing its
 * pre-score and the values it keeps, except those query i - 1 fetched (on chip). Calibrated on
 * another head.
 */
export function reuseFigures(config: Config, seed: number, tokens: number) {
  const options = { tokens, queries: tokens, ...HEAD_PROFILE };
  const calibrationHead = structuredHead(config, new Rng(seed + 2), options);
  const head = structuredHead(config, new Rng(seed + 3), options);
  const cases = headCases(head);
  const threshold = calibrateThreshold(config, headCases(calibrationHead), KEEP_MASS);
  const D = config.model.headDim;
  const { keyBits, valueBits, prescoreBits } = config.datapath;
  // On chip from the query before: the keys it fetched (those passing) and the values it kept.
  let keysOnChip = new Set<number>();
  let valuesOnChip = new Set<number>();
  let newKeyRows = 0;
  let onChipMax = 0;
  const figures = (reuse: boolean) =>
    modeFigures(config, reuse ? 'sprint+reuse' : 'sprint', 'head', cases, (c) => {
      const { kept, passing } = thresholdSets(config, c, threshold);
      const fresh = (rows: readonly number[], held: Set<number>) =>
        reuse ? rows.filter((i) => !held.has(i)).length : rows.length;
      const keyRows = fresh(passing, keysOnChip);
      const valueRows = fresh(kept, valuesOnChip);
      if (reuse) {
        newKeyRows += keyRows;
        onChipMax = Math.max(onChipMax, passing.length * keyBits + kept.length * valueBits);
        keysOnChip = new Set(passing);
        valuesOnChip = new Set(kept);
      }
      const nearBits = c.keys.length * prescoreBits;
      return { kept, scored: passing.length, keyBits: keyRows * keyBits, valueRows, nearBits };
    });
  const rows = [figures(false), figures(true)];
  return {
    rows,
    summary: {
      queries: cases.length,
      correlation: HEAD_PROFILE.correlation,
      threshold: threshold.toString(),
      // Key rows fetched per query with reuse, as a share of the sequence.
      adjacentFetchShare: newKeyRows / (cases.length * tokens),
      onChipBytesMax: (onChipMax * D) / 8,
      sprintOnChipBytes: SPRINT_ON_CHIP_BYTES,
    },
  };
}

export const sprintBenchmark: Benchmark = {
  description: 'SpAtten top-k vs SPRINT pre-score threshold at matched mass: bytes, kept, error',
  async run({ resolved, seed, log }) {
    const tokens = Math.min(TOKENS, resolved.config.model.maxTokens);
    log(`sprint: ${CASES} cases of ${tokens} tokens, keep-mass ${KEEP_MASS}`);
    const figures = sprintFigures(resolved.config, seed, tokens);
    const reuse = reuseFigures(resolved.config, seed, tokens);
    return { ...figures, reuse: reuse.summary, results: [...figures.results, ...reuse.rows] };
  },
};
