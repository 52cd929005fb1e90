/**
 * Bit-exact golden model of `quick_select`: the per-request result (k-th largest value and counts) and
 * the candidate set the hardware keeps and replays, modelled beat by beat exactly as the RTL builds it.
 *
 * Algorithm (documented in templates/quick_select.v.hbs):
 * - Ordering key: the value's W bits, with the sign bit inverted when values are signed, so unsigned
 *   comparison of keys is the value order. Digits: W / R groups of R bits; digit r sits at bits r*R.
 * - Arrival (overlapped with input): a histogram over buckets (region, digit), where region is the
 *   highest digit position holding a non-zero digit (0 if none) and digit is that digit. Buckets are
 *   ordered like keys (a float-like scale: small values get fine buckets, so skewed data such as
 *   probabilities resolves at once). Before each beat, the threshold = the largest bucket whose count
 *   of elements at or above it (in the beats up to THRESHOLD_LAG before) reaches k (bucket 0 when
 *   none). The beat's elements in buckets
 *   >= threshold are written to the candidate buffer C0 in index order. The threshold only grows and
 *   never passes the bucket of the k-th value, so C0 holds every element that can be selected.
 * - Pick: the bucket holding rank need = k_eff - above fixes the key's digits from the top down to the
 *   bucket's region; `above` collects the counts of higher buckets. Region 0: done.
 * - Each further round (next lower region) scans the last written buffer (C0 first), keeps elements
 *   whose key above the region equals the prefix picked so far, histograms their digit in that region
 *   and picks again. At most W / R picks per request, whatever the data.
 * - k_eff = min(k, n_eff) = 0: no rounds; result fields are 0 and the replay is one empty beat.
 */
import {
  type Element,
  type TopkRequest,
  type TopkShape,
  effectiveElements,
  requestBeats,
} from './topk';

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
  /** Element passes: n_eff for the arrival plus the elements each later round scanned. */
  passes: number;
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
  // Inverting the sign bit is adding half the range modulo the range (arithmetic: W may be 32).
  return shape.signed ? (bits + 2 ** (shape.valueBits - 1)) % 2 ** shape.valueBits : bits;
}

export function valueOfKey(key: number, shape: Pick<TopkShape, 'valueBits' | 'signed'>): number {
  if (!shape.signed) return key;
  return Number(
    BigInt.asIntN(
      shape.valueBits,
      BigInt((key + 2 ** (shape.valueBits - 1)) % 2 ** shape.valueBits),
    ),
  );
}

/** Largest bin x whose suffix count (sum of bins >= x) reaches `need`, or 0; with the count above it. */
export function pickBin(
  histogram: readonly number[],
  need: number,
): { bin: number; above: number } {
  let suffix = 0;
  for (let bin = histogram.length - 1; bin >= 0; bin -= 1) {
    const above = suffix;
    suffix += histogram[bin] ?? 0;
    if (suffix >= need) return { bin, above };
  }
  return { bin: 0, above: suffix - (histogram[0] ?? 0) };
}

/** Arrival bucket of a key: region (highest non-zero digit position, 0 if none) * bins + that digit. */
export function arrivalBucket(key: number, radixBits: number, digits: number): number {
  const bins = 2 ** radixBits;
  const digitAt = (region: number) => Math.floor(key / 2 ** (region * radixBits)) % bins;
  let region = digits - 1;
  while (region > 0 && digitAt(region) === 0) region -= 1;
  return region * bins + digitAt(region);
}

/**
 * Beats between the histogram and the threshold it sets: beat j is filtered with the histogram of
 * beats 0..j-THRESHOLD_LAG. The RTL counts a beat one cycle after taking it and registers the
 * thresholds as each beat is taken, so the two newest beats are never in them. A lag only makes C0
 * larger (the threshold is lower), never wrong. k = 0 filters like k = 1 (nothing is selected).
 */
export const THRESHOLD_LAG = 3;

function histogramOf(buckets: readonly number[], size: number): number[] {
  const histogram = new Array<number>(size).fill(0);
  for (const bucket of buckets) histogram[bucket] = (histogram[bucket] ?? 0) + 1;
  return histogram;
}

export function quickSelect(request: TopkRequest, shape: QuickSelectShape): QuickSelectOutcome {
  const { parallelism: lanes, radixBits: r } = shape;
  const digits = shape.valueBits / r;
  const bins = 2 ** r;
  const key = (e: Element) => orderKey(e.value, shape);
  const elements = effectiveElements(request, shape);

  // Arrival, beat by beat: the threshold in force for a beat comes from the beats before it but the
  // THRESHOLD_LAG - 1 newest (the hardware registers the threshold; see THRESHOLD_LAG).
  const arrivalBuckets: number[] = [];
  const c0: Element[] = [];
  for (let beat = 0; beat < requestBeats(request, lanes); beat += 1) {
    const known = arrivalBuckets.slice(0, Math.max(0, beat - THRESHOLD_LAG + 1) * lanes);
    const { bin: threshold } = pickBin(histogramOf(known, digits * bins), Math.max(request.k, 1));
    const inBeat = elements.slice(beat * lanes, (beat + 1) * lanes);
    for (const element of inBeat) {
      const bucket = arrivalBucket(key(element), r, digits);
      if (bucket >= threshold) c0.push(element);
      arrivalBuckets.push(bucket);
    }
  }

  const selected = Math.min(request.k, elements.length);
  const error = request.n > shape.capacity;
  if (selected === 0) {
    return {
      result: {
        kth: 0,
        greater: 0,
        atLeast: 0,
        selected,
        count: elements.length,
        error,
        passes: elements.length,
      },
      candidates: [],
      scanned: [],
    };
  }
  let counts = histogramOf(arrivalBuckets, digits * bins);
  let above = 0;
  let prefix = 0;
  let pool: Element[] = c0;
  const scanned: number[] = [];
  for (;;) {
    const pick = pickBin(counts, selected - above);
    const region = Math.floor(pick.bin / bins);
    above += pick.above;
    prefix = prefix * bins + (pick.bin % bins);
    if (region === 0) {
      const result = {
        kth: valueOfKey(prefix, shape),
        greater: above,
        atLeast: above + (counts[pick.bin] ?? 0),
        selected,
        count: elements.length,
        error,
        passes: scanned.reduce((sum, pool) => sum + pool, elements.length),
      };
      return { result, candidates: c0, scanned };
    }
    // Next round, region - 1: keep the elements whose key above it equals the prefix.
    scanned.push(pool.length);
    const next = region - 1;
    pool = pool.filter((e) => Math.floor(key(e) / 2 ** (region * r)) === prefix);
    counts = histogramOf(
      pool.map((e) => next * bins + (Math.floor(key(e) / 2 ** (next * r)) % bins)),
      digits * bins,
    );
  }
}
