import { describe, expect, it } from 'vitest';
import { deriveTop } from '../../generator/config/derive-top';
import { type AttentionSource, runCascade } from '../../sim/golden/cascade';
import {
  type TopDescriptor,
  initialState,
  pruneHeads,
  pruneTokens,
  type TopResult,
  runTop,
} from '../../sim/golden/top';
import { Rng } from '../../sim/harness/random';
import { headInDram } from '../../sim/harness/targets/fetcher';
import { type StepSchedule, randomSchedule, stepDescriptors } from '../../sim/harness/targets/top';
import { configWith } from '../support/config';

const config = configWith('tiny').config;

describe('spatten_top golden model', () => {
  // The bit-exact model and the float reference of the algorithm (sim/golden/cascade.ts, with its own
  // tests on planted tokens and heads) must keep the same tokens and heads at every layer when they see
  // the same attention: the probabilities the bit-exact core produced, as real numbers.
  it.each([1, 2, 3, 4, 5, 6])(
    'keeps the tokens and heads the float cascade model keeps (seed %i)',
    (seed) => {
      const rng = new Rng(seed);
      const head = headInDram(config, rng);
      const schedule = randomSchedule(config, rng);
      const descriptors = stepDescriptors(config, rng, head, schedule, 0);
      const run = runTop(config, head.image, descriptors);
      const lsb = 2 ** -config.datapath.probFrac;
      const attention: AttentionSource = (layer, h, tokens) => {
        const index = layer * config.top.heads + h;
        expect(
          run.tokensFetched[index],
          `seed ${seed} layer ${layer} head ${h}: fetched tokens`,
        ).toEqual(tokens.length > 0 ? [...tokens] : []);
        const added = run.attention[index];
        return {
          probs: tokens.map((_, i) => Number(added?.probs[i] ?? 0n) * lsb),
          outputMagnitude: Number(added?.magnitude ?? 0n),
        };
      };
      const reference = runCascade(
        {
          layers: config.top.layers,
          heads: config.top.heads,
          tokens: schedule.tokens,
          tokenKeep: schedule.tokenKeep,
          headKeep: schedule.headKeep,
        },
        attention,
      );
      reference.layers.forEach((layer) => {
        const skipped = run.results
          .slice(layer.layer * config.top.heads, (layer.layer + 1) * config.top.heads)
          .flatMap((r) => (r.skipped ? [] : [r.head]));
        expect(skipped, `seed ${seed} layer ${layer.layer}: heads computed`).toEqual(layer.heads);
      });
    },
  );

  it('never fetches a pruned token again, and attends over exactly the kept count', () => {
    for (let seed = 10; seed < 30; seed += 1) {
      const rng = new Rng(seed);
      const head = headInDram(config, rng);
      const run = runTop(
        config,
        head.image,
        stepDescriptors(config, rng, head, randomSchedule(config, rng), 0),
      );
      let allowed = new Set(run.tokensFetched.find((t) => t.length > 0) ?? []);
      run.tokensFetched.forEach((tokens, i) => {
        if (tokens.length === 0) return;
        for (const t of tokens)
          expect(allowed.has(t), `seed ${seed} request ${i} token ${t}`).toBe(true);
        expect(run.results[i]?.n).toBe(tokens.length);
        allowed = new Set(tokens);
      });
    }
  });

  it('pruneTokens keeps the most important positions in order, ties to the lower token, and rescales', () => {
    const state = {
      ...initialState(config),
      n: 6,
      kept: [2, 5, 7, 8, 11, 20],
      importance: [5n, 9n, 1n, 9n, 3n, 9n],
    };
    expect(pruneTokens(config, state, 2)).toEqual({ n: 2, kept: [5, 8], importance: [9n, 9n] });
    expect(pruneTokens(config, state, 6)).toBe(state);
    expect(pruneTokens(config, state, 0)).toEqual({ n: 0, kept: [], importance: [] });
    const shifted = { ...config, top: { ...config.top, importanceShift: 1 } };
    expect(pruneTokens(shifted, state, 9)).toEqual({
      n: 6,
      kept: state.kept,
      importance: [2n, 4n, 0n, 4n, 1n, 4n],
    });
  });

  it('pruneHeads keeps the largest accumulated outputs among kept heads, ties to the lower head', () => {
    const state = {
      ...initialState(config),
      headImportance: [7n, 3n, 7n, 100n],
      headKept: [true, true, true, false],
    };
    expect(pruneHeads(state, 1)).toEqual([true, false, false, false]);
    expect(pruneHeads(state, 2)).toEqual([true, false, true, false]);
    expect(pruneHeads(state, 3)).toBe(state.headKept);
  });

  it('a bad token count on first gives an error and an empty step; a head out of range is an error; pruned heads are skipped', () => {
    const three = { ...config, top: { ...config.top, heads: 3 } };
    const rng = new Rng(40);
    const head = headInDram(three, rng);
    const base = stepDescriptors(
      three,
      rng,
      head,
      { tokens: 10, tokenKeep: [10, 10, 10], headKeep: [1, 1, 1] },
      0,
    );
    const d = (i: number, extra: Partial<TopDescriptor>): TopDescriptor => {
      const descriptor = base[i];
      if (!descriptor) throw new Error(`the step has no descriptor ${i}`);
      return { ...descriptor, ...extra };
    };
    const run = runTop(three, head.image, [
      d(0, { first: true, tokens: three.model.maxTokens + 1, boundary: true, tokenKeep: 1 }),
      d(1, { first: false }),
      d(2, { first: true, tokens: 10, head: 3 }),
      // k above n is clamped to n, not an error.
      d(3, { first: false, head: 0, boundary: true, headKeep: 1, k: 1000 }),
      d(4, { first: false, head: 1 }),
      d(5, { first: false, head: 2 }),
    ]);
    expect(run.results.map((r) => [r.error, r.skipped, r.n])).toEqual([
      [true, false, 0],
      [true, false, 0],
      [true, false, 0],
      [false, false, 10],
      [false, true, 0],
      [false, true, 0],
    ]);
    // Head 0 is the only one with importance at the boundary: heads 1 and 2 are pruned.
    expect(run.final.headKept).toEqual([true, false, false]);
  });

  it("reports each boundary's token top-k passes with the next result, and the core's value top-k's", () => {
    const rng = new Rng(60);
    const head = headInDram(config, rng);
    const { layers, heads } = config.top;
    const schedule: StepSchedule = {
      tokens: 12,
      tokenKeep: Array.from({ length: layers }, (_, l) => Math.max(1, 9 - 3 * l)),
      headKeep: new Array(layers).fill(heads),
    };
    const run = runTop(config, head.image, stepDescriptors(config, rng, head, schedule, 0));
    const { rank, importanceBits } = deriveTop(config);
    const digits = importanceBits / rank.topk.radixBits;
    run.results.forEach((r, i) => {
      const before = i > 0 && i % heads === 0 ? (run.results[i - 1] as TopResult) : undefined;
      // A boundary ran before the first request of each later layer, over the tokens kept then.
      if (before === undefined) expect(r.rankPasses, `result ${i}`).toBe(0);
      else {
        expect(r.rankPasses, `result ${i}`).toBeGreaterThanOrEqual(before.n);
        expect(r.rankPasses, `result ${i}`).toBeLessThanOrEqual(before.n * digits);
      }
      expect(r.topkPasses, `result ${i}`).toBeGreaterThanOrEqual(r.n);
    });
  });

  it('sizes importance so a whole step cannot saturate, and saturates beyond it', () => {
    const { importanceBits } = deriveTop(config);
    expect(2 ** importanceBits).toBeGreaterThanOrEqual(
      config.top.heads * config.top.layers * 2 ** config.datapath.probBits,
    );
    const rng = new Rng(50);
    const head = headInDram(config, rng);
    const schedule: StepSchedule = {
      tokens: 1,
      tokenKeep: new Array(config.top.layers).fill(1),
      headKeep: new Array(config.top.layers).fill(config.top.heads),
    };
    const step = stepDescriptors(config, rng, head, schedule, 0);
    // One token: every probability is 1.0; many more requests than a step holds, no boundary between.
    const long = Array.from({ length: 40 }, (_, i) => {
      const descriptor = step[i % step.length];
      if (!descriptor) throw new Error('the step has no descriptors');
      return { ...descriptor, first: i === 0, boundary: false };
    });
    const run = runTop(config, head.image, long);
    expect(run.final.importance).toEqual([(1n << BigInt(importanceBits)) - 1n]);
  });
});
