import { describe, expect, it } from 'vitest';
import {
  type DecodeShape,
  decodeFooter,
  decodeWorkload,
  decodeWorkloadFor,
} from '../../sim/workloads/decode-workload';
import {
  DENSE_SCHEDULE,
  type PruningSchedule,
  SPATTEN_SCHEDULE,
} from '../../sim/workloads/schedule';
import { type TraceRow, parseTrace } from '../../sim/workloads/trace';
import { traceFitProblems } from '../../sim/workloads/trace-fit';
import { formatTrace } from '../../sim/workloads/trace-writer';
import { configWith } from '../support/config';
import { GPT2_SMALL_DECODE } from '../support/workloads';

const rows = decodeWorkload(GPT2_SMALL_DECODE, SPATTEN_SCHEDULE, 1);
const groups = (list: readonly TraceRow[]) => {
  const byKey = new Map<string, TraceRow[]>();
  for (const row of list) {
    const key = `${row.step}/${row.layer}`;
    byKey.set(key, [...(byKey.get(key) ?? []), row]);
  }
  return [...byKey.values()];
};
const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

describe('trace writer', () => {
  it('writes what the reader reads: the same rows, the footer kept aside', () => {
    const footer = decodeFooter(GPT2_SMALL_DECODE, SPATTEN_SCHEDULE, 1, 'gpt2-small');
    const trace = parseTrace('w.csv', formatTrace(rows, footer));
    expect(trace.rows).toEqual(rows);
    expect(trace.footer).toBe(footer);
    expect(footer).toMatch(/^spatten-gen workload gpt2-decode model=gpt2-small layers=12 /);
  });

  it('refuses a footer the reader would take for a request', () => {
    expect(() => formatTrace(rows, '12 layers')).toThrow(/one non-empty cell not starting with/);
    expect(() => formatTrace(rows, 'a,b')).toThrow(/must be one non-empty cell/);
  });
});

describe('gpt2-decode workload (the paper schedule)', () => {
  it('is one request per step, layer and head, the context growing by one token per step', () => {
    const { steps, layers, heads } = GPT2_SMALL_DECODE;
    expect(rows).toHaveLength(steps * layers * heads);
    const ids = [...new Set(rows.map((r) => r.step))];
    const contexts = ids.map((step) => rows.find((r) => r.step === step)?.contextLength);
    expect(contexts).toEqual(ids.map((s) => 993 + s));
  });

  it('is deterministic for a seed; the seed moves only the refetch decisions', () => {
    expect(decodeWorkload(GPT2_SMALL_DECODE, SPATTEN_SCHEDULE, 1)).toEqual(rows);
    const other = decodeWorkload(GPT2_SMALL_DECODE, SPATTEN_SCHEDULE, 2);
    expect(other.map((r) => r.requant)).not.toEqual(rows.map((r) => r.requant));
    const withoutRefetch = (list: TraceRow[]) => list.map((r) => ({ ...r, requant: false }));
    expect(withoutRefetch(other)).toEqual(withoutRefetch(rows));
  });

  it('prunes tokens in cascade: a layer keeps a subset of the previous, the last tokenKeep', () => {
    const ids = [...new Set(rows.map((r) => r.step))];
    const steps = ids.map((s) => groups(rows.filter((r) => r.step === s)));
    for (const step of steps) {
      const keys = step.map((g) => g[0]?.keysKept ?? 0);
      expect(keys.every((k, i) => i === 0 || k <= (keys[i - 1] ?? 0))).toBe(true);
      const last = step.at(-1)?.[0] as TraceRow;
      expect(last.keysKept).toBe(Math.floor(last.contextLength * SPATTEN_SCHEDULE.tokenKeep));
      expect(step[0]?.[0]?.keysKept).toBeLessThan(last.contextLength);
    }
  });

  it("marks the token top-k on a layer's last head with the count the next layer keeps", () => {
    const layers = groups(rows);
    layers.forEach((group, i) => {
      const next = layers[i + 1]?.[0];
      const boundary = group.at(-1) as TraceRow;
      const from = next && next.step !== boundary.step ? next.contextLength : boundary.keysKept;
      expect(group.slice(0, -1).every((r) => !r.tokenTopk)).toBe(true);
      expect(boundary.topk).toBe(next && next.keysKept < from ? next.keysKept : null);
      expect(boundary.tokenTopk).toBe(boundary.topk !== null);
    });
    // Importance accumulates up to the last top-k and not after it.
    const last = rows.map((r) => r.tokenTopk).lastIndexOf(true);
    expect(rows.map((r) => r.accumulateImportance)).toEqual(rows.map((_, i) => i <= last));
  });

  it('fetches values of valueKeep of the kept keys, refetches LSBs for about `refetch`', () => {
    const values = (keys: number) => Math.max(1, Math.floor(keys * SPATTEN_SCHEDULE.valueKeep));
    expect(rows.every((r) => r.valuesKept === values(r.keysKept))).toBe(true);
    const refetched = rows.filter((r) => r.requant);
    // 4608 draws: three standard deviations of the fraction are about 0.011.
    expect(Math.abs(refetched.length / rows.length - 0.07)).toBeLessThan(0.02);
    // A flatter distribution over more keys refetches more often.
    const keys = (list: TraceRow[]) => mean(list.map((r) => r.keysKept));
    expect(keys(refetched)).toBeGreaterThan(keys(rows));
    const bits = (r: TraceRow) => [r.keyBits, r.requantExtraBits, r.valueBits, r.queryBits];
    expect(new Set(rows.map((r) => bits(r).join()))).toEqual(new Set(['6,4,6,']));
  });

  it('prunes heads in cascade: layer 0 runs all, later layers fewer, down to headKeep', () => {
    const schedule: PruningSchedule = { ...SPATTEN_SCHEDULE, headKeep: 0.25 };
    const firstStep = groups(decodeWorkload(GPT2_SMALL_DECODE, schedule, 1)).slice(0, 12);
    const heads = firstStep.map((g) => g.length);
    expect(heads[0]).toBe(12);
    expect(heads.at(-1)).toBe(3);
    expect(heads.every((h, i) => i === 0 || h <= (heads[i - 1] ?? 0))).toBe(true);
  });

  it('the dense baseline keeps every token and value at full precision, with no top-k', () => {
    const dense = decodeWorkload(GPT2_SMALL_DECODE, DENSE_SCHEDULE, 1);
    expect(dense).toHaveLength(rows.length);
    expect(dense.every((r) => r.keysKept === r.contextLength)).toBe(true);
    expect(dense.every((r) => r.valuesKept === r.keysKept)).toBe(true);
    expect(dense.every((r) => r.keyBits === null && r.valueBits === null)).toBe(true);
    expect(dense.every((r) => !r.requant && !r.tokenTopk)).toBe(true);
  });

  it('keeps at least one token, value and head at the extremes of a shape', () => {
    const shape: DecodeShape = { layers: 1, heads: 1, headDim: 8, context: 1, steps: 1 };
    const harsh = { ...SPATTEN_SCHEDULE, tokenKeep: 0.01, headKeep: 0.01, valueKeep: 0.01 };
    expect(decodeWorkload(shape, harsh, 1)).toMatchObject([
      { keysKept: 1, valuesKept: 1, head: 0, contextLength: 1, tokenTopk: false },
    ]);
  });

  it('shaped for a design, it fits that design at every preset', () => {
    for (const preset of ['tiny', 'fpga', 'paper']) {
      const { config } = configWith(preset);
      const trace = decodeWorkloadFor(config);
      expect(traceFitProblems(trace.file, trace.rows, config), preset).toEqual([]);
      const longest = Math.max(...trace.rows.map((r) => r.contextLength));
      expect(longest).toBe(Math.min(1024, config.model.maxTokens));
      expect(new Set(trace.rows.map((r) => r.layer)).size).toBe(config.top.layers);
    }
  });
});
