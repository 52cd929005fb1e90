/**
 * `spatten calibrate --mode leopard`: per-layer thresholds that keep a share of the softmax mass
 * on calibration data (structured synthetic attention, or a folder of the user's queries and keys
 * as .npy), with the mass, pruning and bit planes they give on held-out cases of each layer. They
 * stand in for LeOPArd's thresholds, which it learns in training.
 */
import { statSync } from 'node:fs';
import type { Command } from 'commander';
import {
  type LayerCalibration,
  calibrateCases,
  calibrateStructured,
} from '../../sim/golden/calibration';
import { KEYS_FILE, QUERIES_FILE, readAttentionArrays } from '../../sim/workloads/attention-arrays';
import type { ResolvedConfig } from '../config/load';
import { InputError, showValue } from '../errors';
import {
  type ConfigOptions,
  addConfigOptions,
  configFromOptions,
  parseIntegerFlag,
} from './options';

interface CalibrateOptions extends ConfigOptions {
  mode: string;
  keepMass: string;
  workload: string;
  layers: string;
  cases: string;
  tokens?: string;
  seed: string;
  json?: boolean;
}

const MODES = ['leopard'];
const STRUCTURED = 'structured';
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

function structuredLayers(
  resolved: ResolvedConfig,
  options: CalibrateOptions,
  keepMass: number,
): CalibratedWorkload {
  const maxTokens = resolved.config.model.maxTokens;
  const tokens =
    options.tokens === undefined
      ? Math.min(256, maxTokens)
      : parseIntegerFlag('--tokens', options.tokens, 1, maxTokens);
  const layers = calibrateStructured(resolved.config, {
    keepMass,
    layers: parseIntegerFlag('--layers', options.layers, 1, 96),
    cases: parseIntegerFlag('--cases', options.cases, 1, 1000),
    tokens,
    seed: parseIntegerFlag('--seed', options.seed, 0, 2 ** 31 - 1),
  });
  return { tokens, layers };
}

function folderLayers(
  resolved: ResolvedConfig,
  folder: string,
  keepMass: number,
): CalibratedWorkload {
  const arrays = readAttentionArrays(resolved.config, folder);
  return {
    tokens: arrays.tokens,
    layers: calibrateCases(resolved.config, arrays.layers, keepMass),
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
    .option('--keep-mass <share>', 'softmax mass every case must keep, 0..1', '0.99')
    .option(
      '--workload <name|folder>',
      `calibration data: ${STRUCTURED}, or a folder with ${QUERIES_FILE} and ${KEYS_FILE}`,
      STRUCTURED,
    )
    .option('--layers <n>', 'layers', '12')
    .option('--cases <n>', 'cases per layer, for calibration and again for the check', '16')
    .option('--tokens <n>', 'tokens per case (default: model.maxTokens, at most 256)')
    .option('--seed <n>', 'random seed of the workload', '1')
    .option('--json', 'print one JSON document on stdout')
    .action((options: CalibrateOptions, command: Command) => {
      if (!MODES.includes(options.mode))
        throw new InputError(
          `--mode ${showValue(options.mode)}: unknown mode (allowed: ${MODES.join(', ')})`,
        );
      const keepMass = parseKeepMass(options.keepMass);
      const resolved = configFromOptions(options);
      if (options.workload !== STRUCTURED) {
        const given = STRUCTURE_FLAGS.filter((f) => command.getOptionValueSource(f) === 'cli');
        if (!isFolder(options.workload))
          throw new InputError(
            `--workload ${showValue(options.workload)}: neither ${STRUCTURED} nor a folder ` +
              `(a folder holds ${QUERIES_FILE} and ${KEYS_FILE})`,
          );
        if (given.length > 0)
          throw new InputError(
            `--${given[0]}: shapes the ${STRUCTURED} workload only (the arrays in ` +
              `${showValue(options.workload)} give layers, cases and tokens)`,
          );
      }
      const calibrated =
        options.workload === STRUCTURED
          ? structuredLayers(resolved, options, keepMass)
          : folderLayers(resolved, options.workload, keepMass);
      const report = {
        mode: options.mode,
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
      process.stdout.write('layer  threshold  score  kept mass (min)  pruned  planes\n');
      for (const l of report.layers) {
        const cells = [
          String(l.layer).padStart(5),
          l.threshold.padStart(10),
          l.scoreThreshold.toFixed(3).padStart(6),
          l.keptMassMin.toFixed(4).padStart(16),
          l.prunedShare.toFixed(3).padStart(7),
          l.planeShare.toFixed(3).padStart(7),
        ];
        process.stdout.write(`${cells.join('  ')}\n`);
      }
    });
}
