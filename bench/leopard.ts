/**
 * `spatten bench leopard`: bit-serial Q×K with early termination (qk_bitserial) against the
 * parallel array (qk_array) on the same structured workload (sim/harness/structured-attention.ts:
 * a few dominant tokens, a power-law tail) and the same threshold, calibrated on other cases of
 * the workload to keep 99 % of the softmax mass (sim/golden/keep-mass.ts). Figures:
 *
 * - planes processed as a share of all (n keys × B planes), pruned share, kept mass (least and
 *   mean over the cases), the attention output's relative error against dense float;
 * - Q×K cycles: the bit-serial unit's from its cycle model (which the RTL meets to the cycle,
 *   test/rtl/qk-bitserial.test.ts), the array's from its one-beat-per-cycle schedule (the query's
 *   slices, then one beat per slice of each row group; bench datapath measures the RTL on it);
 * - key bytes read: every plane of every key for the array, the planes processed for the
 *   bit-serial unit: the sign plane in the key stream, then only the planes it reads from its
 *   plane-major key memory (MSB first);
 * - area from Yosys (Xilinx 7-series LUTs, FFs, DSPs) and keys per cycle per area, a DSP weighed
 *   as DSP_WEIGHTS LUTs (the comparison depends on that weight, so each is printed).
 */
import type { Config } from '../generator/config/schema';
import { deriveDatapath } from '../generator/config/derive-datapath';
import { qkArrayModule } from '../generator/modules/qk-array';
import { qkBitserialModule } from '../generator/modules/qk-bitserial';
import { calibrateThreshold, caseAccs, keptMass, prunedOutputError } from '../sim/golden/keep-mass';
import { bitserialScores } from '../sim/golden/qk-bitserial';
import { bitserialTimeline } from '../sim/golden/qk-bitserial-schedule';
import { Rng } from '../sim/harness/random';
import { type AttentionCase, structuredCases } from '../sim/harness/structured-attention';
import { moduleArea } from './area';
import type { Benchmark } from './index';

export const KEEP_MASS = 0.99;
export const CASES = 16;
const DOMINANT = 6;
/** LUTs a DSP block is weighed as in the equal-area comparison. */
const DSP_WEIGHTS = [20, 50, 100];

export interface LeopardFigures {
  threshold: string;
  tokens: number;
  cases: number;
  planeShare: number;
  prunedShare: number;
  keptMassMin: number;
  keptMassMean: number;
  outputErrorMax: number;
  bitserialCycles: number;
  parallelCycles: number;
  bitserialKeyBytes: number;
  parallelKeyBytes: number;
}

/** The bench's workload: `count` structured cases of DOMINANT dominant tokens. */
export const benchCases = (config: Config, rng: Rng, count: number, tokens: number) =>
  structuredCases(config, rng, count, { tokens, dominant: DOMINANT });

/** Cycles of qk_array on requests of these lengths: the query's slices, then a beat per slice. */
function parallelCycles(config: Config, lengths: readonly number[]): number {
  const shape = deriveDatapath(config);
  return lengths.reduce(
    (sum, n) => sum + shape.slices + Math.ceil(n / shape.rowsPerBeat) * shape.slices,
    0,
  );
}

/** Everything but the area: golden model and cycle models on the workload. */
export function leopardFigures(config: Config, seed: number, tokens: number): LeopardFigures {
  const calibration = benchCases(config, new Rng(seed), CASES, tokens);
  const evaluation = benchCases(config, new Rng(seed + 1), CASES, tokens);
  const threshold = calibrateThreshold(config, calibration, KEEP_MASS);
  const requests = evaluation.map((c: AttentionCase) => ({
    query: c.query,
    threshold,
    keys: c.keys.map((elements, index) => ({ elements, index })),
  }));
  const scores = requests.flatMap((r) => bitserialScores(config, r));
  const B = config.datapath.keyBits;
  const D = config.model.headDim;
  const planes = scores.reduce((sum, s) => sum + s.planes, 0);
  const masses = evaluation.map((c) => keptMass(config, c, threshold));
  const timeline = bitserialTimeline(config, requests);
  const keys = scores.length;
  // The exact pruning decisions must be those of the plain comparison.
  const exactKept = evaluation.flatMap((c) => caseAccs(c).map((a) => a >= threshold));
  if (scores.some((s, i) => s.kept !== exactKept[i]))
    throw new Error('the bit-serial model disagrees with the exact threshold comparison');
  return {
    threshold: threshold.toString(),
    tokens,
    cases: evaluation.length,
    planeShare: planes / (keys * B),
    prunedShare: scores.filter((s) => !s.kept).length / keys,
    keptMassMin: Math.min(...masses),
    keptMassMean: masses.reduce((a, b) => a + b, 0) / masses.length,
    outputErrorMax: Math.max(...evaluation.map((c) => prunedOutputError(config, c, threshold))),
    bitserialCycles: (timeline.results.at(-1) ?? 0) + 1,
    parallelCycles: parallelCycles(
      config,
      requests.map((r) => r.keys.length),
    ),
    bitserialKeyBytes: (planes * D) / 8,
    parallelKeyBytes: (keys * B * D) / 8,
  };
}

export const leopardBenchmark: Benchmark = {
  description:
    'bit-serial Q×K with early termination vs the parallel array: planes, cycles, bytes, area',
  async run({ resolved, seed, yosys, log }) {
    const config = resolved.config;
    const tokens = Math.min(256, config.model.maxTokens);
    const figures = leopardFigures(config, seed, tokens);
    log(`leopard: threshold ${figures.threshold}, ${figures.cases} cases of ${tokens} tokens`);
    const areaOf = async (top: ReturnType<typeof qkArrayModule>) => {
      log(`leopard: synthesizing ${top.name} (xilinx)`);
      const [row] = await moduleArea(resolved, top, ['xilinx'], yosys ?? 'wasm');
      return row as { luts: number; ffs: number; dsps: number };
    };
    const parallel = await areaOf(qkArrayModule(config));
    const bitserial = await areaOf(qkBitserialModule(config));
    const keysPerCycle = (cycles: number) => (figures.cases * tokens) / cycles;
    const units = [
      {
        unit: 'qk_array',
        cycles: figures.parallelCycles,
        bytes: figures.parallelKeyBytes,
        ...parallel,
      },
      {
        unit: 'qk_bitserial',
        cycles: figures.bitserialCycles,
        bytes: figures.bitserialKeyBytes,
        ...bitserial,
      },
    ];
    const results: Record<string, number | string>[] = units.map((u) => ({
      unit: u.unit,
      cycles: u.cycles,
      keysPerCycle: keysPerCycle(u.cycles),
      keyBytes: u.bytes,
      luts: u.luts,
      ffs: u.ffs,
      dsps: u.dsps,
      ...Object.fromEntries(
        DSP_WEIGHTS.map((w) => [
          `keysPerCyclePer1kLutDsp${w}`,
          (1000 * keysPerCycle(u.cycles)) / (u.luts + w * u.dsps),
        ]),
      ),
    }));
    const [a, b] = results;
    const advantage = Object.fromEntries(
      DSP_WEIGHTS.map((w) => {
        const key = `keysPerCyclePer1kLutDsp${w}`;
        return [`dsp${w}`, (b?.[key] as number) / (a?.[key] as number)];
      }),
    );
    return {
      keepMass: KEEP_MASS,
      ...figures,
      bitserialAreaAdvantage: advantage,
      results,
    };
  },
};
