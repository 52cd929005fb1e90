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
import { queryReach } from './qk-bitserial';

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
