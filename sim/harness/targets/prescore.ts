/**
 * Simulation target `prescore`: the requests of qk_bitserial's target (a query, a threshold among
 * the keys' dot products or beyond them, 1..n keys), half of them with the threshold moved next to
 * one key's pre-score bound instead, where pass turns to fail. Keys go to the unit as their top
 * datapath.prescoreBits bits.
 */
import type { Config } from '../../../generator/config/schema';
import { prescoreModule } from '../../../generator/modules/prescore';
import { preScore, preScoreResults, topBits } from '../../golden/prescore';
import { type BitserialRequest, queryReach } from '../../golden/qk-bitserial';
import type { Rng } from '../random';
import { type StreamBeat, packLanes, toUnsigned } from '../vectors';
import { bitserialAccBits, randomBitserialRequest } from './qk-bitserial';
import type { SimPlan, SimTarget } from './types';

/** A request whose threshold is, half of the time, within 2 of one key's pre-score bound. */
export function randomPreScoreRequest(config: Config, rng: Rng, keys: number): BitserialRequest {
  const request = randomBitserialRequest(config, rng, keys);
  const { keyBits, prescoreBits } = config.datapath;
  const key = request.keys[rng.int(0, request.keys.length - 1)];
  if (!key || rng.int(0, 1) === 0) return request;
  const reach = ((1n << BigInt(keyBits - prescoreBits)) - 1n) * queryReach(request.query).pos;
  const bound = preScore(request.query, key.elements, keyBits, prescoreBits) + reach;
  const limit = 1n << BigInt(bitserialAccBits(config));
  const threshold = bound + BigInt(rng.int(-2, 2));
  return { ...request, threshold: threshold < limit ? threshold : limit - 1n };
}

export function prescorePlan(config: Config, requests: readonly BitserialRequest[]): SimPlan {
  const { queryBits, keyBits, prescoreBits } = config.datapath;
  const query: StreamBeat[] = [];
  const key: StreamBeat[] = [];
  const keep: StreamBeat[] = [];
  for (const request of requests) {
    const last = request.keys.length - 1;
    query.push({
      fields: {
        data: packLanes(request.query, queryBits),
        threshold: toUnsigned(request.threshold, bitserialAccBits(config) + 1),
      },
      last: false,
    });
    request.keys.forEach((k, i) => {
      const data = packLanes(topBits(k.elements, keyBits, prescoreBits), prescoreBits);
      key.push({ fields: { data, index: BigInt(k.index) }, last: i === last });
    });
    preScoreResults(request, keyBits, prescoreBits).forEach((result, i) => {
      const fields = { index: BigInt(result.index), pass: result.pass ? 1n : 0n };
      keep.push({ fields, last: i === last });
    });
  }
  return { top: prescoreModule(config), inputs: { query, key }, expected: { keep } };
}

/** `count` requests of 1..48 keys: past the unit's queue, short enough for a quick run. */
export function randomPreScoreRequests(config: Config, rng: Rng, count: number) {
  return Array.from({ length: count }, () => randomPreScoreRequest(config, rng, rng.int(1, 48)));
}

export const prescoreTarget: SimTarget = {
  description: "SPRINT's pre-score: random queries, thresholds and keys' top bits",
  plan(resolved, rng, count) {
    return prescorePlan(resolved.config, randomPreScoreRequests(resolved.config, rng, count));
  },
};
