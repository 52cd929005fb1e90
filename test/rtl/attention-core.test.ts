import { describe, expect, it } from 'vitest';
import { attentionCore } from '../../sim/golden/attention-core';
import { memoryTiming } from '../../sim/harness/axi-memory';
import { checkPlan } from '../../sim/harness/check';
import { Rng } from '../../sim/harness/random';
import { attentionCorePlan, randomDescriptor } from '../../sim/harness/targets/attention-core';
import { headInDram } from '../../sim/harness/targets/fetcher';
import { configWith } from '../support/config';
import { availableSimulators } from '../support/simulators';

const simulators = availableSimulators();
const resolved = configWith('tiny');
const config = resolved.config;

/** Bad descriptors between good ones: each must give an error result, no hang, and leave the next request unaffected. */
function badSequence(rng: Rng, head: ReturnType<typeof headInDram>) {
  const good = (id: number) => randomDescriptor(config, rng, head, id, { bad: 0, full: 0 });
  const f = config.fetcher;
  return [
    good(0),
    { ...good(1), n: config.model.maxTokens + 1, k: 1 },
    good(2),
    { ...good(3), n: 5, k: 6 },
    { ...good(4), n: 0, k: 0 },
    { ...good(5), keyBits: f.msbBits, lsbBits: f.lsbBits + 1 },
    { ...good(6), n: 4, k: 0 },
    good(7),
  ];
}

describe.each(simulators)('attention core RTL on %s', (simulator) => {
  it('matches the composed golden model on bad descriptors and random requests under random stalls and DRAM latency', async () => {
    const seed = 11;
    const rng = new Rng(seed);
    const head = headInDram(config, rng);
    const bad = badSequence(rng, head);
    const descriptors = [
      ...bad,
      ...Array.from({ length: 100 }, (_, id) =>
        randomDescriptor(config, rng, head, id, { bad: 0.1, full: 0.25 }),
      ),
    ];
    const results = descriptors.map((d) => attentionCore(config, head.image, d));
    expect(results.slice(0, bad.length).map((r) => r.error)).toEqual([
      false,
      true,
      false,
      true,
      true,
      true,
      true,
      false,
    ]);
    // The mix exercises every path: refetch fired and not, full-plane keys, bad descriptors.
    expect(
      results.some((r) => r.requant),
      `seed ${seed}`,
    ).toBe(true);
    expect(
      results.some((r) => !r.requant && !r.error && r.lsbBytes === 0),
      `seed ${seed}`,
    ).toBe(true);
    expect(
      descriptors.some((d) => d.lsbBits === 0),
      `seed ${seed}`,
    ).toBe(true);
    const plan = attentionCorePlan(resolved, head, descriptors, memoryTiming(resolved, true));
    const { failures, result } = await checkPlan(resolved, plan, { simulator, seed, stall: 0.4 });
    expect(failures, `seed ${seed}`).toEqual([]);
    // Cycles are measured from the descriptor: every good request takes at least its key and value rows.
    result.outputs.res?.forEach((out, i) => {
      const r = results[i];
      if (r && !r.error)
        expect(Number(out.beat.fields.cycles), `seed ${seed} request ${i}`).toBeGreaterThan(
          r.probs.length + r.kept.length,
        );
    });
  }, 240_000);
});

// Fetch beats striped over the fetcher channels in turn, rows gathered in the same order (Icarus only:
// the striping is plain control, and a second Verilator build would double the suite's cost).
describe.runIf(simulators.includes('icarus'))(
  'attention core RTL with several fetcher channels',
  () => {
    it.each([2, 3])(
      'matches the golden model with %i channels under stalls',
      async (channels) => {
        const seed = 20 + channels;
        const striped = configWith('tiny', [
          `fetcher.channels=${channels}`,
          `memory.bytesPerCycle=${8 * channels}`,
        ]);
        const rng = new Rng(seed);
        const head = headInDram(striped.config, rng);
        const descriptors = Array.from({ length: 30 }, (_, id) =>
          randomDescriptor(striped.config, rng, head, id, { bad: 0.1, full: 0.25 }),
        );
        const plan = attentionCorePlan(striped, head, descriptors, memoryTiming(striped, true));
        const { failures } = await checkPlan(striped, plan, {
          simulator: 'icarus',
          seed,
          stall: 0.4,
        });
        expect(failures, `seed ${seed}`).toEqual([]);
      },
      120_000,
    );
  },
);

// TokenMap = 1: logical rows are the tokens of a kept-token list (as spatten_top drives it). Runs of
// consecutive tokens and gaps both occur, so bursts coalesce on the mapped addresses and break at gaps.
describe.each(simulators)('attention core RTL with a token map on %s', (simulator) => {
  it('fetches the mapped tokens and matches the golden model under stalls', async () => {
    const seed = 31;
    const rng = new Rng(seed);
    const head = headInDram(config, rng);
    const all = Array.from({ length: config.model.maxTokens }, (_, t) => t);
    const tokens = all.filter(() => rng.chance(0.6));
    const small = { ...config, model: { ...config.model, maxTokens: tokens.length } };
    const descriptors = Array.from({ length: 30 }, (_, id) =>
      randomDescriptor(small, rng, head, id, { bad: 0, full: 0.25 }),
    );
    // Some requests (one token, a zero query, small values) give the same output either way.
    const remapped = descriptors.filter((d) => {
      const mapped = attentionCore(config, head.image, { ...d, tokens });
      return mapped.out.some((x, i) => x !== attentionCore(config, head.image, d).out[i]);
    });
    expect(remapped.length, 'the map changes which rows are read').toBeGreaterThan(
      descriptors.length / 3,
    );
    const plan = attentionCorePlan(
      resolved,
      head,
      descriptors,
      memoryTiming(resolved, true),
      tokens,
    );
    const { failures } = await checkPlan(resolved, plan, { simulator, seed, stall: 0.4 });
    expect(failures, `seed ${seed}`).toEqual([]);
  }, 240_000);
});

// Requests overlap: the key side takes request r+1 while request r's softmax still runs (its last
// probability leaves after r+1 was taken), and request r+2 before r's result, so at least three
// requests are in the core at once (it holds up to four: two key-side contexts, pending, value side).
describe.runIf(simulators.includes('icarus'))('attention core request overlap', () => {
  it("takes request r+1 during request r's softmax and r+2 before r's result", async () => {
    const seed = 41;
    const rng = new Rng(seed);
    const head = headInDram(config, rng);
    const n = config.model.maxTokens;
    const descriptors = Array.from({ length: 8 }, (_, id) => ({
      ...randomDescriptor(config, rng, head, id, { bad: 0, full: 1 }),
      n,
      k: n / 4,
    }));
    const plan = attentionCorePlan(resolved, head, descriptors, memoryTiming(resolved, false));
    const { failures, result } = await checkPlan(resolved, plan, {
      simulator: 'icarus',
      seed,
      stall: 0,
    });
    expect(failures, `seed ${seed}`).toEqual([]);
    const taken = result.inputAccepted.req ?? [];
    const resultCycle = (id: number) =>
      result.outputs.res?.find((o) => Number(o.beat.fields.id) === id)?.cycle ?? Number.NaN;
    const lastProbCycle = (id: number) =>
      Math.max(
        ...(result.outputs.prob ?? [])
          .filter((o) => Number(o.beat.fields.id) === id)
          .map((o) => o.cycle),
      );
    const later = descriptors.slice(1);
    const takenEarly = later.filter(
      (d) => (taken[d.id] ?? Number.POSITIVE_INFINITY) < lastProbCycle(d.id - 1),
    );
    const third = descriptors.slice(2);
    const thirdInside = third.filter(
      (d) => (taken[d.id] ?? Number.POSITIVE_INFINITY) < resultCycle(d.id - 2),
    );
    expect(
      takenEarly.length,
      `seed ${seed}: requests taken before the previous softmax ended`,
    ).toBe(later.length);
    expect(
      thirdInside.length,
      `seed ${seed}: requests taken before the result of the one two before`,
    ).toBe(third.length);
  }, 120_000);
});

// Full size: the fpga preset (D = 64, 12-bit datapath, 4 fetcher channels), n about 1000 (Verilator only).
describe.runIf(simulators.includes('verilator'))('attention core RTL at full size', () => {
  it('matches the golden model on n = 1000 requests at preset fpga, with and without the LSB refetch', async () => {
    const seed = 51;
    const fpga = configWith('fpga');
    const rng = new Rng(seed);
    const head = headInDram(fpga.config, rng);
    const one = 1n << BigInt(fpga.config.datapath.probFrac);
    const descriptors = [0n, one, 0n].map((threshold, id) => ({
      ...randomDescriptor(fpga.config, rng, head, id, { bad: 0, full: 0 }),
      n: 1000,
      k: 200,
      threshold,
    }));
    const results = descriptors.map((d) => attentionCore(fpga.config, head.image, d));
    expect(
      results.map((r) => r.requant),
      `seed ${seed}`,
    ).toEqual([false, true, false]);
    const plan = attentionCorePlan(fpga, head, descriptors, memoryTiming(fpga, true));
    const { failures } = await checkPlan(fpga, plan, { simulator: 'verilator', seed, stall: 0.2 });
    expect(failures, `seed ${seed}`).toEqual([]);
  }, 600_000);
});
