import { describe, expect, it } from 'vitest';
import { parseTrace, readTrace } from '../../sim/workloads/trace';
import { problemsOf } from '../support/config';
import { realTrace } from '../support/workloads';

const HEADER =
  'iteration_id,layer_id,head_id,embedding_length_D,sentence_length_L,key_fetch_num,quant_key_bit,quant_query_bit,auto_requant_thres,if_requant,auto_requant_incre,value_fetch_num,quant_value_bit,if_accumulate_importance,if_rescale_previous_importance,if_topk,topk';
const ROW = '0,0,0,64.0,993,993,6,16,0.05,True,4,204,6,True,False,False,-1';

const PRUNED = realTrace('summary-gpt2-small-wikitext2-per8.csv');
const BASELINE = realTrace('summary-gpt2-small-wikitext2-per8-step1+dedic.csv');
const SMOKE = realTrace('small.csv');

describe.skipIf(!PRUNED || !BASELINE || !SMOKE)('real traces (SPATTEN_WORKLOADS)', () => {
  it('reads the pruned GPT-2 trace: 4608 requests of 12 layers x 12 heads, footer kept aside', () => {
    const trace = readTrace(PRUNED as string);
    expect(trace.rows).toHaveLength(4608);
    expect(trace.footer).toMatch(/^configs\/gpt2\/wikitext2\//);
    expect(new Set(trace.rows.map((r) => r.layer)).size).toBe(12);
    const first = trace.rows[0];
    expect(first).toMatchObject({
      line: 2,
      headDim: 64,
      contextLength: 993,
      keysKept: 993,
      keyBits: 6,
      requant: true,
      requantExtraBits: 4,
      valuesKept: 204,
    });
    // The top-k after a step's last layer prunes the next step's full context, so it is bounded by L, not by the keys kept.
    expect(
      trace.rows
        .filter((r) => r.tokenTopk)
        .every((r) => r.topk !== null && r.topk <= r.contextLength + 1),
    ).toBe(true);
  });

  it('reads the unpruned baseline and the smoke test', () => {
    const baseline = readTrace(BASELINE as string);
    expect(baseline.rows.every((r) => r.keysKept === r.contextLength && r.keyBits === null)).toBe(
      true,
    );
    expect(readTrace(SMOKE as string).rows).toHaveLength(1);
  });
});

describe('bad traces', () => {
  const parse = (text: string) => () => parseTrace('t.csv', text);

  it('names unknown and missing columns', () => {
    expect(problemsOf(parse(`${HEADER.replace(/,topk$/, ',top_k')}\n${ROW}\n`))).toEqual([
      `t.csv:1: unknown column "top_k" (allowed: ${HEADER.split(',').join(', ')})`,
      't.csv:1: missing column "topk"',
    ]);
  });

  it('reports truncated rows and bad values with file:line and column', () => {
    expect(problemsOf(parse(`${HEADER}\n${ROW}\n0,0,1,64.0,993\n`))).toEqual([
      't.csv:3: 5 fields, expected 17 (truncated or malformed row)',
    ]);
    expect(problemsOf(parse(`${HEADER}\n${ROW.replace(',993,6,', ',-3,6,')}\n`))).toEqual([
      't.csv:2: column key_fetch_num = "-3": must be a non-negative integer',
    ]);
    expect(problemsOf(parse(`${HEADER}\n${ROW.replace('True,4', 'yes,4')}\n`))).toEqual([
      't.csv:2: column if_requant = "yes": must be True or False',
    ]);
    expect(problemsOf(parse(`${HEADER}\n${ROW.replace('0.05', '1.5')}\n`))).toEqual([
      't.csv:2: column auto_requant_thres = "1.5": must be -1 (unused) or a probability from 0 to 1',
    ]);
  });

  it('rejects impossible values', () => {
    expect(problemsOf(parse(`${HEADER}\n${ROW.replace('993,993', '993,994')}\n`))).toEqual([
      't.csv:2: column key_fetch_num = 994: keys kept exceed sentence_length_L (993)',
    ]);
    expect(problemsOf(parse(`${HEADER}\n${ROW.replace(',204,', ',2000,')}\n`))).toEqual([
      't.csv:2: column value_fetch_num = 2000: values kept exceed key_fetch_num (993)',
    ]);
    expect(
      problemsOf(parse(`${HEADER}\n${ROW.replace('False,False,-1', 'False,True,-1')}\n`)),
    ).toEqual(['t.csv:2: column topk = -1: if_topk is True, so topk must be a count']);
  });

  it('rejects a request given twice (same step, layer and head)', () => {
    expect(
      problemsOf(parse(`${HEADER}\n${ROW}\n${ROW.replace(',993,993,', ',993,900,')}\n`)),
    ).toEqual(['t.csv:3: request iteration_id 0, layer_id 0, head_id 0 repeats line 2']);
  });

  it('rejects files without rows and unreadable files', () => {
    expect(problemsOf(parse(`${HEADER}\n`))).toEqual(['t.csv: no request rows']);
    expect(problemsOf(() => readTrace('missing.csv'))).toEqual([
      'missing.csv: cannot read trace (ENOENT)',
    ]);
  });
});
