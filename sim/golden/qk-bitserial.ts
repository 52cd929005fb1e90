/**
 * Bit-exact golden model of bit-serial Q×K with early termination against a threshold (LeOPArd's
 * idea; issue 18). Keys are B-bit two's complement, processed one bit plane at a time, MSB (the
 * sign) first. Plane j (0..B-1) holds bit B-1-j of every element, with weight -2^(B-1) for the sign
 * plane and 2^(B-1-j) for the others; its contribution is weight × P_j, P_j = Σ_i q_i·bit_ij.
 *
 * After b planes the partial sum is S_b = Σ_{j<b} weight_j·P_j: the dot product of the query with
 * the key whose r = B - b unprocessed low bits are zero. Those bits add an unsigned value in
 * [0, 2^r - 1] per element, so with pos = Σ_{q_i>0} q_i and neg = Σ_{q_i<0} |q_i|:
 *
 *     S_b - (2^r - 1)·neg  <=  q·k  <=  S_b + (2^r - 1)·pos.
 *
 * The key is pruned after the first plane b whose upper bound falls below the threshold T
 * (S_b + (2^r - 1)·pos < T): its exact dot product cannot reach T. A key not pruned runs every
 * plane, so S_B is its exact dot product, and it is kept iff S_B >= T (at b = B the bound is S_B).
 * The lower bound says when a key is certain to survive; a survivor still needs every plane for its
 * exact score, so the bound decides nothing and the model does not use it.
 *
 * Everything is in the accumulator's domain: raw dot products of the sW.F query and key formats,
 * at queryFrac + keyFrac fraction bits (`accThreshold` converts a threshold on the scaled score).
 */
import type { Config } from '../../generator/config/schema';
import { dotProduct } from './qk-array';

export interface BitserialKey {
  /** D raw sKeyBits.keyFrac elements. */
  elements: bigint[];
  index: number;
}

export interface BitserialRequest {
  /** D raw sQueryBits.queryFrac elements. */
  query: bigint[];
  /** Keys whose dot product is below it are pruned (accumulator domain). */
  threshold: bigint;
  keys: BitserialKey[];
}

export interface BitserialScore {
  index: number;
  kept: boolean;
  /** The exact dot product when kept; pruned after b planes, S_b / 2^(B-b) (S_b is a multiple). */
  acc: bigint;
  /** Bit planes processed (1..B): B for every kept key. */
  planes: number;
}

/** How far the unprocessed low bits can move the dot product up (pos) and down (neg). */
export function queryReach(query: readonly bigint[]): { pos: bigint; neg: bigint } {
  let pos = 0n;
  let neg = 0n;
  for (const q of query) {
    if (q > 0n) pos += q;
    else neg -= q;
  }
  return { pos, neg };
}

/** Bit `bit` of a B-bit two's complement value, as 0n or 1n. */
const bitOf = (value: bigint, bit: number, width: number) =>
  (BigInt.asUintN(width, value) >> BigInt(bit)) & 1n;

/** P_j: the sum of the query elements whose key element has a 1 in plane j. */
export function planeSum(
  query: readonly bigint[],
  elements: readonly bigint[],
  plane: number,
  keyBits: number,
): bigint {
  const bit = keyBits - 1 - plane;
  return query.reduce((sum, q, i) => (bitOf(elements[i] ?? 0n, bit, keyBits) ? sum + q : sum), 0n);
}

/** Plane j of a key as a D-bit word: bit i is bit B-1-j of element i. */
export function bitPlane(elements: readonly bigint[], plane: number, keyBits: number): bigint {
  const bit = keyBits - 1 - plane;
  return elements.reduce((word, e, i) => word | (bitOf(e, bit, keyBits) << BigInt(i)), 0n);
}

/** The weight of plane j: -2^(B-1) for the sign plane, 2^(B-1-j) for the others. */
export const planeWeight = (plane: number, keyBits: number) =>
  plane === 0 ? -(1n << BigInt(keyBits - 1)) : 1n << BigInt(keyBits - 1 - plane);

/**
 * The thresholds the partial sum is compared with after each plane: prune after plane b (1..B) iff
 * S_b < T - (2^(B-b) - 1)·pos. Computed once per query (the hardware holds B of them).
 */
export function planeThresholds(
  query: readonly bigint[],
  threshold: bigint,
  keyBits: number,
): bigint[] {
  const { pos } = queryReach(query);
  return Array.from(
    { length: keyBits },
    (_, b) => threshold - ((1n << BigInt(keyBits - 1 - b)) - 1n) * pos,
  );
}

/** One key through the bit-serial unit: planes until its upper bound drops below the threshold. */
export function bitserialKey(
  query: readonly bigint[],
  elements: readonly bigint[],
  thresholds: readonly bigint[],
  keyBits: number,
): Omit<BitserialScore, 'index'> {
  let acc = 0n;
  for (let plane = 0; plane < keyBits; plane += 1) {
    acc += planeWeight(plane, keyBits) * planeSum(query, elements, plane, keyBits);
    if (acc < (thresholds[plane] ?? 0n))
      return { kept: false, acc: acc >> BigInt(keyBits - 1 - plane), planes: plane + 1 };
  }
  return { kept: true, acc, planes: keyBits };
}

export function bitserialScores(config: Config, request: BitserialRequest): BitserialScore[] {
  const keyBits = config.datapath.keyBits;
  const thresholds = planeThresholds(request.query, request.threshold, keyBits);
  return request.keys.map((key) => ({
    index: key.index,
    ...bitserialKey(request.query, key.elements, thresholds, keyBits),
  }));
}

/** The upper bound S_b + (2^r - 1)·pos after each plane b = 1..B (never rising; the last exact). */
export function upperBounds(
  query: readonly bigint[],
  elements: readonly bigint[],
  keyBits: number,
): bigint[] {
  const { pos } = queryReach(query);
  let acc = 0n;
  return Array.from({ length: keyBits }, (_, plane) => {
    acc += planeWeight(plane, keyBits) * planeSum(query, elements, plane, keyBits);
    return acc + ((1n << BigInt(keyBits - 1 - plane)) - 1n) * pos;
  });
}

/**
 * A threshold on the scaled score (q·k / sqrt(D), real) in the accumulator's domain: the score is
 * below t exactly when the raw dot product is below ceil(t · sqrt(D) · 2^(queryFrac + keyFrac)).
 */
export function accThreshold(config: Config, score: number): bigint {
  const frac = config.datapath.queryFrac + config.datapath.keyFrac;
  return BigInt(Math.ceil(score * Math.sqrt(config.model.headDim) * 2 ** frac));
}

/** The exact check the unit must agree with: kept iff the dot product reaches the threshold. */
export const keptExactly = (query: readonly bigint[], elements: readonly bigint[], t: bigint) =>
  dotProduct(query, elements) >= t;
