/**
 * A user's own queries and keys for calibration (`spatten calibrate --workload FOLDER`): the
 * folder holds `queries.npy`, shape [layers, cases, D] (or [cases, D], one layer), and
 * `keys.npy`, shape [layers, cases, tokens, D] (or [cases, tokens, D]), real values as the model
 * computes them (after any scaling it applies before Q×K, not yet divided by sqrt(D)). They are
 * rounded into the datapath's query and key formats, saturating; the report counts what clipped.
 */
import { join } from 'node:path';
import type { Config } from '../../generator/config/schema';
import { InputError } from '../../generator/errors';
import type { ScoredCase } from '../golden/keep-mass';
import { type NpyArray, readNpy } from './npy';
import { quantize, saturates } from './quantize';

export const QUERIES_FILE = 'queries.npy';
export const KEYS_FILE = 'keys.npy';

export interface AttentionArrays {
  /** Per layer, its cases. */
  layers: ScoredCase[][];
  tokens: number;
  /** Elements outside their format's range, clipped to it. */
  saturatedQueryElements: number;
  saturatedKeyElements: number;
}

/** The shape with a layer axis of 1 added when the file has none. */
function withLayers(file: string, array: NpyArray, rank: number, axes: string): number[] {
  if (array.shape.length === rank) return array.shape;
  if (array.shape.length === rank - 1) return [1, ...array.shape];
  throw new InputError(
    `${file}: shape (${array.shape.join(', ')}), expected [${axes}] (the layer axis optional)`,
  );
}

export function readAttentionArrays(config: Config, folder: string): AttentionArrays {
  const dp = config.datapath;
  const D = config.model.headDim;
  const queryFile = join(folder, QUERIES_FILE);
  const keyFile = join(folder, KEYS_FILE);
  const queries = readNpy(queryFile);
  const keys = readNpy(keyFile);
  const [layers = 0, cases = 0, queryDim = 0] = withLayers(
    queryFile,
    queries,
    3,
    'layers, cases, D',
  );
  const keyAxes = 'layers, cases, tokens, D';
  const [keyLayers = 0, keyCases = 0, tokens = 0, keyDim = 0] = withLayers(
    keyFile,
    keys,
    4,
    keyAxes,
  );
  const problems: string[] = [];
  if (queryDim !== D) problems.push(`${queryFile}: D is ${queryDim}, model.headDim is ${D}`);
  if (keyDim !== D) problems.push(`${keyFile}: D is ${keyDim}, model.headDim is ${D}`);
  if (keyLayers !== layers || keyCases !== cases)
    problems.push(
      `${keyFile}: ${keyLayers} layers of ${keyCases} cases, ` +
        `${queryFile} has ${layers} of ${cases}`,
    );
  if (cases < 2)
    problems.push(`${queryFile}: ${cases} case per layer (at least 2: to calibrate, to check)`);
  if (tokens < 1 || tokens > config.model.maxTokens)
    problems.push(
      `${keyFile}: ${tokens} tokens (allowed: 1..${config.model.maxTokens}, model.maxTokens)`,
    );
  for (const [file, array] of [
    [queryFile, queries],
    [keyFile, keys],
  ] as const) {
    const bad = array.data.findIndex((x) => !Number.isFinite(x));
    if (bad >= 0) problems.push(`${file}: element ${bad} is ${array.data[bad]} (allowed: finite)`);
  }
  if (problems.length > 0) throw new InputError(problems);
  const row = (array: NpyArray, start: number, bits: number, frac: number) =>
    Array.from(array.data.subarray(start, start + D), (x) => quantize(x, bits, frac));
  const count = (array: NpyArray, bits: number, frac: number) =>
    array.data.reduce((n, x) => n + (saturates(x, bits, frac) ? 1 : 0), 0);
  return {
    layers: Array.from({ length: layers }, (_, layer) =>
      Array.from({ length: cases }, (_, c) => {
        const at = layer * cases + c;
        return {
          query: row(queries, at * D, dp.queryBits, dp.queryFrac),
          keys: Array.from({ length: tokens }, (_, t) =>
            row(keys, (at * tokens + t) * D, dp.keyBits, dp.keyFrac),
          ),
        };
      }),
    ),
    tokens,
    saturatedQueryElements: count(queries, dp.queryBits, dp.queryFrac),
    saturatedKeyElements: count(keys, dp.keyBits, dp.keyFrac),
  };
}
