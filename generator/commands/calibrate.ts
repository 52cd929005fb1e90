/**
 * `spatten calibrate --mode leopard|threshold`: per-layer thresholds that keep a share of the
 * softmax mass on calibration data (structured synthetic attention: independent queries, or the
 * queries of whole heads over shared keys, adjacent ones alike; or a folder of the user's queries
 * and keys as .npy), with what they give on held-out cases of each layer: the mass kept,
 * the tokens pruned, and the bit planes LeOPArd's unit processes or the keys passing SPRINT's
 * pre-score. They stand in for the thresholds both designs learn or choose in training.
 */
import { statSync } from 'node:fs';
import type { Command } from 'commander';
import {
  type LayerCalibration,
  type PruningMode,
  calibrateCases,
  calibrateHeads,
  calibrateStructured,
} from '../../sim/golden/calibration';
import { KEYS_FILE, QUERIES_FILE, readAttentionArrays } from '../../sim/workloads/attention-arrays';
import type { ResolvedConfig } from '../config/load';
import type { Config } from '../config/schema';
import { InputError, showValue } from '../errors';
import {
  type ConfigOptions,
  addConfigOptions,
  configFromOptions,
  parseIntegerFlag,
} from './options';

interface CalibrateOptions extends ConfigOptions {
  mode: string;
  prescoreBits?: string;
  keepMass: string;
  workload: string;
  layers: string;
  cases: string;
  tokens?: string;
  seed: string;
  json?: boolean;
}

const MODES = ['leopard', 'threshold'];
const STRUCTURED = 'structured';
/** A head's queries over shared keys, adjacent ones alike (sim/harness/structured-head.ts). */
const HEAD = 'head';
/** The flags that shape the structured workload; a folder's arrays have their own shape. */
const STRUCTURE_FLAGS = ['layers', 'cases', 'tokens', 'seed'] as const;

const isFolder = (path: string) =>
  statSync(path, { throwIfNoEntry: false })?.isDirectory() === true;

interface CalibratedWorkload {
  tokens: number;
  layers: LayerCalibration[];
  /** A folder's arrays: elements outside their format's range, clipped to it. */
  saturated?: { queryElements: number; keyElements: number };
}

function parsePruning(options: CalibrateOptions, command: Command, config: Config): PruningMode {
  if (!MODES.includes(options.mode))
    throw new InputError(
      `--mode ${showValue(options.mode)}: unknown mode (allowed: ${MODES.join(', ')})`,
    );
  if (options.mode === 'leopard') {
    if (command.getOptionValueSource('prescoreBits') === 'cli')
      throw new InputError(
        `--prescore-bits ${showValue(options.prescoreBits ?? '')}: for --mode threshold only ` +
          "(SPRINT's pre-score)",
      );
    return { mode: 'leopard' };
  }
  const preScoreBits =
    options.prescoreBits === undefined
      ? config.datapath.prescoreBits
      : parseIntegerFlag('--prescore-bits', options.prescoreBits, 1, config.datapath.keyBits);
  return { mode: 'threshold', preScoreBits };
}

/** The structured or the head workload, shaped by the flags. */
function syntheticLayers(
  resolved: ResolvedConfig,
  options: CalibrateOptions,
  keepMass: number,
  pruning: PruningMode,
): CalibratedWorkload {
  const maxTokens = resolved.config.model.maxTokens;
  const tokens =
    options.tokens === undefined
      ? Math.min(256, maxTokens)
      : parseIntegerFlag('--tokens', options.tokens, 1, maxTokens);
  const shape = {
    keepMass,
    pruning,
    layers: parseIntegerFlag('--layers', options.layers, 1, 96),
    tokens,
    seed: parseIntegerFlag('--seed', options.seed, 0, 2 ** 31 - 1),
  };
  const layers =
    options.workload === HEAD
      ? calibrateHeads(resolved.config, shape)
      : calibrateStructured(resolved.config, {
          ...shape,
          cases: parseIntegerFlag('--cases', options.cases, 1, 1000),
        });
  return { tokens, layers };
}

function folderLayers(
  resolved: ResolvedConfig,
  folder: string,
  keepMass: number,
  pruning: PruningMode,
): CalibratedWorkload {
  const arrays = readAttentionArrays(resolved.config, folder);
  return {
    tokens: arrays.tokens,
    layers: calibrateCases(resolved.config, arrays.layers, keepMass, pruning),
    saturated: {
      queryElements: arrays.saturatedQueryElements,
      keyElements: arrays.saturatedKeyElements,
    },
  };
}

function parseKeepMass(text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value <= 0 || value >= 1)
    throw new InputError(`--keep-mass ${showValue(text)}: must be a number above 0 and below 1`);
  return value;
}

export function registerCalibrate(program: Command): void {
  addConfigOptions(
    program
      .command('calibrate')
      .description('pick per-layer pruning thresholds that keep a share of the softmax mass'),
  )
    .requiredOption('--mode <mode>', `pruning the thresholds are for (${MODES.join(', ')})`)
    .option(
      '--prescore-bits <n>',
      'threshold mode: key bits the pre-score reads (default datapath.prescoreBits)',
    )
    .option('--keep-mass <share>', 'softmax mass every case must keep, 0..1', '0.99')
    .option(
      '--workload <name|folder>',
      `calibration data: ${STRUCTURED}, ${HEAD} (queries of a head over shared keys), or a ` +
        `folder with ${QUERIES_FILE} and ${KEYS_FILE}`,
      STRUCTURED,
    )
    .option('--layers <n>', 'layers', '12')
    .option('--cases <n>', 'cases per layer, for calibration and again for the check', '16')
    .option('--tokens <n>', 'tokens per case (default: model.maxTokens, at most 256)')
    .option('--seed <n>', 'random seed of the workload', '1')
    .option('--json', 'print one JSON document on stdout')
    .action((options: CalibrateOptions, command: Command) => {
      const resolved = configFromOptions(options);
      const pruning = parsePruning(options, command, resolved.config);
      const keepMass = parseKeepMass(options.keepMass);
      const synthetic = options.workload === STRUCTURED || options.workload === HEAD;
      const given = STRUCTURE_FLAGS.filter((f) => command.getOptionValueSource(f) === 'cli');
      if (!synthetic) {
        if (!isFolder(options.workload))
          throw new InputError(
            `--workload ${showValue(options.workload)}: neither ${STRUCTURED}, ${HEAD} nor a ` +
              `folder (a folder holds ${QUERIES_FILE} and ${KEYS_FILE})`,
          );
        if (given.length > 0)
          throw new InputError(
            `--${given[0]}: shapes the ${STRUCTURED} and ${HEAD} workloads only (the arrays in ` +
              `${showValue(options.workload)} give layers, cases and tokens)`,
          );
      }
      if (options.workload === HEAD && given.includes('cases'))
        throw new InputError(
          `--cases: shapes the ${STRUCTURED} workload only (a head's queries are its cases, ` +
            'one per token)',
        );
      const calibrated = synthetic
        ? syntheticLayers(resolved, options, keepMass, pruning)
        : folderLayers(resolved, options.workload, keepMass, pruning);
      const report = {
        ...pruning,
        preset: resolved.preset,
        keepMass,
        workload: options.workload,
        ...calibrated,
      };
      if (options.json) {
        process.stdout.write(`${JSON.stringify(report)}\n`);
        return;
      }
      const clipped = calibrated.saturated;
      if (clipped && clipped.queryElements + clipped.keyElements > 0)
        process.stderr.write(
          `calibrate: ${clipped.queryElements} query and ${clipped.keyElements} key elements ` +
            "clipped to the datapath's formats\n",
        );
      printTable(calibrated.layers);
    });
}

/** One line per layer; the last columns are the mode's (planes, or pre-score and fetched). */
function printTable(layers: readonly LayerCalibration[]): void {
  const share = (x: number | undefined, width: number) =>
    x === undefined ? '' : `  ${x.toFixed(3).padStart(width)}`;
  const leopard = layers[0]?.planeShare !== undefined;
  const head = leopard ? '  planes' : '  pre-score  fetched';
  process.stdout.write(`layer  threshold  score  kept mass (min)  pruned${head}\n`);
  for (const l of layers) {
    const cells = [
      String(l.layer).padStart(5),
      l.threshold.padStart(10),
      l.scoreThreshold.toFixed(3).padStart(6),
      l.keptMassMin.toFixed(4).padStart(16),
      l.prunedShare.toFixed(3).padStart(7),
    ];
    const tail = share(l.planeShare, 6) + share(l.preScoreShare, 9) + share(l.fetchedShare, 7);
    process.stdout.write(`${cells.join('  ')}${tail}\n`);
  }
}
