/**
 * Bit-exact golden model of `quick_select`: the per-request result (k-th largest value and counts) and
 * the candidate set the hardware keeps and replays, modelled beat by beat exactly as the RTL builds it.
 *
 * Algorithm (documented in templates/quick_select.v.hbs):
 * - Ordering key: the value's W bits, with the sign bit inverted when values are signed, so unsigned
 *   comparison of keys is the value order. Digits: W / R groups of R bits, most significant first.
 * - Arrival (round 1, overlapped with input): a histogram of digit 1 over every taking-part element.
 *   Before each beat, the running threshold b = the largest bin x whose suffix count (elements with
 *   digit >= x so far) is at least k (0 when none). Elements of the beat with digit >= b are written to
 *   the candidate buffer C0 in index order. b only grows and never exceeds the final round-1 bin, so
 *   C0 holds every element of the final bin and above, hence every selected element.
 * - Rounds 2..W/R: scan the previous buffer, keep elements whose leading digits equal the chosen prefix,
 *   histogram their next digit, pick the bin holding rank `need = k_eff - above`; `above` collects the
 *   counts of the higher bins. After the last digit the prefix is the k-th value's key.
 * - k_eff = min(k, n_eff) = 0: no rounds; result fields are 0 and the replay is one empty beat.
 */
import { type Element, type TopkRequest, type TopkShape, effectiveElements, requestBeats } from './topk';

export interface QuickSelectShape extends TopkShape {
  radixBits: number;
}

export interface QuickSelectResult {
  /** The k-th largest value (0 when k_eff = 0). */
  kth: number;
  /** Elements strictly greater than the k-th value. */
  greater: number;
  /** Elements greater than or equal to the k-th value. */
  atLeast: number;
  /** k_eff = min(k, n_eff): how many elements topk selects. */
  selected: number;
  /** n_eff: elements that took part. */
  count: number;
  /** n > capacity: the request was clamped. */
  error: boolean;
}

export interface QuickSelectOutcome {
  result: QuickSelectResult;
  /** C0 as replayed on the candidate stream, in index order (empty when k_eff = 0). */
  candidates: Element[];
  /** Elements scanned by rounds 2.. (for the latency model). */
  scanned: number[];
}

export function orderKey(value: number, shape: Pick<TopkShape, 'valueBits' | 'signed'>): number {
  const bits = Number(BigInt.asUintN(shape.valueBits, BigInt(value)));
  return shape.signed ? bits ^ 2 ** (shape.valueBits - 1) : bits;
}

export function valueOfKey(key: number, shape: Pick<TopkShape, 'valueBits' | 'signed'>): number {
  if (!shape.signed) return key;
  return Number(BigInt.asIntN(shape.valueBits, BigInt(key ^ 2 ** (shape.valueBits - 1))));
}

/** Largest bin x whose suffix count (sum of bins >= x) reaches `need`, or 0; with the count above it. */
export function pickBin(histogram: readonly number[], need: number): { bin: number; above: number } {
  let suffix = 0;
  for (let bin = histogram.length - 1; bin >= 0; bin -= 1) {
    const above = suffix;
    suffix += histogram[bin] ?? 0;
    if (suffix >= need) return { bin, above };
  }
  return { bin: 0, above: suffix - (histogram[0] ?? 0) };
}

export function quickSelect(request: TopkRequest, shape: QuickSelectShape): QuickSelectOutcome {
  const { parallelism: lanes, radixBits: r } = shape;
  const digits = shape.valueBits / r;
  const bins = 2 ** r;
  const digitOf = (value: number, d: number) => Math.floor(orderKey(value, shape) / 2 ** ((digits - 1 - d) * r)) % bins;
  const elements = effectiveElements(request, shape);

  // Round 1, beat by beat: the threshold in force for a beat comes from the beats before it.
  const histogram = new Array<number>(bins).fill(0);
  const c0: Element[] = [];
  for (let beat = 0; beat < requestBeats(request, lanes); beat += 1) {
    const { bin: threshold } = pickBin(histogram, request.k);
    const inBeat = elements.slice(beat * lanes, (beat + 1) * lanes);
    for (const element of inBeat) if (digitOf(element.value, 0) >= threshold) c0.push(element);
    for (const element of inBeat) histogram[digitOf(element.value, 0)] = (histogram[digitOf(element.value, 0)] ?? 0) + 1;
  }

  const selected = Math.min(request.k, elements.length);
  const error = request.n > shape.capacity;
  if (selected === 0) {
    return { result: { kth: 0, greater: 0, atLeast: 0, selected, count: elements.length, error }, candidates: [], scanned: [] };
  }
  let above = 0;
  let prefix = 0;
  let pool: Element[] = c0;
  let counts = histogram;
  const scanned: number[] = [];
  for (let d = 0; ; d += 1) {
    const pick = pickBin(counts, selected - above);
    above += pick.above;
    prefix = prefix * bins + pick.bin;
    if (d === digits - 1) {
      const result = { kth: valueOfKey(prefix, shape), greater: above, atLeast: above + (counts[pick.bin] ?? 0), selected, count: elements.length, error };
      return { result, candidates: c0, scanned };
    }
    // Next round: keep the elements whose first d+1 digits equal the prefix, histogram digit d+1.
    scanned.push(pool.length);
    const shift = 2 ** ((digits - 1 - d) * r);
    pool = pool.filter((e) => Math.floor(orderKey(e.value, shape) / shift) === prefix);
    counts = new Array<number>(bins).fill(0);
    for (const element of pool) counts[digitOf(element.value, d + 1)] = (counts[digitOf(element.value, d + 1)] ?? 0) + 1;
  }
}
