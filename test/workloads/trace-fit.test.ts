import { describe, expect, it } from 'vitest';
import { type DecodeShape, GPT2_MODELS, decodeWorkload } from '../../sim/workloads/decode-workload';
import { SPATTEN_SCHEDULE } from '../../sim/workloads/schedule';
import { checkTraceFits, traceFitProblems } from '../../sim/workloads/trace-fit';
import { configWith, problemsOf } from '../support/config';

/** A decode workload of the tiny design's shape (3 layers, 4 heads, D = 8, at most 64 tokens). */
const TINY: DecodeShape = { layers: 3, heads: 4, headDim: 8, context: 61, steps: 4 };
const rowsOf = (shape: Partial<DecodeShape>) =>
  decodeWorkload({ ...TINY, ...shape }, SPATTEN_SCHEDULE, 1);
const tiny = configWith('tiny').config;

describe('a trace must fit the design it is replayed on', () => {
  it("accepts a trace of the design's own shape", () => {
    expect(traceFitProblems('t.csv', rowsOf({}), tiny)).toEqual([]);
  });

  // One generated trace per rule, each broken by one value: the first offending line, the value,
  // what is allowed, how many more rows break it, and the --set that fits the trace.
  const cases: [string, Partial<DecodeShape>, string][] = [
    [
      'context longer than model.maxTokens',
      { context: 62 },
      't.csv:38: column sentence_length_L = 65: does not fit the design (allowed: at most ' +
        'model.maxTokens = 64 tokens per request; 11 more rows do not fit; ' +
        '--set model.maxTokens=65 fits the trace)',
    ],
    [
      'head dimension other than model.headDim',
      { headDim: 16 },
      "t.csv:2: column embedding_length_D = 16: does not fit the design (allowed: the design's " +
        'head dimension model.headDim = 8; 47 more rows do not fit; --set model.headDim=16 fits ' +
        'the trace)',
    ],
    [
      'more layers than top.layers',
      { layers: 4 },
      't.csv:14: column layer_id = 3: does not fit the design (allowed: 0 to 2, top.layers = 3 ' +
        'layers per step; 15 more rows do not fit; --set top.layers=4 fits the trace)',
    ],
    [
      'more heads than top.heads',
      { heads: 6 },
      't.csv:6: column head_id = 4: does not fit the design (allowed: 0 to 3, top.heads = 4 ' +
        'heads per layer; 23 more rows do not fit; --set top.heads=6 fits the trace)',
    ],
  ];
  it.each(cases)('names the row and the allowed range: %s', (_name, shape, message) => {
    expect(problemsOf(() => checkTraceFits('t.csv', rowsOf(shape), tiny))).toEqual([message]);
  });

  it('GPT-2 medium (24 layers x 16 heads) at preset fpga: one line per broken rule', () => {
    const shape = { ...(GPT2_MODELS['gpt2-medium'] as DecodeShape), context: 1023, steps: 2 };
    const medium = decodeWorkload(shape, SPATTEN_SCHEDULE, 1);
    const problems = traceFitProblems('m.csv', medium, configWith('fpga').config);
    const values = problems.map((p) => p.split(': column ')[1]?.split(':')[0]);
    expect(values).toEqual(['layer_id = 12', 'head_id = 12']);
    expect(problems[1]).toContain('--set top.heads=16 fits the trace');
    const fitted = configWith('fpga', ['top.layers=24', 'top.heads=16']).config;
    expect(traceFitProblems('m.csv', medium, fitted)).toEqual([]);
  });

  it('a trace mixing head dimensions suggests no single setting', () => {
    const later = rowsOf({ headDim: 16 }).map((r) => ({ ...r, step: r.step + 10 }));
    const problems = problemsOf(() => checkTraceFits('t.csv', [...rowsOf({}), ...later], tiny));
    expect(problems[0]).toMatch(/model\.headDim = 8; 47 more rows do not fit\)$/);
  });
});
