/**
 * Simulation target `fetcher`: a head laid out in DRAM (K MSB, K LSB and V planes at word bases that
 * make rows cross 4 KB pages), requests of runs, gaps, repeats and random order on random planes, a few
 * words answering SLVERR, the AXI memory model with random latency. Also the index patterns the
 * benchmark measures.
 */
import type { ResolvedConfig } from '../../../generator/config/load';
import {
  PLANES,
  PLANE_NAMES,
  type PlaneName,
  deriveFetcher,
} from '../../../generator/config/derive-fetcher';
import type { Config } from '../../../generator/config/schema';
import { fetcherChannelsModule } from '../../../generator/modules/fetcher-channels';
import {
  type DramImage,
  type FetchBeat,
  type FetchedRow,
  emptyImage,
  fetchRows,
  splitElement,
  writePlane,
} from '../../golden/fetcher';
import { type MemoryTiming, axiMemoryAttachment, memoryTiming } from '../axi-memory';
import type { Rng } from '../random';
import type { StreamBeat } from '../vectors';
import type { SimPlan, SimTarget } from './types';

export interface HeadInDram {
  image: DramImage;
  /** Word address of row 0 of each plane. */
  bases: Record<PlaneName, number>;
  /** Per plane, the row holding a 4 KB page boundary (the boundary may fall inside the row). */
  pageRows: Record<PlaneName, number>;
  /** Word address of row 0 of a second value plane, of small values (0..2 LSB, see headInDram). */
  quietBase: number;
  /** Word address of row 0 of the negated copy of the small-value plane (0..-2 LSB). */
  mirrorBase: number;
}

/** Planes laid out in the image: the fetcher's three, the small-value plane and its negation. */
const LAID_OUT = [...PLANE_NAMES, 'full', 'full'] as const;

/** Words of the memory image: every plane of maxTokens rows plus room to shift bases; a power of two. */
export function imageDepth(config: Config): number {
  const d = deriveFetcher(config);
  const pageBeats = 4096 / d.busBytes;
  const rows = config.model.maxTokens;
  const need = LAID_OUT.reduce((sum, plane) => sum + rows * d.strideBeats[plane] + pageBeats, 0);
  let depth = 16;
  while (depth < need) depth *= 2;
  return depth;
}

/**
 * Random keys (split into MSB and LSB planes) and values of maxTokens tokens; a second value
 * plane of small values (0..2 LSB: outputs of a few LSB, so head importances nearly tie) and its
 * negation (the same probabilities give outputs of opposite sign and equal magnitude: exact ties).
 * About one key row in eight repeats an earlier one (tied scores). Each plane is placed so a 4 KB
 * page boundary falls at a random beat inside it. `errorRate`: fraction of words answering SLVERR.
 */
export function headInDram(config: Config, rng: Rng, errorRate = 0): HeadInDram {
  const d = deriveFetcher(config);
  const tokens = config.model.maxTokens;
  const image = emptyImage(imageDepth(config));
  const pageBeats = 4096 / d.busBytes;
  const starts: number[] = [];
  const pageRows: number[] = [];
  let next = 0;
  for (const plane of LAID_OUT) {
    const span = tokens * d.strideBeats[plane];
    // The boundary lands `into` beats after the plane's start (at row 0 for a one-beat plane).
    const into = span > 1 ? rng.int(1, span - 1) : 0;
    const boundary = Math.ceil((next + into) / pageBeats) * pageBeats;
    starts.push(boundary - into);
    pageRows.push(Math.floor(into / d.strideBeats[plane]));
    next = boundary - into + span;
  }
  const [msb, lsb, full, quiet, mirror] = starts as [number, number, number, number, number];
  const bases = { msb, lsb, full };
  const bits = d.planeBits.full;
  const element = () => BigInt(rng.bits(bits));
  const row = () => Array.from({ length: config.model.headDim }, element);
  const keys: bigint[][] = [];
  for (let t = 0; t < tokens; t += 1) {
    keys.push(t > 0 && rng.chance(0.125) ? (keys[rng.int(0, t - 1)] as bigint[]) : row());
  }
  const values = Array.from({ length: tokens }, row);
  const small = () => BigInt.asUintN(bits, BigInt(rng.int(0, 2)));
  const smallRow = () => Array.from({ length: config.model.headDim }, small);
  const quietValues = Array.from({ length: tokens }, () => smallRow());
  const negate = (e: bigint) => BigInt.asUintN(bits, -BigInt.asIntN(bits, e));
  const negated = quietValues.map((r) => r.map(negate));
  const split = (half: 'msb' | 'lsb') =>
    keys.map((r) => r.map((e) => splitElement(config, e)[half]));
  writePlane(config, image, 'msb', bases.msb, split('msb'));
  writePlane(config, image, 'lsb', bases.lsb, split('lsb'));
  writePlane(config, image, 'full', bases.full, values);
  writePlane(config, image, 'full', quiet, quietValues);
  writePlane(config, image, 'full', mirror, negated);
  for (let word = 0; word < image.words.length; word += 1)
    image.error[word] = rng.chance(errorRate);
  const [msbRow, lsbRow, fullRow] = pageRows as [number, number, number];
  const pageRowsOf = { msb: msbRow, lsb: lsbRow, full: fullRow };
  return { image, bases, pageRows: pageRowsOf, quietBase: quiet, mirrorBase: mirror };
}

/** Index patterns of the benchmark: all tokens in order, kept tokens at a density (ascending), random order. */
export function indexPattern(rng: Rng, pattern: string, tokens: number): number[] {
  const all = Array.from({ length: tokens }, (_, i) => i);
  switch (pattern) {
    case 'sequential':
      return all;
    case 'sparse20':
      return all.filter(() => rng.chance(0.2));
    case 'sparse5':
      return all.filter(() => rng.chance(0.05));
    case 'random':
      return Array.from({ length: tokens }, () => rng.int(0, tokens - 1));
    default:
      throw new Error(`unknown index pattern ${pattern}`);
  }
}

/** A request: the rows `indices` of `plane`, one packet. */
export function requestBeats(
  head: HeadInDram,
  plane: PlaneName,
  indices: readonly number[],
): FetchBeat[] {
  return indices.map((index, i) => ({
    base: head.bases[plane],
    plane,
    index,
    last: i === indices.length - 1,
  }));
}

/**
 * Random requests mixing runs, gaps, repeats and random order (what the top-k engine and ranges
 * send); about one in three is a run of consecutive rows across the plane's 4 KB page boundary.
 */
export function randomRequests(
  rng: Rng,
  head: HeadInDram,
  tokens: number,
  count: number,
): FetchBeat[] {
  const beats: FetchBeat[] = [];
  for (let request = 0; request < count; request += 1) {
    const plane = rng.pick(PLANE_NAMES);
    const indices: number[] = [];
    const length = rng.int(1, 24);
    const across = rng.chance(0.35);
    let index = across ? Math.max(0, head.pageRows[plane] - rng.int(0, 3)) : rng.int(0, tokens - 1);
    while (indices.length < length) {
      indices.push(index);
      const step = across ? 1 : rng.pick([1, 1, 1, 2, 5, 0, -3]);
      index = step === -3 ? rng.int(0, tokens - 1) : Math.min(tokens - 1, index + step);
    }
    beats.push(...requestBeats(head, plane, indices));
  }
  return beats;
}

function fetchToStream(beat: FetchBeat): StreamBeat {
  return {
    fields: {
      base: BigInt(beat.base),
      plane: BigInt(PLANES[beat.plane]),
      index: BigInt(beat.index),
    },
    last: beat.last,
  };
}

function rowToStream(row: FetchedRow): StreamBeat {
  return {
    fields: {
      data: row.data,
      index: BigInt(row.index),
      plane: BigInt(PLANES[row.plane]),
      error: row.error ? 1n : 0n,
    },
    last: row.last,
  };
}

/** What one channel does in a run: its head in DRAM and the rows it is asked for. */
export interface ChannelWork {
  head: HeadInDram;
  beats: FetchBeat[];
}

/** The plan for the fetcher unit (all channels): channel c gets work[c] and its own memory model. */
export function fetcherPlan(
  resolved: ResolvedConfig,
  work: readonly ChannelWork[],
  timing: MemoryTiming,
): SimPlan {
  const config = resolved.config;
  if (work.length !== config.fetcher.channels)
    throw new Error(
      `fetcher plan: ${work.length} channel(s) of work for ${config.fetcher.channels} channel(s)`,
    );
  const stride = deriveFetcher(config).strideBeats.full;
  const rows = Math.max(...work.map((w) => w.beats.length));
  return {
    top: fetcherChannelsModule(config),
    inputs: Object.fromEntries(work.map((w, c) => [`c${c}_fetch`, w.beats.map(fetchToStream)])),
    expected: Object.fromEntries(
      work.map((w, c) => [`c${c}_row`, fetchRows(config, w.head.image, w.beats).map(rowToStream)]),
    ),
    extra: axiMemoryAttachment(
      resolved,
      work.map((w) => w.head.image),
      timing,
    ),
    maxCycles: 20000 + rows * stride * 20 + timing.latencyMax * 10,
  };
}

export const fetcherTarget: SimTarget = {
  description:
    'fetcher: per channel, random requests (runs, gaps, repeats, random order) on all planes, 4 KB crossings, SLVERR words, random DRAM latency',
  plan(resolved, rng, count) {
    const config = resolved.config;
    const work = Array.from({ length: config.fetcher.channels }, () => {
      const head = headInDram(config, rng, 0.01);
      return {
        head,
        beats: randomRequests(
          rng,
          head,
          config.model.maxTokens,
          Math.max(1, Math.ceil(count / 10)),
        ),
      };
    });
    return fetcherPlan(resolved, work, memoryTiming(resolved, true));
  },
};
