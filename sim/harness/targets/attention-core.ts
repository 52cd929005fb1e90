/**
 * Simulation target `attention_core`: a head in DRAM (random keys split into MSB/LSB planes, random
 * values), random descriptors (progressive with the refetch firing or not, full-plane keys, a few bad
 * ones), the AXI memory model with random latency. Expected results come from the composed golden model;
 * the result's `cycles` field is measured, not predicted, so it is left out of the comparison.
 */
import type { ResolvedConfig } from '../../../generator/config/load';
import { deriveAttentionCore } from '../../../generator/config/derive-attention-core';
import { deriveDatapath } from '../../../generator/config/derive-datapath';
import type { Config } from '../../../generator/config/schema';
import { attentionCoreModule } from '../../../generator/modules/attention-core';
import { type CoreDescriptor, type CoreResult, attentionCore } from '../../golden/attention-core';
import { type MemoryTiming, axiMemoryAttachment, memoryTiming } from '../axi-memory';
import type { Rng } from '../random';
import { type StreamBeat, packLanes } from '../vectors';
import { mergeAttachments, tokenMapAttachment } from '../token-map';
import { type HeadInDram, headInDram } from './fetcher';
import type { SimPlan, SimTarget } from './types';

export function descriptorToStream(config: Config, d: CoreDescriptor): StreamBeat {
  return {
    fields: {
      query: packLanes(
        d.query.map((q) => BigInt.asUintN(config.datapath.queryBits, q)),
        config.datapath.queryBits,
      ),
      n: BigInt(d.n),
      k: BigInt(d.k),
      key_bits: BigInt(d.keyBits),
      lsb_bits: BigInt(d.lsbBits),
      threshold: d.threshold,
      key_base: BigInt(d.keyBase),
      lsb_base: BigInt(d.lsbBase),
      value_base: BigInt(d.valueBase),
      id: BigInt(d.id),
    },
    last: false,
  };
}

/** The result beat of a core result (the fields spatten_top's result shares too). */
export function resultToStream(
  config: Config,
  r: Pick<
    CoreResult,
    | 'id'
    | 'error'
    | 'requant'
    | 'max'
    | 'out'
    | 'keyBytes'
    | 'lsbBytes'
    | 'valueBytes'
    | 'topkPasses'
  >,
): StreamBeat {
  return {
    fields: {
      id: BigInt(r.id),
      error: r.error ? 1n : 0n,
      requant: r.requant ? 1n : 0n,
      max: r.max,
      out: packLanes(
        r.out.map((o) => BigInt.asUintN(config.datapath.outBits, o)),
        config.datapath.outBits,
      ),
      key_bytes: BigInt(r.keyBytes),
      lsb_bytes: BigInt(r.lsbBytes),
      value_bytes: BigInt(r.valueBytes),
      topk_passes: BigInt(r.topkPasses),
    },
    last: false,
  };
}

/** The probability beats of one result: Lanes per beat, last on the final one. */
export function probsToStream(config: Config, r: CoreResult): StreamBeat[] {
  const lanes = config.softmax.lanes;
  const beats: StreamBeat[] = [];
  for (let start = 0; start < r.probs.length; start += lanes) {
    const chunk = r.probs.slice(start, start + lanes);
    const padded = Array.from({ length: lanes }, (_, i) => chunk[i] ?? 0n);
    beats.push({
      fields: {
        prob: packLanes(padded, config.datapath.probBits),
        count: BigInt(chunk.length),
        id: BigInt(r.id),
      },
      last: start + lanes >= r.probs.length,
    });
  }
  return beats;
}

export interface DescriptorMix {
  /** Fraction of bad descriptors. */
  bad: number;
  /** Fraction of full-plane (non-progressive) requests among good ones. */
  full: number;
}

/**
 * A query: mostly random; one in ten zero (every score equal: ties in the softmax and the value
 * top-k), one in ten at the format's extremes (scores saturate).
 */
function randomQuery(config: Config, rng: Rng): bigint[] {
  const bits = config.datapath.queryBits;
  const roll = rng.int(0, 9);
  const max = (1n << BigInt(bits - 1)) - 1n;
  return Array.from({ length: config.model.headDim }, () => {
    if (roll === 0) return 0n;
    if (roll === 1) return rng.chance(0.5) ? -max - 1n : max;
    return BigInt.asIntN(bits, rng.bits(bits));
  });
}

/**
 * A random descriptor: n and k over the whole range, thresholds from never to always refetching,
 * values from the random or the small-value plane.
 */
export function randomDescriptor(
  config: Config,
  rng: Rng,
  head: HeadInDram,
  id: number,
  mix: DescriptorMix,
): CoreDescriptor {
  const f = config.fetcher;
  const dp = config.datapath;
  const maxTokens = config.model.maxTokens;
  // The ends of each range: one token, the whole capacity, keep one value or every value.
  const any = () => rng.int(1, maxTokens);
  const n = rng.pick([1, maxTokens, any(), any(), any()]);
  const full = rng.chance(mix.full);
  // 1.0, or the largest probability when uW.F has no integer bit (probBits = probFrac): the threshold
  // field is probBits wide.
  const one = BigInt(Math.min(2 ** dp.probFrac, 2 ** dp.probBits - 1));
  const d: CoreDescriptor = {
    query: randomQuery(config, rng),
    n,
    k: rng.pick([1, n, rng.int(1, n), rng.int(1, n)]),
    keyBits: full ? f.msbBits + f.lsbBits : f.msbBits,
    lsbBits: full ? 0 : f.lsbBits,
    threshold: rng.pick([0n, one, BigInt(rng.int(0, Number(one)))]),
    keyBase: full ? head.bases.full : head.bases.msb,
    lsbBase: head.bases.lsb,
    valueBase: rng.chance(0.3) ? head.quietBase : head.bases.full,
    id: id % 2 ** config.attentionCore.requestIdBits,
  };
  if (!rng.chance(mix.bad)) return d;
  // Faults still fit the descriptor's n and k fields (which may hold little more than maxTokens).
  const fieldMax = 2 ** deriveAttentionCore(config).lengthBits - 1;
  const fault = rng.int(0, 3);
  if (fault === 0) return { ...d, n: Math.min(maxTokens + rng.int(1, 3), fieldMax), k: 1 };
  if (fault === 1) return { ...d, k: Math.min(n + 1, fieldMax) };
  if (fault === 2) return { ...d, k: 0 };
  return { ...d, keyBits: f.msbBits + 1, lsbBits: f.lsbBits };
}

/**
 * The plan for a run of descriptors against one head in DRAM. With `tokens` the core is built with
 * TokenMap = 1 and logical row i of every request is token tokens[i]; without, row i is token i.
 */
export function attentionCorePlan(
  resolved: ResolvedConfig,
  head: HeadInDram,
  descriptors: readonly CoreDescriptor[],
  timing: MemoryTiming,
  tokens?: readonly number[],
): SimPlan {
  const config = resolved.config;
  const results = descriptors.map((d) =>
    attentionCore(config, head.image, tokens ? { ...d, tokens } : d),
  );
  const indexWidth = deriveDatapath(config).indexBits;
  const rows = results.reduce(
    (sum, r) => sum + (r.requant ? 2 : 1) * r.probs.length + r.kept.length,
    0,
  );
  return {
    top: attentionCoreModule(config),
    inputs: { req: descriptors.map((d) => descriptorToStream(config, d)) },
    expected: {
      res: results.map((r) => resultToStream(config, r)),
      prob: results.flatMap((r) => probsToStream(config, r)),
    },
    params: { TokenMap: tokens ? 1 : 0 },
    // Every channel reads the same DRAM: one memory model per channel, each holding the image.
    extra: mergeAttachments(
      axiMemoryAttachment(
        resolved,
        Array.from({ length: config.fetcher.channels }, () => head.image),
        timing,
      ),
      tokenMapAttachment(tokens ?? [], indexWidth),
    ),
    maxCycles: 20000 + rows * 40 + descriptors.length * (timing.latencyMax * 8 + 200),
  };
}

export const attentionCoreTarget: SimTarget = {
  description:
    'attention core: random descriptors (progressive with and without LSB refetch, full-plane keys, bad descriptors) against the composed golden model, random DRAM latency',
  plan(resolved, rng, count) {
    const config = resolved.config;
    const head = headInDram(config, rng);
    const descriptors = Array.from({ length: count }, (_, id) =>
      randomDescriptor(config, rng, head, id, { bad: 0.1, full: 0.25 }),
    );
    return attentionCorePlan(resolved, head, descriptors, memoryTiming(resolved, true));
  },
};
