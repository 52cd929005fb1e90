/**
 * Simulation target `top` (spatten_top): decode steps of top.layers layers × top.heads heads over one
 * head's planes in DRAM (every head reads the same planes with its own query, so heads differ in their
 * output magnitude), with a random pruning schedule: token and head keep counts per layer boundary,
 * random value keep counts, progressive and full-plane keys. Expected results come from the bit-exact
 * cascade model (sim/golden/top.ts) composed around the attention core's model.
 */
import type { ResolvedConfig } from '../../../generator/config/load';
import { deriveAttentionCore } from '../../../generator/config/derive-attention-core';
import type { Config } from '../../../generator/config/schema';
import { topModule } from '../../../generator/modules/top';
import { type TopDescriptor, type TopResult, runTop } from '../../golden/top';
import { type MemoryTiming, axiMemoryAttachment, memoryTiming } from '../axi-memory';
import type { Rng } from '../random';
import type { StreamBeat } from '../vectors';
import { descriptorToStream, randomDescriptor, resultToStream } from './attention-core';
import { type HeadInDram, headInDram } from './fetcher';
import type { SimPlan, SimTarget } from './types';

export function topDescriptorToStream(config: Config, d: TopDescriptor): StreamBeat {
  const { head, first, tokens, boundary, tokenKeep, headKeep, ...coreFields } = d;
  const { n: _unused, ...core } = descriptorToStream(config, { ...coreFields, n: 0 }).fields;
  return {
    fields: {
      ...core,
      head: BigInt(head),
      first: first ? 1n : 0n,
      tokens: BigInt(tokens),
      boundary: boundary ? 1n : 0n,
      token_keep: BigInt(tokenKeep),
      head_keep: BigInt(headKeep),
    },
    last: false,
  };
}

export function topResultToStream(config: Config, r: TopResult): StreamBeat {
  const core = resultToStream(config, r).fields;
  return {
    fields: {
      ...core,
      head: BigInt(r.head),
      skipped: r.skipped ? 1n : 0n,
      n: BigInt(r.n),
      rank_passes: BigInt(r.rankPasses),
    },
    last: false,
  };
}

export interface StepSchedule {
  tokens: number;
  /** Tokens kept after each layer. */
  tokenKeep: number[];
  /** Heads kept after each layer. */
  headKeep: number[];
}

/** A random schedule: tokens and heads shrink at some boundaries (sometimes to all, rarely to none). */
export function randomSchedule(config: Config, rng: Rng): StepSchedule {
  const tokens = rng.int(1, config.model.maxTokens);
  const tokenKeep: number[] = [];
  const headKeep: number[] = [];
  let t = tokens;
  let h = config.top.heads;
  // A keep count above the kept tokens (no pruning) must still fit the descriptor's length field.
  const fieldMax = 2 ** deriveAttentionCore(config).lengthBits - 1;
  for (let layer = 0; layer < config.top.layers; layer += 1) {
    if (rng.chance(0.7)) t = rng.chance(0.05) ? 0 : rng.int(Math.min(1, t), t);
    if (rng.chance(0.5)) h = rng.int(Math.min(1, h), h);
    tokenKeep.push(rng.chance(0.2) ? Math.min(t + rng.int(0, 3), fieldMax) : t);
    headKeep.push(rng.chance(0.2) ? config.top.heads : h);
  }
  return { tokens, tokenKeep, headKeep };
}

/** How the heads of a step read values: see stepDescriptors. */
const STEP_VALUES = ['random', 'quiet', 'mirror', 'mirror'] as const;

/**
 * The descriptors of one decode step: every head of every layer, boundary on a layer's last head.
 * Values come from the random plane, or (so the head ranking turns on single LSBs of |out|) from
 * the small-value plane, or in mirrored pairs: head 2i reads the negated small-value plane and head
 * 2i+1 repeats its request on the plane itself, so the pair's importances tie exactly (the lower head,
 * with the negative outputs, wins the tie) and an odd head_keep splits a pair.
 */
export function stepDescriptors(
  config: Config,
  rng: Rng,
  head: HeadInDram,
  schedule: StepSchedule,
  firstId: number,
): TopDescriptor[] {
  const descriptors: TopDescriptor[] = [];
  const heads = config.top.heads;
  const values = rng.pick(STEP_VALUES);
  for (let layer = 0; layer < config.top.layers; layer += 1) {
    for (let h = 0; h < heads; h += 1) {
      const id = (firstId + descriptors.length) % 2 ** config.attentionCore.requestIdBits;
      const pair = values === 'mirror' && h % 2 === 1 ? descriptors.at(-1) : undefined;
      const mirrored = values === 'mirror' && h % 2 === 0 && h + 1 < heads;
      const valueBase = mirrored ? head.mirrorBase : head.quietBase;
      const core = pair
        ? { ...pair, id, valueBase: head.quietBase }
        : {
            ...randomDescriptor(config, rng, head, id, { bad: 0, full: 0.25 }),
            k: rng.int(1, config.model.maxTokens),
            ...(values === 'random' ? {} : { valueBase }),
          };
      descriptors.push({
        ...core,
        head: h,
        first: descriptors.length === 0,
        tokens: schedule.tokens,
        boundary: h === heads - 1,
        tokenKeep: schedule.tokenKeep[layer] ?? 0,
        headKeep: schedule.headKeep[layer] ?? heads,
      });
    }
  }
  return descriptors;
}

export function topPlan(
  resolved: ResolvedConfig,
  head: HeadInDram,
  descriptors: readonly TopDescriptor[],
  timing: MemoryTiming,
): SimPlan {
  const config = resolved.config;
  const { results, tokensFetched } = runTop(config, head.image, descriptors);
  const rows = tokensFetched.reduce((sum, tokens) => sum + 3 * tokens.length, 0);
  return {
    top: topModule(config),
    inputs: { req: descriptors.map((d) => topDescriptorToStream(config, d)) },
    expected: { res: results.map((r) => topResultToStream(config, r)) },
    extra: axiMemoryAttachment(
      resolved,
      Array.from({ length: config.fetcher.channels }, () => head.image),
      timing,
    ),
    maxCycles:
      20000 +
      rows * 40 +
      descriptors.length * (timing.latencyMax * 8 + 300) +
      descriptors.filter((d) => d.boundary).length * config.model.maxTokens * 8,
  };
}

export const topTarget: SimTarget = {
  description:
    'spatten_top: decode steps with random token/head pruning schedules against the bit-exact cascade model, random DRAM latency',
  plan(resolved, rng, count) {
    const config = resolved.config;
    const head = headInDram(config, rng);
    const descriptors: TopDescriptor[] = [];
    while (descriptors.length < count)
      descriptors.push(
        ...stepDescriptors(config, rng, head, randomSchedule(config, rng), descriptors.length),
      );
    return topPlan(
      resolved,
      head,
      descriptors.slice(0, Math.max(count, 1)),
      memoryTiming(resolved, true),
    );
  },
};
