/**
 * SPRINT's pre-score (issue 17), bit-exact: every candidate key is first scored on its top P bits
 * only (the sign and the next P - 1 bits of every element, as a near-memory unit would read them),
 * and only the keys that may still reach the threshold T are fetched whole and scored exactly.
 *
 * With r = B - P low bits unread, the pre-score S_P = Σ q_i·(k_i with its low r bits zero) is
 * exact on what it reads; the unread bits add an unsigned value in [0, 2^r - 1] per element, so
 *
 *     S_P - (2^r - 1)·neg  <=  q·k  <=  S_P + (2^r - 1)·pos    (pos, neg: see queryReach)
 *
 * and a key passes iff S_P + (2^r - 1)·pos >= T: no key whose exact dot product reaches T is lost.
 * A key that passes but falls below T after its exact score is dropped then; the kept set is the
 * exact threshold set. This is the bit-serial unit's bound after P planes (qk-bitserial.ts): a key
 * passes the pre-score iff the bit-serial unit would still be running it after P planes.
 */
import { type BitserialRequest, queryReach } from './qk-bitserial';

/** S_P: the dot product with every key element's low `keyBits - bits` bits zero. */
export function preScore(
  query: readonly bigint[],
  elements: readonly bigint[],
  keyBits: number,
  bits: number,
): bigint {
  const rest = BigInt(keyBits - bits);
  return query.reduce((sum, q, i) => sum + q * (((elements[i] ?? 0n) >> rest) << rest), 0n);
}

/** Whether a key passes the pre-score: its exact dot product may still reach the threshold. */
export function preScorePasses(
  query: readonly bigint[],
  elements: readonly bigint[],
  threshold: bigint,
  keyBits: number,
  bits: number,
): boolean {
  const { pos } = queryReach(query);
  const reach = ((1n << BigInt(keyBits - bits)) - 1n) * pos;
  return preScore(query, elements, keyBits, bits) + reach >= threshold;
}

/** What the near-memory unit reads of a key: each element's top `bits` bits, as signed values. */
export function topBits(elements: readonly bigint[], keyBits: number, bits: number): bigint[] {
  return elements.map((element) => element >> BigInt(keyBits - bits));
}

export interface PreScoreResult {
  index: number;
  pass: boolean;
}

/** The prescore unit's results for a request (one per key, in key order), as the RTL gives them. */
export function preScoreResults(
  request: BitserialRequest,
  keyBits: number,
  bits: number,
): PreScoreResult[] {
  return request.keys.map((key) => ({
    index: key.index,
    pass: preScorePasses(request.query, key.elements, request.threshold, keyBits, bits),
  }));
}

/** Cycles the prescore unit fills a query's tables in: its LoadCycles (the RTL test checks). */
export const PRESCORE_FILL_CYCLES = 16;

/**
 * The cycle the prescore unit takes each key on, counted from its first query's beat, when every
 * stream is ready at once: a query's keys start FILL + 1 cycles after its beat, the next query's
 * beat is taken as the one before starts its keys, and its keys follow the last of those. So from
 * FILL + 1 keys per request on, the fill is hidden.
 */
export function preScoreKeyCycles(lengths: readonly number[]): number[] {
  const cycles: number[] = [];
  let start = PRESCORE_FILL_CYCLES + 1;
  for (const n of lengths) {
    for (let i = 0; i < n; i += 1) cycles.push(start + i);
    start += Math.max(n, PRESCORE_FILL_CYCLES + 1);
  }
  return cycles;
}
