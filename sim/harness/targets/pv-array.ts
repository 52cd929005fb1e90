/**
 * Simulation target `pv_array`: random requests of probability × value rows. Probabilities are
 * attention-like (a quantized normalized distribution), one-hot, uniform random (sums above 1, so
 * outputs saturate) or the largest value with extreme value rows (the accumulator's worst case).
 */
import { deriveDatapath } from '../../../generator/config/derive-datapath';
import type { Config } from '../../../generator/config/schema';
import { pvArrayModule } from '../../../generator/modules/pv-array';
import { type PvRow, pvOutput } from '../../golden/pv-array';
import type { Rng } from '../random';
import { type StreamBeat, packLanes } from '../vectors';
import { packRows, packSlice, raggedRowGroups, randomFiller, randomSigned } from './datapath-beats';
import type { SimPlan, SimTarget } from './types';

export type PvPattern = 'attention' | 'one-hot' | 'random' | 'extreme';

/** `sign` fixes the sign of an extreme request's values (random otherwise). */
export function randomPvRequest(
  config: Config,
  rng: Rng,
  rows: number,
  pattern: PvPattern = 'attention',
  sign?: 1 | -1,
): PvRow[] {
  const dp = config.datapath;
  const maxProb = (1n << BigInt(dp.probBits)) - 1n;
  const one = 1n << BigInt(dp.probFrac);
  const hot = rng.int(0, rows - 1);
  const weights = Array.from({ length: rows }, () => rng.int(0, 1000) ** 2);
  const total = weights.reduce((a, b) => a + b, 0) || 1;
  const prob = (row: number): bigint => {
    switch (pattern) {
      case 'attention':
        // Truncated, so the row sums to at most 1.0 (the accumulator's bound for long requests).
        return BigInt(
          Math.min(Number(maxProb), Math.floor(((weights[row] ?? 0) / total) * Number(one))),
        );
      case 'one-hot':
        return row === hot ? (one < maxProb ? one : maxProb) : 0n;
      case 'random':
        return rng.bits(dp.probBits);
      case 'extreme':
        return maxProb;
    }
  };
  const negative = sign === undefined ? rng.chance(0.5) : sign < 0;
  const value = () =>
    Array.from({ length: config.model.headDim }, () =>
      pattern === 'extreme'
        ? negative
          ? -(1n << BigInt(dp.valueBits - 1))
          : (1n << BigInt(dp.valueBits - 1)) - 1n
        : randomSigned(rng, dp.valueBits),
    );
  return Array.from({ length: rows }, (_, row) => ({ prob: prob(row), value: value() }));
}

const PATTERNS: PvPattern[] = [
  'attention',
  'attention',
  'attention',
  'one-hot',
  'random',
  'extreme',
];
/** Patterns of the MaxTokens-row requests: the accumulator's bound, and random sums of that length. */
const BOUND_PATTERNS: PvPattern[] = ['extreme', 'random'];

/**
 * `count` requests, patterns mixed: first the accumulator's bound in both signs (MaxTokens extreme
 * rows), then mostly 1..3×RowsPerBeat+2 rows, some of any length up to MaxTokens, some of exactly
 * MaxTokens (extreme or random rows), a few empty.
 */
export function randomPvRequests(config: Config, rng: Rng, count: number): PvRow[][] {
  const perBeat = deriveDatapath(config).rowsPerBeat;
  const maxTokens = config.model.maxTokens;
  const bounds = ([1, -1] as const).map((sign) =>
    randomPvRequest(config, rng, maxTokens, 'extreme', sign),
  );
  return Array.from({ length: count }, (_, index) => {
    const bound = bounds[index];
    if (bound) return bound;
    const roll = rng.int(0, 19);
    if (roll === 0) return [];
    if (roll <= 2) return randomPvRequest(config, rng, maxTokens, rng.pick(BOUND_PATTERNS));
    if (roll <= 5) return randomPvRequest(config, rng, rng.int(1, maxTokens), rng.pick(PATTERNS));
    // Only attention-like rows (probabilities summing to at most 1) may be longer than maxTokens:
    // the accumulator is exact for those or for at most maxTokens rows of any probabilities.
    const pattern = rng.pick(PATTERNS);
    const most = pattern === 'attention' ? 3 * perBeat + 2 : Math.min(3 * perBeat + 2, maxTokens);
    return randomPvRequest(config, rng, rng.int(1, most), pattern);
  });
}

/** Stream beats of the requests (ragged beat groups), golden outputs; absent rows hold garbage. */
export function pvArrayPlan(config: Config, requests: readonly PvRow[][], rng: Rng): SimPlan {
  const dp = config.datapath;
  const shape = deriveDatapath(config);
  const input: StreamBeat[] = [];
  const out: StreamBeat[] = [];
  for (const rows of requests) {
    raggedRowGroups(rows, shape.rowsPerBeat, rng).forEach((group, g, groups) => {
      for (let slice = 0; slice < shape.slices; slice += 1) {
        input.push({
          fields: {
            prob: packRows(
              shape,
              group.map((r) => r.prob),
              dp.probBits,
              randomFiller(rng, dp.probBits),
            ),
            value: packSlice(
              shape,
              group.map((r) => r.value),
              slice,
              dp.valueBits,
              randomFiller(rng, dp.valueBits),
            ),
            count: BigInt(group.length),
          },
          last: g === groups.length - 1 && slice === shape.slices - 1,
        });
      }
    });
    out.push({ fields: { data: packLanes(pvOutput(config, rows), dp.outBits) }, last: false });
  }
  return { top: pvArrayModule(config), inputs: { in: input }, expected: { out } };
}

export const pvArrayTarget: SimTarget = {
  description: 'prob×V array: attention-like, one-hot, random and extreme probability rows',
  plan(resolved, rng, count) {
    return pvArrayPlan(resolved.config, randomPvRequests(resolved.config, rng, count), rng);
  },
};
