import { describe, expect, it } from 'vitest';
import {
  type AttentionSource,
  type CascadeSchedule,
  runCascade,
  topIndices,
} from '../../sim/golden/cascade';
import { Rng } from '../../sim/harness/random';

const seed = 2024;

/** Softmax of random logits, with planted tokens given a large logit boost. */
function plantedAttention(
  planted: ReadonlySet<number>,
  rng: Rng,
  headWeight: (head: number) => number,
): AttentionSource {
  return (_layer, head, tokens) => {
    const logits = tokens.map((t) => rng.int(0, 1000) / 500 + (planted.has(t) ? 6 : 0));
    const max = Math.max(...logits);
    const exps = logits.map((l) => Math.exp(l - max));
    const sum = exps.reduce((a, b) => a + b, 0);
    return {
      probs: exps.map((e) => e / sum),
      outputMagnitude: headWeight(head) * (1 + rng.int(0, 100) / 1000),
    };
  };
}

const schedule: CascadeSchedule = {
  layers: 6,
  heads: 8,
  tokens: 200,
  tokenKeep: [200, 150, 100, 100, 60, 60],
  headKeep: [8, 8, 6, 6, 4, 4],
};

describe('cascade pruning reference model', () => {
  const planted = new Set([3, 47, 48, 120, 199]);
  const result = runCascade(
    schedule,
    plantedAttention(planted, new Rng(seed), (head) => head + 1),
  );

  it(`keeps planted important tokens through every layer (seed ${seed})`, () => {
    for (const record of result.layers) for (const t of planted) expect(record.tokens).toContain(t);
  });

  it('never fetches a pruned token again, and shrinks as scheduled', () => {
    const counts = result.layers.map((r) => r.tokens.length);
    expect(counts).toEqual([200, 200, 150, 100, 100, 60]);
    for (let l = 1; l < result.layers.length; l += 1) {
      const before = new Set(result.layers[l - 1]?.tokens);
      expect(result.layers[l]?.tokens.every((t) => before.has(t))).toBe(true);
    }
  });

  it('removes the heads with the smallest accumulated output', () => {
    // Head weights grow with the index, so the low heads go first.
    expect(result.layers.map((r) => r.heads)).toEqual([
      [0, 1, 2, 3, 4, 5, 6, 7],
      [0, 1, 2, 3, 4, 5, 6, 7],
      [0, 1, 2, 3, 4, 5, 6, 7],
      [2, 3, 4, 5, 6, 7],
      [2, 3, 4, 5, 6, 7],
      [4, 5, 6, 7],
    ]);
  });

  it('accumulates one unit of probability per head and layer', () => {
    const total = result.tokenImportance.reduce((a, b) => a + b, 0);
    const headLayers = result.layers.reduce((sum, r) => sum + r.heads.length, 0);
    expect(total).toBeCloseTo(headLayers, 9);
  });

  it('breaks ties by the lower index, like the top-k engine', () => {
    expect(topIndices([5, 1, 9, 3], () => 1, 2)).toEqual([1, 3]);
    expect(topIndices([0, 1, 2, 3], (i) => [5, 7, 7, 1][i] ?? 0, 2)).toEqual([1, 2]);
    expect(topIndices([0, 1], () => 0, 0)).toEqual([]);
  });
});
