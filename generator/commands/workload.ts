/**
 * `spatten workload gpt2-decode --out FILE.csv`: writes a workload in the SpAtten trace format, pruned by
 * the paper's schedule (sim/workloads/schedule.ts), for `spatten replay` and the tests. The summarization
 * stage's kinds (bert, gpt2-prompt) come with that stage.
 */
import type { Command } from 'commander';
import { type DecodeShape, GPT2_MODELS, GPT2_WINDOW, decodeFooter, decodeWorkload } from '../../sim/workloads/decode-workload';
import { DENSE_SCHEDULE, type PruningSchedule, SPATTEN_SCHEDULE } from '../../sim/workloads/schedule';
import { formatTrace } from '../../sim/workloads/trace-writer';
import { InputError } from '../errors';
import { InvalidFlag, parseIntegerFlag } from './options';
import { writeWorkloadFile } from './workload-out';

interface WorkloadOptions {
  model: string;
  layers?: string;
  heads?: string;
  headDim?: string;
  context?: string;
  steps: string;
  tokenKeep?: string;
  headKeep?: string;
  valueKeep?: string;
  keyBits?: string;
  lsbBits?: string;
  valueBits?: string;
  refetch?: string;
  threshold?: string;
  dense?: boolean;
  seed: string;
  out: string;
}

/** A fraction flag: (0, 1] for keep ratios (something is always kept), [0, 1] otherwise. */
function parseRatio(flag: string, text: string, zeroAllowed: boolean): number {
  const value = Number(text);
  const low = zeroAllowed ? value >= 0 : value > 0;
  if (text.trim() === '' || !Number.isFinite(value) || !low || value > 1) {
    throw new InvalidFlag(`${flag} ${JSON.stringify(text)}: must be a number ${zeroAllowed ? 'from 0' : 'above 0'} to 1`);
  }
  return value;
}

const SCHEDULE_FLAGS = ['tokenKeep', 'headKeep', 'valueKeep', 'keyBits', 'lsbBits', 'valueBits', 'refetch', 'threshold'] as const;
const flagName = (key: string) => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

function scheduleFrom(options: WorkloadOptions): PruningSchedule {
  const given = SCHEDULE_FLAGS.filter((key) => options[key] !== undefined);
  if (options.dense) {
    if (given.length > 0) throw new InputError(`--dense: no pruning and full precision, so ${flagName(given[0] ?? '')} does not apply`);
    return DENSE_SCHEDULE;
  }
  const base = SPATTEN_SCHEDULE;
  const q = base.quantization;
  const ratio = (key: (typeof SCHEDULE_FLAGS)[number], fallback: number, zeroAllowed = false) => {
    const text = options[key];
    return text === undefined ? fallback : parseRatio(flagName(key), text, zeroAllowed);
  };
  const bits = (key: (typeof SCHEDULE_FLAGS)[number], fallback: number) => {
    const text = options[key];
    return text === undefined ? fallback : parseIntegerFlag(flagName(key), text, 1, 32);
  };
  return {
    tokenKeep: ratio('tokenKeep', base.tokenKeep),
    headKeep: ratio('headKeep', base.headKeep),
    valueKeep: ratio('valueKeep', base.valueKeep),
    quantization: q && {
      keyMsbBits: bits('keyBits', q.keyMsbBits),
      keyLsbBits: bits('lsbBits', q.keyLsbBits),
      valueBits: bits('valueBits', q.valueBits),
      refetch: ratio('refetch', q.refetch, true),
      threshold: ratio('threshold', q.threshold, true),
    },
  };
}

function shapeFrom(options: WorkloadOptions): DecodeShape {
  const model = GPT2_MODELS[options.model];
  if (!model) throw new InvalidFlag(`--model ${JSON.stringify(options.model)}: unknown model (allowed: ${Object.keys(GPT2_MODELS).join(', ')})`);
  const int = (flag: string, text: string | undefined, fallback: number, max: number) =>
    text === undefined ? fallback : parseIntegerFlag(flag, text, 1, max);
  const steps = int('--steps', options.steps, 1, GPT2_WINDOW);
  const latest = GPT2_WINDOW - steps + 1;
  const context = int('--context', options.context, latest, GPT2_WINDOW);
  if (context > latest) {
    throw new InvalidFlag(`--context ${context}: the last of ${steps} steps would attend to ${context + steps - 1} tokens, ` +
      `more than GPT-2's ${GPT2_WINDOW}-token window (allowed: 1 to ${latest})`);
  }
  return {
    layers: int('--layers', options.layers, model.layers, 256),
    heads: int('--heads', options.heads, model.heads, 64),
    headDim: int('--head-dim', options.headDim, model.headDim, 1024),
    context,
    steps,
  };
}

export function registerWorkload(program: Command): void {
  const q = SPATTEN_SCHEDULE.quantization;
  program
    .command('workload')
    .description('write a workload trace (SpAtten format) pruned by the paper\'s schedule')
    .addArgument(program.createArgument('<kind>', 'workload kind').choices(['gpt2-decode']))
    .requiredOption('--out <file>', 'trace CSV to write (replaces only a trace this command wrote)')
    .option('--model <name>', `GPT-2 model giving layers, heads, head dimension (${Object.keys(GPT2_MODELS).join(', ')})`, 'gpt2-small')
    .option('--layers <n>', 'layers per decode step (default: the model\'s)')
    .option('--heads <n>', 'heads per layer (default: the model\'s)')
    .option('--head-dim <d>', 'head dimension (default: the model\'s)')
    .option('--steps <n>', 'decode steps', '32')
    .option('--context <n>', 'context length of the first step (default: the last step fills GPT-2\'s window)')
    .option('--token-keep <r>', `cascade token pruning: fraction of the context the last layer keeps (default ${SPATTEN_SCHEDULE.tokenKeep})`)
    .option('--head-keep <r>', `cascade head pruning: fraction of the heads the last layer keeps (default ${SPATTEN_SCHEDULE.headKeep})`)
    .option('--value-keep <r>', `local value pruning: fraction of the kept keys whose values are fetched (default ${SPATTEN_SCHEDULE.valueKeep})`)
    .option('--key-bits <b>', `progressive quantization: key MSB bits (default ${q?.keyMsbBits})`)
    .option('--lsb-bits <b>', `progressive quantization: key LSB bits of a refetch (default ${q?.keyLsbBits})`)
    .option('--value-bits <b>', `value bits (default ${q?.valueBits})`)
    .option('--refetch <r>', `fraction of requests that refetch key LSBs (default ${q?.refetch})`)
    .option('--threshold <p>', `max-probability threshold written to the trace (default ${q?.threshold})`)
    .option('--dense', 'no pruning, full precision: the baseline to compare with')
    .option('--seed <n>', 'seed of the refetch decisions', '1')
    .action((kind: string, options: WorkloadOptions) => {
      const shape = shapeFrom(options);
      const schedule = scheduleFrom(options);
      const seed = parseIntegerFlag('--seed', options.seed, 0, 2 ** 31 - 1);
      const rows = decodeWorkload(shape, schedule, seed);
      writeWorkloadFile(options.out, formatTrace(rows, decodeFooter(shape, schedule, seed, options.model)));
      process.stderr.write(`wrote ${kind}: ${rows.length} requests (${shape.steps} steps x ${shape.layers} layers, ` +
        `up to ${shape.heads} heads, context ${shape.context} to ${shape.context + shape.steps - 1}) to ${options.out}\n`);
    });
}
