/**
 * Reference model (float64) of SpAtten's cascade token and head pruning across the layers of one
 * decode step, the algorithm `spatten_top` will run in hardware:
 *
 * - Every active head of a layer attends over the kept tokens only (those are the only keys fetched).
 * - Token importance accumulates the attention probabilities every head gives a token, over heads and
 *   layers (optionally rescaling the previous importance by `rescale` first, as the trace's
 *   if_rescale_previous_importance asks).
 * - Head importance accumulates the magnitude (sum of |element|) of each head's output.
 * - At the boundary after layer l, if the schedule says so, the top-k of token importance (ties: lower
 *   token index, as the top-k engine) becomes the kept-token list for every later layer, and the top-k of
 *   head importance (ties: lower head index) the active heads.
 */

export interface CascadeSchedule {
  layers: number;
  heads: number;
  /** Context length before pruning. */
  tokens: number;
  /** Tokens kept after layer l's boundary (>= the current count: no token pruning there). */
  tokenKeep: readonly number[];
  /** Heads kept after layer l's boundary (>= the current count: no head pruning there). */
  headKeep: readonly number[];
  /** Factor applied to the accumulated token importance before each layer adds to it (1 = plain sum). */
  rescale?: number;
}

export interface HeadAttention {
  /** Probability of each kept token (same order as the `tokens` argument); sums to 1. */
  probs: readonly number[];
  /** Sum of |element| of the head's output vector. */
  outputMagnitude: number;
}

/** Where attention comes from: the workload (synthetic in tests, the RTL datapath in co-simulation). */
export type AttentionSource = (
  layer: number,
  head: number,
  tokens: readonly number[],
) => HeadAttention;

export interface LayerRecord {
  layer: number;
  /** Tokens whose keys every active head of this layer fetched, ascending. */
  tokens: number[];
  /** Heads computed in this layer, ascending. */
  heads: number[];
}

export interface CascadeResult {
  layers: LayerRecord[];
  tokenImportance: number[];
  headImportance: number[];
}

/** Indices of the k largest scores among `candidates`; ties go to the lower index; result ascending. */
export function topIndices(
  candidates: readonly number[],
  score: (index: number) => number,
  k: number,
): number[] {
  return [...candidates]
    .sort((a, b) => score(b) - score(a) || a - b)
    .slice(0, Math.max(0, k))
    .sort((a, b) => a - b);
}

export function runCascade(schedule: CascadeSchedule, attention: AttentionSource): CascadeResult {
  let tokens = Array.from({ length: schedule.tokens }, (_, t) => t);
  let heads = Array.from({ length: schedule.heads }, (_, h) => h);
  const tokenImportance = new Array<number>(schedule.tokens).fill(0);
  const headImportance = new Array<number>(schedule.heads).fill(0);
  const layers: LayerRecord[] = [];
  for (let layer = 0; layer < schedule.layers; layer += 1) {
    layers.push({ layer, tokens: [...tokens], heads: [...heads] });
    const rescale = schedule.rescale ?? 1;
    for (const t of tokens) tokenImportance[t] = (tokenImportance[t] ?? 0) * rescale;
    for (const head of heads) {
      const { probs, outputMagnitude } = attention(layer, head, tokens);
      if (probs.length !== tokens.length)
        throw new Error(
          `layer ${layer} head ${head}: ${probs.length} probabilities for ${tokens.length} tokens`,
        );
      tokens.forEach((t, i) => {
        tokenImportance[t] = (tokenImportance[t] ?? 0) + (probs[i] ?? 0);
      });
      headImportance[head] = (headImportance[head] ?? 0) + outputMagnitude;
    }
    const keepTokens = schedule.tokenKeep[layer] ?? tokens.length;
    if (keepTokens < tokens.length)
      tokens = topIndices(tokens, (t) => tokenImportance[t] ?? 0, keepTokens);
    const keepHeads = schedule.headKeep[layer] ?? heads.length;
    if (keepHeads < heads.length)
      heads = topIndices(heads, (h) => headImportance[h] ?? 0, keepHeads);
  }
  return { layers, tokenImportance, headImportance };
}
