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
 * Reuse between adjacent queries (`reuse`): on a whole head of self-attention
 * (sim/harness/structured-head.ts, as many queries as tokens, adjacent queries attending to nearly
 * the same tokens), SPRINT keeps on chip the keys the previous query fetched and the values it
 * kept: a query fetches only the passing keys and the kept values not already there. What this does not measure yet: the
 * core's cycles in threshold mode (docs/sprint.md, "Not there yet").
 */
import type { Config } from '../generator/config/schema';
import {
  type OutputError,
  caseAccs,
  caseThreshold,
  calibrateThreshold,
  keptMass,
  keptOutputError,
} from '../sim/golden/keep-mass';
import { preScoreKeyCycles, preScorePasses } from '../sim/golden/prescore';
import { Rng } from '../sim/harness/random';
import type { AttentionCase } from '../sim/harness/structured-attention';
import { headCase, structuredHead } from '../sim/harness/structured-head';
import type { Benchmark } from './index';
import { CASES, KEEP_MASS, benchCases } from './leopard';

/** Tokens per query: the BERT-like summarization length, or the config's limit. */
const TOKENS = 384;
/** The head workload: adjacent queries' correlation and the tokens' strengths at home. */
const HEAD = { correlation: 0.8, strength: [16, 20] as [number, number] };
/** S-SPRINT's on-chip memory, for comparison with the rows reuse holds. */
const SPRINT_ON_CHIP_BYTES = 16 * 1024;

type ModeFigures = {
  mode: 'spatten' | 'sprint';
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

/** The mass a kept set holds: keptMass at the threshold of its lowest member. */
function massOf(config: Config, c: AttentionCase, kept: readonly number[]): number {
  const accs = caseAccs(c);
  const lowest = kept.reduce(
    (low, i) => {
      const a = accs[i] ?? 0n;
      return a < low ? a : low;
    },
    accs[kept[0] ?? 0] ?? 0n,
  );
  return keptMass(config, c, lowest);
}

function modeFigures(
  config: Config,
  mode: ModeFigures['mode'],
  cases: readonly AttentionCase[],
  run: (c: AttentionCase) => { kept: number[]; scored: number; keyBits: number; nearBits: number },
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
    bus += (r.keyBits * D + r.kept.length * valueBits * D) / 8;
    near += (r.nearBits * D) / 8;
    masses.push(massOf(config, c, r.kept));
    errors.push(keptOutputError(config, c, r.kept));
  }
  const queries = cases.length;
  return {
    mode,
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

export function sprintFigures(config: Config, seed: number, tokens: number) {
  const calibration = benchCases(config, new Rng(seed), CASES, tokens);
  const evaluation = benchCases(config, new Rng(seed + 1), CASES, tokens);
  const { keyBits, prescoreBits } = config.datapath;
  const keepShare = calibrateKeepShare(config, calibration);
  const threshold = calibrateThreshold(config, calibration, KEEP_MASS);
  const spatten = modeFigures(config, 'spatten', evaluation, (c) => ({
    kept: topIndices(c, Math.ceil(keepShare * c.keys.length)),
    scored: c.keys.length,
    keyBits: c.keys.length * keyBits,
    nearBits: 0,
  }));
  let passing = 0;
  const sprint = modeFigures(config, 'sprint', evaluation, (c) => {
    const accs = caseAccs(c);
    const passes = c.keys.map((k) => preScorePasses(c.query, k, threshold, keyBits, prescoreBits));
    const scored = passes.filter(Boolean).length;
    passing += scored;
    return {
      kept: accs.flatMap((a, i) => (a >= threshold ? [i] : [])),
      scored,
      keyBits: scored * keyBits,
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
 * SPRINT on a whole head with reuse: query i fetches the keys passing its pre-score and the values
 * it keeps, except those query i - 1 fetched (on chip). Calibrated on another head.
 */
export function reuseFigures(config: Config, seed: number, tokens: number) {
  const options = { tokens, queries: tokens, ...HEAD };
  const calibrationHead = structuredHead(config, new Rng(seed + 2), options);
  const head = structuredHead(config, new Rng(seed + 3), options);
  const cases = head.queries.map((_, i) => headCase(head, i));
  const threshold = calibrateThreshold(
    config,
    calibrationHead.queries.map((_, i) => headCase(calibrationHead, i)),
    KEEP_MASS,
  );
  const D = config.model.headDim;
  const { keyBits, valueBits, prescoreBits } = config.datapath;
  // On chip from the query before: the keys it fetched (those passing) and the values it kept.
  let keysOnChip = new Set<number>();
  let valuesOnChip = new Set<number>();
  let newKeyRows = 0;
  let busBits = 0;
  let onChipMax = 0;
  let keptTotal = 0;
  let passingTotal = 0;
  let noReuseBits = 0;
  const masses: number[] = [];
  for (const c of cases) {
    const accs = caseAccs(c);
    const kept = accs.flatMap((a, i) => (a >= threshold ? [i] : []));
    const passing = c.keys.flatMap((k, i) =>
      preScorePasses(c.query, k, threshold, keyBits, prescoreBits) ? [i] : [],
    );
    const fresh = (rows: readonly number[], held: Set<number>) =>
      rows.filter((i) => !held.has(i)).length;
    newKeyRows += fresh(passing, keysOnChip);
    busBits += fresh(passing, keysOnChip) * keyBits + fresh(kept, valuesOnChip) * valueBits;
    onChipMax = Math.max(onChipMax, passing.length * keyBits + kept.length * valueBits);
    keptTotal += kept.length;
    passingTotal += passing.length;
    noReuseBits += passing.length * keyBits + kept.length * valueBits;
    masses.push(keptMass(config, c, threshold));
    keysOnChip = new Set(passing);
    valuesOnChip = new Set(kept);
  }
  const queries = cases.length;
  const denseBitsPerQuery = tokens * (keyBits + valueBits);
  return {
    queries,
    tokens,
    correlation: HEAD.correlation,
    threshold: threshold.toString(),
    keptMassMin: Math.min(...masses),
    keptPerQuery: keptTotal / queries,
    passingPerQuery: passingTotal / queries,
    // Key rows fetched per query, as a share of the sequence.
    adjacentFetchShare: newKeyRows / (queries * tokens),
    busBytesPerQuery: (busBits * D) / 8 / queries,
    busShareOfDense: busBits / (queries * denseBitsPerQuery),
    busShareOfDenseWithoutReuse: noReuseBits / (queries * denseBitsPerQuery),
    nearMemoryBytesPerQuery: (tokens * prescoreBits * D) / 8,
    onChipBytesMax: (onChipMax * D) / 8,
    sprintOnChipBytes: SPRINT_ON_CHIP_BYTES,
  };
}

export const sprintBenchmark: Benchmark = {
  description: 'SpAtten top-k vs SPRINT pre-score threshold at matched mass: bytes, kept, error',
  async run({ resolved, seed, log }) {
    const tokens = Math.min(TOKENS, resolved.config.model.maxTokens);
    log(`sprint: ${CASES} cases of ${tokens} tokens, keep-mass ${KEEP_MASS}`);
    return {
      ...sprintFigures(resolved.config, seed, tokens),
      reuse: reuseFigures(resolved.config, seed, tokens),
    };
  },
};
