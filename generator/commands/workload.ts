/**
 * `spatten workload gpt2-decode --out FILE.csv`: writes a workload in the SpAtten trace format,
 * pruned by the paper's schedule (sim/workloads/schedule.ts), for `spatten replay` and the tests.
 * The summarization stage's kinds (bert, gpt2-prompt) come with that stage.
 */
import type { Command } from 'commander';
import {
  type DecodeShape,
  GPT2_MODELS,
  GPT2_WINDOW,
  decodeFooter,
  decodeWorkload,
} from '../../sim/workloads/decode-workload';
import {
  DENSE_SCHEDULE,
  type PruningSchedule,
  SPATTEN_QUANTIZATION as Q,
  SPATTEN_SCHEDULE,
} from '../../sim/workloads/schedule';
import { formatTrace } from '../../sim/workloads/trace-writer';
import { InputError } from '../errors';
import { InvalidFlag, parseIntegerFlag } from './options';
import { writeWorkloadFile } from './workload-out';

const KINDS = ['gpt2-decode'];

/** The flags that change the pruning schedule, by their option key. */
const S = SPATTEN_SCHEDULE;
const SCHEDULE_FLAGS = {
  tokenKeep: `cascade token pruning: share of the context the last layer keeps (${S.tokenKeep})`,
  headKeep: `cascade head pruning: share of the heads the last layer keeps (${S.headKeep})`,
  valueKeep: `local value pruning: share of kept keys whose values are fetched (${S.valueKeep})`,
  keyBits: `progressive quantization: key MSB bits (${Q.keyMsbBits})`,
  lsbBits: `progressive quantization: key LSB bits of a refetch (${Q.keyLsbBits})`,
  valueBits: `value bits (${Q.valueBits})`,
  refetch: `fraction of requests that refetch the key LSBs (${Q.refetch})`,
  threshold: `max-probability threshold written to the trace (${Q.threshold})`,
} as const;
type ScheduleFlag = keyof typeof SCHEDULE_FLAGS;

interface WorkloadOptions extends Partial<Record<ScheduleFlag, string>> {
  model: string;
  layers?: string;
  heads?: string;
  headDim?: string;
  context?: string;
  steps: string;
  dense?: boolean;
  seed: string;
  out: string;
}

const flagName = (key: string) => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/** A fraction flag: (0, 1] for keep ratios (something is always kept), [0, 1] otherwise. */
function parseRatio(flag: string, text: string, zeroAllowed: boolean): number {
  const value = Number(text);
  const low = zeroAllowed ? value >= 0 : value > 0;
  if (text.trim() === '' || !Number.isFinite(value) || !low || value > 1) {
    const range = zeroAllowed ? 'from 0 to 1' : 'above 0 to 1';
    throw new InvalidFlag(`${flag} ${JSON.stringify(text)}: must be a number ${range}`);
  }
  return value;
}

function scheduleFrom(options: WorkloadOptions): PruningSchedule {
  const flags = Object.keys(SCHEDULE_FLAGS) as ScheduleFlag[];
  const given = flags.filter((key) => options[key] !== undefined);
  if (options.dense) {
    const first = given[0];
    if (first) {
      const flag = flagName(first);
      throw new InputError(`--dense: no pruning and full precision, so ${flag} does not apply`);
    }
    return DENSE_SCHEDULE;
  }
  const ratio = (key: ScheduleFlag, fallback: number, zeroAllowed = false) => {
    const text = options[key];
    return text === undefined ? fallback : parseRatio(flagName(key), text, zeroAllowed);
  };
  const bits = (key: ScheduleFlag, fallback: number) => {
    const text = options[key];
    return text === undefined ? fallback : parseIntegerFlag(flagName(key), text, 1, 32);
  };
  return {
    tokenKeep: ratio('tokenKeep', SPATTEN_SCHEDULE.tokenKeep),
    headKeep: ratio('headKeep', SPATTEN_SCHEDULE.headKeep),
    valueKeep: ratio('valueKeep', SPATTEN_SCHEDULE.valueKeep),
    quantization: {
      keyMsbBits: bits('keyBits', Q.keyMsbBits),
      keyLsbBits: bits('lsbBits', Q.keyLsbBits),
      valueBits: bits('valueBits', Q.valueBits),
      refetch: ratio('refetch', Q.refetch, true),
      threshold: ratio('threshold', Q.threshold, true),
    },
  };
}

function shapeFrom(options: WorkloadOptions): DecodeShape {
  const model = GPT2_MODELS[options.model];
  if (!model) {
    const allowed = Object.keys(GPT2_MODELS).join(', ');
    const model = JSON.stringify(options.model);
    throw new InvalidFlag(`--model ${model}: unknown model (allowed: ${allowed})`);
  }
  const int = (flag: string, text: string | undefined, fallback: number, max: number) =>
    text === undefined ? fallback : parseIntegerFlag(flag, text, 1, max);
  const steps = int('--steps', options.steps, 1, GPT2_WINDOW);
  const latest = GPT2_WINDOW - steps + 1;
  const context = int('--context', options.context, latest, GPT2_WINDOW);
  if (context > latest) {
    const last = context + steps - 1;
    throw new InvalidFlag(
      `--context ${context}: the last of ${steps} steps would attend to ` +
        `${last} tokens, more than GPT-2's ${GPT2_WINDOW}-token window (allowed: 1 to ${latest})`,
    );
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
  const command = program
    .command('workload')
    .description("write a workload trace (SpAtten format) pruned by the paper's schedule")
    .addArgument(program.createArgument('<kind>', 'workload kind').choices(KINDS))
    .requiredOption('--out <file>', 'trace CSV to write (replaces only a trace this command wrote)')
    .option('--model <name>', `GPT-2 shape (${Object.keys(GPT2_MODELS).join(', ')})`, 'gpt2-small')
    .option('--layers <n>', "layers per decode step (default: the model's)")
    .option('--heads <n>', "heads per layer (default: the model's)")
    .option('--head-dim <d>', "head dimension (default: the model's)")
    .option('--steps <n>', 'decode steps', '32')
    .option('--context <n>', 'context length of the first step (default: the last fills GPT-2)');
  for (const [key, description] of Object.entries(SCHEDULE_FLAGS)) {
    command.option(`${flagName(key)} <value>`, description);
  }
  command
    .option('--dense', 'no pruning, full precision: the baseline to compare with')
    .option('--seed <n>', 'seed of the refetch decisions', '1')
    .action((kind: string, options: WorkloadOptions) => {
      const shape = shapeFrom(options);
      const schedule = scheduleFrom(options);
      const seed = parseIntegerFlag('--seed', options.seed, 0, 2 ** 31 - 1);
      const rows = decodeWorkload(shape, schedule, seed);
      const footer = decodeFooter(shape, schedule, seed, options.model);
      writeWorkloadFile(options.out, formatTrace(rows, footer));
      const contexts = `context ${shape.context} to ${shape.context + shape.steps - 1}`;
      const requests = `${rows.length} requests (${shape.steps} steps x ${shape.layers} layers`;
      process.stderr.write(
        `wrote ${kind}: ${requests}, up to ${shape.heads} heads, ${contexts}) ` +
          `to ${options.out}\n`,
      );
    });
}
