/** Simulation target `qk_array`: random requests (a query and 1..n keys) with extreme values mixed in. */
import { deriveDatapath } from '../../../generator/config/derive-datapath';
import type { Config } from '../../../generator/config/schema';
import { qkArrayModule } from '../../../generator/modules/qk-array';
import { type QkRequest, dotProduct, qkScores } from '../../golden/qk-array';
import type { Rng } from '../random';
import { type StreamBeat, packLanes } from '../vectors';
import { packRows, packSlice, randomFiller, randomSigned, rowGroups } from './datapath-beats';
import type { SimPlan, SimTarget } from './types';

/**
 * Element patterns of a request: random, all extremes (saturating scores), all keys equal, or ties
 * (most keys made to score exactly half an LSB above a score: the rounding mode decides).
 */
type Pattern = 'random' | 'most-negative' | 'most-positive' | 'equal-keys' | 'ties';

const modulo = (value: bigint, modulus: bigint) => ((value % modulus) + modulus) % modulus;

/** x^-1 mod 2^bits for odd x (Newton iteration: each step doubles the correct low bits). */
function inverseMod2k(x: bigint, bits: number): bigint {
  const modulus = 1n << BigInt(bits);
  let inverse = 1n;
  for (let correct = 1; correct < bits; correct *= 2) {
    inverse = modulo(inverse * (2n - x * inverse), modulus);
  }
  return inverse;
}

/**
 * Changes element `at` of `key` so the dot product with `query` (query[at] odd) is an exact tie of
 * the score's rounding: acc ≡ 2^(shift-1) mod 2^shift. The 1/sqrt(D) factor is 2^-h or 2^-h × an odd
 * constant, which keeps that residue, so the scaled value is a tie too. Needs shift <= keyBits.
 */
function makeTie(
  rng: Rng,
  query: readonly bigint[],
  key: bigint[],
  at: number,
  shift: number,
  bits: number,
) {
  const modulus = 1n << BigInt(shift);
  const q = query[at] ?? 1n;
  const rest = dotProduct(query, key) - q * (key[at] ?? 0n);
  const residue = modulo((modulus / 2n - rest) * inverseMod2k(modulo(q, modulus), shift), modulus);
  const low = -(1n << BigInt(bits - 1));
  const high = (1n << BigInt(bits - 1)) - 1n;
  // Any value of the residue class within the key format: the lowest one, some steps up.
  const lowest = low + modulo(residue - low, modulus);
  const steps = (high - lowest) / modulus;
  key[at] = lowest + modulus * BigInt(rng.int(0, Number(steps)));
}

export function randomQkRequest(
  config: Config,
  rng: Rng,
  keys: number,
  pattern: Pattern = 'random',
): QkRequest {
  const dp = config.datapath;
  const D = config.model.headDim;
  const extreme = (bits: number, sign: 'most-negative' | 'most-positive') =>
    sign === 'most-negative' ? -(1n << BigInt(bits - 1)) : (1n << BigInt(bits - 1)) - 1n;
  const vector = (bits: number) =>
    Array.from({ length: D }, () =>
      pattern === 'most-negative' || pattern === 'most-positive'
        ? extreme(bits, pattern)
        : randomSigned(rng, bits),
    );
  const query = vector(dp.queryBits);
  const shared = vector(dp.keyBits);
  const { shift } = deriveDatapath(config).qk;
  // Ties exist when rounding drops bits and one key element can reach every residue of them.
  const ties = pattern === 'ties' && shift >= 1 && shift <= dp.keyBits;
  const at = rng.int(0, D - 1);
  if (ties) query[at] = (query[at] ?? 0n) | 1n;
  const elements = () => {
    if (pattern === 'equal-keys') return shared;
    const key = vector(dp.keyBits);
    if (ties && rng.chance(0.8)) makeTie(rng, query, key, at, shift, dp.keyBits);
    return key;
  };
  const index = () => rng.int(0, config.model.maxTokens - 1);
  const key = () => ({ elements: elements(), index: index() });
  return { query, keys: Array.from({ length: keys }, key) };
}

const PATTERNS: Pattern[] = [
  'random',
  'random',
  'random',
  'random',
  'most-negative',
  'most-positive',
  'equal-keys',
  'ties',
];

/** `count` requests of 1..3×RowsPerBeat+2 keys, patterns mixed (one in eight with ties). */
export function randomQkRequests(config: Config, rng: Rng, count: number): QkRequest[] {
  const perBeat = deriveDatapath(config).rowsPerBeat;
  return Array.from({ length: count }, () => {
    const pattern = rng.pick(PATTERNS);
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
      query.push({
        fields: {
          data: packLanes(
            request.query.slice(slice * shape.sliceLen, (slice + 1) * shape.sliceLen),
            dp.queryBits,
          ),
        },
        last: false,
      });
    }
    const scores = rowGroups(qkScores(config, request), shape.rowsPerBeat);
    rowGroups(request.keys, shape.rowsPerBeat).forEach((group, g, groups) => {
      const indices = group.map((k) => BigInt(k.index));
      const count = BigInt(group.length);
      for (let slice = 0; slice < shape.slices; slice += 1) {
        key.push({
          fields: {
            data: packSlice(
              shape,
              group.map((k) => k.elements),
              slice,
              dp.keyBits,
              randomFiller(rng, dp.keyBits),
            ),
            index: packRows(shape, indices, shape.indexBits, randomFiller(rng, shape.indexBits)),
            count,
          },
          last: g === groups.length - 1 && slice === shape.slices - 1,
        });
      }
      const groupScores = scores[g] ?? [];
      score.push({
        fields: {
          score: packRows(
            shape,
            groupScores.map((s) => s.score),
            dp.scoreBits,
            () => 0n,
          ),
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
