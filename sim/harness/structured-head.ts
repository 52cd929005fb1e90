/**
 * Structured synthetic attention of a whole head, for the reuse between adjacent queries (SPRINT,
 * issue 17): every query of the head attends to the same keys, and adjacent queries attend to
 * nearly the same tokens, as in self-attention over a sequence (BERT, a GPT-2 prompt).
 *
 * Construction: query i is a random walk in D dimensions, q_(i+1) = ρ·q_i + sqrt(1 - ρ²)·n_i,
 * so q_i·q_j ≈ D·ρ^|i - j|. Token t is homed at query h(t) = floor(t·Q / N) and given a strength
 * s_t in the dominant range of the structured profile (PROFILE); its key is built so that its
 * home query scores it s_t: k_t = s_t·sqrt(D)·q_h / |q_h|² + noise. Query i then scores token t
 * about s_t·ρ^|i - h(t)| (plus noise of size PROFILE.noise): a band of tokens around its own
 * position, which moves by one token per query. Seeded; quantized to the config's formats.
 */
import type { Config } from '../../generator/config/schema';
import { quantize } from '../workloads/quantize';
import type { Rng } from './random';
import { PROFILE, normal } from './structured-attention';

/** Query elements' size: queries of 2 let keys stay small (about s / (2·sqrt(D))). */
const QUERY_SIZE = 2;

export interface HeadOptions {
  tokens: number;
  queries: number;
  /** ρ: the correlation of adjacent queries, 0..1. */
  correlation: number;
  /** The range of the tokens' strengths s_t (scores at their home query). */
  strength: [number, number];
}

/**
 * The profile bench sprint uses: ρ = 0.8 (a band of a few tokens that moves one token a query)
 * and strengths 16 to 20. Below about 16, the tail a walk in D = 64 leaves (distant queries'
 * cosine about ±1/sqrt(D)) holds so much mass that keep-mass 0.99 keeps most of the sequence.
 */
export const HEAD_PROFILE = { correlation: 0.8, strength: [16, 20] as [number, number] };

export interface AttentionHead {
  /** Raw sQueryBits.queryFrac elements, one row per query, in order. */
  queries: bigint[][];
  /** Raw key and value rows, one per token. */
  keys: bigint[][];
  values: bigint[][];
}

export function structuredHead(config: Config, rng: Rng, options: HeadOptions): AttentionHead {
  const dp = config.datapath;
  const D = config.model.headDim;
  const { tokens, queries, correlation: rho } = options;
  const { noise } = PROFILE;
  const [low, high] = options.strength;
  const walk: number[][] = [];
  const first = Array.from({ length: D }, () => normal(rng));
  const firstScale = Math.sqrt((QUERY_SIZE ** 2 * D) / first.reduce((s, x) => s + x * x, 0));
  let q = first.map((x) => x * firstScale);
  for (let i = 0; i < queries; i += 1) {
    walk.push(q);
    const step = q.map((x) => rho * x + Math.sqrt(1 - rho * rho) * normal(rng));
    const scale = Math.sqrt((QUERY_SIZE ** 2 * D) / step.reduce((s, x) => s + x * x, 0));
    q = step.map((x) => x * scale);
  }
  const keys = Array.from({ length: tokens }, (_, t) => {
    const home = walk[Math.floor((t * queries) / tokens)] ?? [];
    const norm2 = home.reduce((s, x) => s + x * x, 0);
    const strength = low + ((high - low) * rng.int(0, 1000)) / 1000;
    const c = (strength * Math.sqrt(D)) / norm2;
    return home.map((x) => quantize(c * x + noise * normal(rng), dp.keyBits, dp.keyFrac));
  });
  const values = keys.map(() =>
    Array.from({ length: D }, () => quantize(normal(rng), dp.valueBits, dp.valueFrac)),
  );
  return {
    queries: walk.map((row) => row.map((x) => quantize(x, dp.queryBits, dp.queryFrac))),
    keys,
    values,
  };
}

/** Query i of a head as a case of its own (its query, the head's keys and values). */
export const headCase = (head: AttentionHead, i: number) => ({
  query: head.queries[i] ?? [],
  keys: head.keys,
  values: head.values,
});

/** Every query of a head as a case, in order. */
export const headCases = (head: AttentionHead) => head.queries.map((_, i) => headCase(head, i));
