/**
 * The GPT-2 decode (generation stage) workload: one request per (decode step, layer, kept head),
 * each step's single query attending to the whole context so far, pruned by the SpAtten schedule
 * (schedule.ts). Seeded and deterministic: the same shape, schedule and seed give the same rows.
 */
import type { Config } from '../../generator/config/schema';
import { Rng } from '../harness/random';
import {
  type PruningSchedule,
  SPATTEN_SCHEDULE,
  headsKept,
  refetchChance,
  tokensKept,
  valuesKept,
} from './schedule';
import type { Trace, TraceRow } from './trace';
import { WORKLOAD_FOOTER_PREFIX } from './trace-writer';

export interface DecodeShape {
  layers: number;
  heads: number;
  headDim: number;
  /**
   * Context length (tokens, the step's own included) of the first decode step; each step adds one.
   */
  context: number;
  steps: number;
}

/** GPT-2's context window: no decode step attends to more tokens. */
export const GPT2_WINDOW = 1024;

/** The GPT-2 family (Radford et al. 2019): every model has 64-element heads. */
export const GPT2_MODELS: Record<string, Pick<DecodeShape, 'layers' | 'heads' | 'headDim'>> = {
  'gpt2-small': { layers: 12, heads: 12, headDim: 64 },
  'gpt2-medium': { layers: 24, heads: 16, headDim: 64 },
  'gpt2-large': { layers: 36, heads: 20, headDim: 64 },
  'gpt2-xl': { layers: 48, heads: 25, headDim: 64 },
};

interface Request {
  step: number;
  layer: number;
  head: number;
  context: number;
  keys: number;
  /** Keys the next layer keeps (at a step's end: the next step's first layer); null at the end. */
  nextKeys: number | null;
  lastHead: boolean;
}

function requests(shape: DecodeShape, schedule: PruningSchedule): Request[] {
  const all: Request[] = [];
  const keysAt = (step: number, layer: number) =>
    tokensKept(schedule, shape.context + step, layer, shape.layers);
  for (let step = 0; step < shape.steps; step += 1) {
    for (let layer = 0; layer < shape.layers; layer += 1) {
      const keys = keysAt(step, layer);
      const last = layer === shape.layers - 1;
      const nextStep = step + 1 < shape.steps ? keysAt(step + 1, 0) : null;
      const nextKeys = last ? nextStep : keysAt(step, layer + 1);
      const heads = headsKept(schedule, shape.heads, layer, shape.layers);
      const context = shape.context + step;
      for (let head = 0; head < heads; head += 1) {
        all.push({ step, layer, head, context, keys, nextKeys, lastHead: head === heads - 1 });
      }
    }
  }
  return all;
}

/** The count a token top-k after this request keeps, or null when none runs (nothing to prune). */
function topkAfter(request: Request, layers: number): number | null {
  if (!request.lastHead || request.nextKeys === null) return null;
  // Within a step the top-k picks from this layer's kept tokens, at a step's end from the context.
  const from = request.layer === layers - 1 ? request.context + 1 : request.keys;
  return request.nextKeys < from ? request.nextKeys : null;
}

export function decodeWorkload(
  shape: DecodeShape,
  schedule: PruningSchedule,
  seed: number,
): TraceRow[] {
  const rng = new Rng(seed);
  const all = requests(shape, schedule);
  const meanKeys = all.reduce((sum, r) => sum + r.keys, 0) / Math.max(1, all.length);
  const topks = all.map((r) => topkAfter(r, shape.layers));
  const lastTopk = topks.reduce<number>((last, k, i) => (k === null ? last : i), -1);
  const q = schedule.quantization;
  return all.map((r, index) => {
    const topk = topks[index] ?? null;
    return {
      line: index + 2, // as formatTrace writes it: after the header
      step: r.step,
      layer: r.layer,
      head: r.head,
      headDim: shape.headDim,
      contextLength: r.context,
      keysKept: r.keys,
      keyBits: q?.keyMsbBits ?? null,
      // The query is computed on chip, never fetched: full precision.
      queryBits: null,
      requantThreshold: q?.threshold ?? null,
      requant: q !== null && rng.chance(refetchChance(q, r.keys, meanKeys)),
      requantExtraBits: q?.keyLsbBits ?? null,
      valuesKept: valuesKept(schedule, r.keys),
      valueBits: q?.valueBits ?? null,
      // Probabilities feed token importance while a token top-k is still to come.
      accumulateImportance: index <= lastTopk,
      // How importance ages is the hardware's choice (top.importanceShift), not the workload's.
      rescaleImportance: false,
      tokenTopk: topk !== null,
      topk,
    };
  });
}

/** The footer line: what wrote the trace and with which settings (one cell, no commas). */
export function decodeFooter(
  shape: DecodeShape,
  schedule: PruningSchedule,
  seed: number,
  model: string,
): string {
  const { quantization, ...keeps } = schedule;
  const settings = { model, ...shape, ...keeps, ...(quantization ?? { precision: 'full' }), seed };
  const text = Object.entries(settings)
    .map(([key, value]) => `${key}=${value}`)
    .join(' ');
  return `${WORKLOAD_FOOTER_PREFIX}gpt2-decode ${text}`;
}

/**
 * Decode steps of a workload shaped to a design: enough for several boundaries, quick to replay.
 */
const DESIGN_STEPS = 8;

/**
 * A decode workload that fits `config` (its heads, layers, head dimension and longest context), for
 * the commands and tests that need a trace without an external one: the last step fills the
 * design's context (at most GPT-2's window).
 */
export function decodeWorkloadFor(
  config: Config,
  seed = 1,
  schedule: PruningSchedule = SPATTEN_SCHEDULE,
): Trace {
  const window = Math.min(GPT2_WINDOW, config.model.maxTokens);
  const steps = Math.min(DESIGN_STEPS, window);
  const { layers, heads } = config.top;
  const context = window - steps + 1;
  const shape = { layers, heads, headDim: config.model.headDim, context, steps };
  const name = config.design.name;
  return {
    file: `(gpt2-decode workload for design ${name})`,
    rows: decodeWorkload(shape, schedule, seed),
    footer: decodeFooter(shape, schedule, seed, `design-${name}`),
  };
}
