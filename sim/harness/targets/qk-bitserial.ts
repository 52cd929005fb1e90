/**
 * Simulation target `qk_bitserial`: random requests (a query, a threshold, 1..n keys of distinct
 * token indices). Thresholds fall among the keys' own dot products (ties included), beyond all of
 * them either way, or at the extreme of the format; element values mix in the format's extremes.
 * Keys go to the unit as their sign planes, and whole into the plane memory it reads the rest from.
 */
import type { Config } from '../../../generator/config/schema';
import { qkBitserialModule } from '../../../generator/modules/qk-bitserial';
import { deriveDatapath } from '../../../generator/config/derive-datapath';
import { dotProduct } from '../../golden/qk-array';
import {
  type BitserialRequest,
  bitPlane,
  bitserialScores,
  queryReach,
} from '../../golden/qk-bitserial';
import { planeMemoryAttachment } from '../plane-memory';
import type { Rng } from '../random';
import { type StreamBeat, packLanes, toUnsigned } from '../vectors';
import { randomSigned } from './datapath-beats';
import type { SimPlan, SimTarget } from './types';

/** Bits of the accumulator: query + key widths + log2 D (as the module's AccWidth). */
export const bitserialAccBits = (config: Config) =>
  config.datapath.queryBits + config.datapath.keyBits + Math.log2(config.model.headDim);

/** `count` distinct token indices of 0..maxTokens-1, in random order. */
function distinctIndices(config: Config, rng: Rng, count: number): number[] {
  const all = Array.from({ length: config.model.maxTokens }, (_, i) => i);
  for (let i = 0; i < count; i += 1) {
    const j = rng.int(i, all.length - 1);
    [all[i], all[j]] = [all[j] as number, all[i] as number];
  }
  return all.slice(0, count);
}

export function randomBitserialRequest(config: Config, rng: Rng, keys: number): BitserialRequest {
  const { queryBits, keyBits } = config.datapath;
  const D = config.model.headDim;
  const query = Array.from({ length: D }, () => randomSigned(rng, queryBits));
  const list = distinctIndices(config, rng, Math.min(keys, config.model.maxTokens)).map(
    (index) => ({ elements: Array.from({ length: D }, () => randomSigned(rng, keyBits)), index }),
  );
  const { pos, neg } = queryReach(query);
  const top = ((1n << BigInt(keyBits - 1)) - 1n) * pos + (1n << BigInt(keyBits - 1)) * neg;
  const limit = 1n << BigInt(bitserialAccBits(config));
  const own = list.map((k) => dotProduct(query, k.elements));
  const roll = rng.int(0, 9);
  const threshold =
    roll === 0
      ? -top - 1n
      : roll === 1
        ? top + 1n
        : roll === 2
          ? limit - 1n
          : (own[rng.int(0, own.length - 1)] ?? 0n) + BigInt(rng.int(-2, 2));
  return { query, threshold, keys: list };
}

export function qkBitserialPlan(config: Config, requests: readonly BitserialRequest[]): SimPlan {
  const { queryBits, keyBits } = config.datapath;
  const accBits = bitserialAccBits(config);
  const query: StreamBeat[] = [];
  const key: StreamBeat[] = [];
  const score: StreamBeat[] = [];
  let planes = 0;
  let keys = 0;
  for (const request of requests) {
    query.push({
      fields: {
        data: packLanes(request.query, queryBits),
        threshold: toUnsigned(request.threshold, accBits + 1),
      },
      last: false,
    });
    request.keys.forEach((k, i) => {
      key.push({
        fields: { data: bitPlane(k.elements, 0, keyBits), index: BigInt(k.index) },
        last: i === request.keys.length - 1,
      });
    });
    bitserialScores(config, request).forEach((s, i) => {
      planes += s.planes;
      keys += 1;
      score.push({
        fields: {
          index: BigInt(s.index),
          kept: s.kept ? 1n : 0n,
          acc: toUnsigned(s.acc, accBits),
          planes: BigInt(s.planes),
        },
        last: i === request.keys.length - 1,
      });
    });
  }
  const memory = planeMemoryAttachment(
    config,
    requests,
    deriveDatapath(config).indexBits,
    planes - keys,
  );
  return {
    top: qkBitserialModule(config),
    inputs: { query, key },
    expected: { score },
    extra: memory,
  };
}

/** `count` requests of 1..4×(lanes × contexts) keys: enough to fill every context. */
export function randomBitserialRequests(config: Config, rng: Rng, count: number) {
  const most =
    4 * config.datapath.bitserialLanes * (Math.ceil(Math.log2(config.model.headDim) / 2) + 3);
  return Array.from({ length: count }, () => randomBitserialRequest(config, rng, rng.int(1, most)));
}

export const qkBitserialTarget: SimTarget = {
  description: 'bit-serial Q×K with early termination: random queries, thresholds and keys',
  plan(resolved, rng, count) {
    return qkBitserialPlan(resolved.config, randomBitserialRequests(resolved.config, rng, count));
  },
};
