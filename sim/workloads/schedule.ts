/**
 * SpAtten's pruning schedule for generated workloads (HPCA 2021, section III), shared by every
 * stage's generator. Counts only: a generated trace says how many tokens, heads and values each
 * request keeps and whether it refetched LSBs, never which ones (the hardware chooses those by its
 * own importance).
 * - cascade token pruning: layer l of a pass keeps tokenKeep^((l+1)/layers) of the context, so
 *   every layer keeps a subset of the previous one's and the last keeps tokenKeep (the top-k before
 *   layer 0 runs at the end of the previous pass, over the whole context);
 * - cascade head pruning: layer 0 runs every head (head importance comes from this pass's outputs),
 *   later layers decay geometrically to headKeep at the last layer;
 * - local value pruning: a request fetches the values of the top valueKeep of its kept keys;
 * - progressive quantization: keys come as an MSB plane first; a request whose max probability is
 *   below the threshold refetches the LSB plane. A flatter distribution over more keys has a lower
 *   max probability, so the refetch chance of a request is proportional to its kept keys, scaled so
 *   that `refetch` of all requests refetch on average.
 */

export interface Quantization {
  keyMsbBits: number;
  keyLsbBits: number;
  valueBits: number;
  /** Fraction of requests that refetch the key LSBs. */
  refetch: number;
  /** Max probability below which a request refetches (informational: written to the trace). */
  threshold: number;
}

export interface PruningSchedule {
  tokenKeep: number;
  headKeep: number;
  valueKeep: number;
  /** null: keys and values at full precision, no refetch (the dense baseline). */
  quantization: Quantization | null;
}

/** The writer's defaults: 6-bit key MSBs plus a 4-bit LSB plane, 6-bit values. */
export const SPATTEN_QUANTIZATION: Quantization = {
  keyMsbBits: 6,
  keyLsbBits: 4,
  valueBits: 6,
  refetch: 0.07,
  threshold: 0.05,
};

/** The writer's defaults: 10x fewer tokens by the last layer, values of a fifth of the keys. */
export const SPATTEN_SCHEDULE: PruningSchedule = {
  tokenKeep: 0.1,
  headKeep: 1,
  valueKeep: 0.2,
  quantization: SPATTEN_QUANTIZATION,
};

/** No pruning, full precision: the baseline the pruned workload is compared with. */
export const DENSE_SCHEDULE: PruningSchedule = {
  tokenKeep: 1,
  headKeep: 1,
  valueKeep: 1,
  quantization: null,
};

export function tokensKept(
  schedule: PruningSchedule,
  context: number,
  layer: number,
  layers: number,
): number {
  return Math.max(1, Math.floor(context * schedule.tokenKeep ** ((layer + 1) / layers)));
}

export function headsKept(
  schedule: PruningSchedule,
  heads: number,
  layer: number,
  layers: number,
): number {
  if (layer === 0 || layers === 1) return heads;
  return Math.max(1, Math.round(heads * schedule.headKeep ** (layer / (layers - 1))));
}

export function valuesKept(schedule: PruningSchedule, keys: number): number {
  return Math.max(1, Math.floor(keys * schedule.valueKeep));
}

/** Refetch chance of a request keeping `keys` keys, where requests keep `meanKeys` on average. */
export function refetchChance(quantization: Quantization, keys: number, meanKeys: number): number {
  return Math.min(1, (quantization.refetch * keys) / meanKeys);
}
