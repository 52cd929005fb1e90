/** Simulation target `qk_array`: random requests (a query and 1..n keys) with extreme values mixed in. */
import { deriveDatapath } from '../../../generator/config/derive-datapath';
import type { Config } from '../../../generator/config/schema';
import { qkArrayModule } from '../../../generator/modules/qk-array';
import { type QkRequest, qkScores } from '../../golden/qk-array';
import type { Rng } from '../random';
import { type StreamBeat, packLanes } from '../vectors';
import { packRows, packSlice, randomFiller, randomSigned, rowGroups } from './datapath-beats';
import type { SimPlan, SimTarget } from './types';

/** Element patterns of a request: random, all extremes (saturating scores), or all keys equal. */
type Pattern = 'random' | 'most-negative' | 'most-positive' | 'equal-keys';

export function randomQkRequest(config: Config, rng: Rng, keys: number, pattern: Pattern = 'random'): QkRequest {
  const dp = config.datapath;
  const D = config.model.headDim;
  const extreme = (bits: number, sign: 'most-negative' | 'most-positive') => (sign === 'most-negative' ? -(1n << BigInt(bits - 1)) : (1n << BigInt(bits - 1)) - 1n);
  const vector = (bits: number) => Array.from({ length: D }, () => (pattern === 'most-negative' || pattern === 'most-positive' ? extreme(bits, pattern) : randomSigned(rng, bits)));
  const query = vector(dp.queryBits);
  const shared = vector(dp.keyBits);
  return {
    query,
    keys: Array.from({ length: keys }, () => ({
      elements: pattern === 'equal-keys' ? shared : vector(dp.keyBits),
      index: rng.int(0, config.model.maxTokens - 1),
    })),
  };
}

/** `count` requests of 1..3×RowsPerBeat+2 keys, about one in five with an extreme pattern. */
export function randomQkRequests(config: Config, rng: Rng, count: number): QkRequest[] {
  const perBeat = deriveDatapath(config).rowsPerBeat;
  return Array.from({ length: count }, () => {
    const pattern = rng.pick<Pattern>(['random', 'random', 'random', 'random', 'most-negative', 'most-positive', 'equal-keys']);
    return randomQkRequest(config, rng, rng.int(1, 3 * perBeat + 2), pattern);
  });
}

/** Stream beats of the requests and the golden scores; `rng` fills absent rows with garbage. */
export function qkArrayPlan(config: Config, requests: readonly QkRequest[], rng: Rng): SimPlan {
  const dp = config.datapath;
  const shape = deriveDatapath(config);
  const query: StreamBeat[] = [];
  const key: StreamBeat[] = [];
  const score: StreamBeat[] = [];
  for (const request of requests) {
    for (let slice = 0; slice < shape.slices; slice += 1) {
      query.push({ fields: { data: packLanes(request.query.slice(slice * shape.sliceLen, (slice + 1) * shape.sliceLen), dp.queryBits) }, last: false });
    }
    const scores = rowGroups(qkScores(config, request), shape.rowsPerBeat);
    rowGroups(request.keys, shape.rowsPerBeat).forEach((group, g, groups) => {
      const indices = group.map((k) => BigInt(k.index));
      const count = BigInt(group.length);
      for (let slice = 0; slice < shape.slices; slice += 1) {
        key.push({
          fields: {
            data: packSlice(shape, group.map((k) => k.elements), slice, dp.keyBits, randomFiller(rng, dp.keyBits)),
            index: packRows(shape, indices, shape.indexBits, randomFiller(rng, shape.indexBits)),
            count,
          },
          last: g === groups.length - 1 && slice === shape.slices - 1,
        });
      }
      const groupScores = scores[g] ?? [];
      score.push({
        fields: {
          score: packRows(shape, groupScores.map((s) => s.score), dp.scoreBits, () => 0n),
          index: packRows(shape, indices, shape.indexBits, () => 0n),
          count,
        },
        last: g === groups.length - 1,
      });
    });
  }
  return { top: qkArrayModule(config), inputs: { query, key }, expected: { score } };
}

export const qkArrayTarget: SimTarget = {
  description: 'Q×K array: random requests of a query and keys, extreme values mixed in',
  plan(resolved, rng, count) {
    return qkArrayPlan(resolved.config, randomQkRequests(resolved.config, rng, count), rng);
  },
};
