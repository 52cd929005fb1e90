/**
 * Bit-exact golden model of `topk`, written as the contract (not as the algorithm):
 *
 * - A request carries n and k and its elements in beats of P lanes; element i sits in beat i/P, lane i%P.
 *   Only elements with index < n and index < capacity take part: n_eff = min(n, capacity, lanes sent).
 *   n > capacity sets the response's `error` flag (the request is clamped, not rejected).
 * - The selected set is exactly min(k, n_eff) elements: the largest values; among elements equal to the
 *   k-th largest value, the lower indices win.
 * - Output: the selected (value, index) pairs in increasing index order, packed densely into beats of
 *   outLanes elements (every beat full except the last), `last` on the final beat. k_eff = 0 gives one
 *   beat with count 0 and `last` set (the empty packet).
 *
 * Values are sW.0 (signed) or uW.0 (unsigned) integers, compared exactly: no rounding, no overflow.
 */

export interface TopkShape {
  parallelism: number;
  capacity: number;
  valueBits: number;
  signed: boolean;
  outLanes: number;
}

/** One request: the elements sent (values in their own domain: negative allowed when signed), n and k. */
export interface TopkRequest {
  values: number[];
  n: number;
  k: number;
}

export interface Element {
  index: number;
  value: number;
}

export interface TopkBeat {
  elements: Element[];
  error: boolean;
  last: boolean;
}

/** Beats the request occupies on the input stream: ceil(len / P), at least one (an empty request is one beat). */
export function requestBeats(request: TopkRequest, parallelism: number): number {
  return Math.max(1, Math.ceil(request.values.length / parallelism));
}

/** The elements that take part, in index order (lanes past the sent values are zero padding). */
export function effectiveElements(request: TopkRequest, shape: TopkShape): Element[] {
  const lanesSent = requestBeats(request, shape.parallelism) * shape.parallelism;
  const nEff = Math.min(request.n, shape.capacity, lanesSent);
  return Array.from({ length: nEff }, (_, index) => ({ index, value: request.values[index] ?? 0 }));
}

/** The selected elements, in index order. */
export function topkSelect(request: TopkRequest, shape: TopkShape): Element[] {
  const elements = effectiveElements(request, shape);
  const ranked = [...elements].sort((a, b) => b.value - a.value || a.index - b.index);
  return ranked.slice(0, Math.min(request.k, elements.length)).sort((a, b) => a.index - b.index);
}

/** The response packet of one request. */
export function topk(request: TopkRequest, shape: TopkShape): TopkBeat[] {
  const selected = topkSelect(request, shape);
  const error = request.n > shape.capacity;
  const beats: TopkBeat[] = [];
  for (let start = 0; start < selected.length; start += shape.outLanes) {
    beats.push({
      elements: selected.slice(start, start + shape.outLanes),
      error,
      last: start + shape.outLanes >= selected.length,
    });
  }
  return beats.length > 0 ? beats : [{ elements: [], error, last: true }];
}
