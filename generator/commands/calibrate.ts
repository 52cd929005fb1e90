/**
 * `spatten calibrate --mode leopard`: per-layer thresholds that keep a share of the softmax mass
 * on calibration data (structured synthetic attention), with the mass, pruning and bit planes
 * they give on held-out cases of each layer. They stand in for LeOPArd's thresholds, which it
 * learns in training.
 */
import type { Command } from 'commander';
import { calibrateLayers } from '../../sim/golden/calibration';
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
const WORKLOADS = ['structured'];

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
    .option('--workload <name>', `calibration data (${WORKLOADS.join(', ')})`, 'structured')
    .option('--layers <n>', 'layers', '12')
    .option('--cases <n>', 'cases per layer, for calibration and again for the check', '16')
    .option('--tokens <n>', 'tokens per case (default: model.maxTokens, at most 256)')
    .option('--seed <n>', 'random seed of the workload', '1')
    .option('--json', 'print one JSON document on stdout')
    .action((options: CalibrateOptions) => {
      if (!MODES.includes(options.mode))
        throw new InputError(
          `--mode ${showValue(options.mode)}: unknown mode (allowed: ${MODES.join(', ')})`,
        );
      if (!WORKLOADS.includes(options.workload))
        throw new InputError(
          `--workload ${showValue(options.workload)}: unknown workload ` +
            `(allowed: ${WORKLOADS.join(', ')})`,
        );
      const keepMass = parseKeepMass(options.keepMass);
      const resolved = configFromOptions(options);
      const maxTokens = resolved.config.model.maxTokens;
      const tokens =
        options.tokens === undefined
          ? Math.min(256, maxTokens)
          : parseIntegerFlag('--tokens', options.tokens, 1, maxTokens);
      const layers = calibrateLayers(resolved.config, {
        keepMass,
        layers: parseIntegerFlag('--layers', options.layers, 1, 96),
        cases: parseIntegerFlag('--cases', options.cases, 1, 1000),
        tokens,
        seed: parseIntegerFlag('--seed', options.seed, 0, 2 ** 31 - 1),
      });
      const report = {
        mode: options.mode,
        preset: resolved.preset,
        keepMass,
        workload: options.workload,
        tokens,
        layers,
      };
      if (options.json) {
        process.stdout.write(`${JSON.stringify(report)}\n`);
        return;
      }
      process.stdout.write('layer  threshold  score  kept mass (min)  pruned  planes\n');
      for (const l of layers) {
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
