/**
 * The two stream payloads of stream compaction, shared by zero_compact, stream_packer and
 * zero_eliminator: flagged beats (elements + keep flag per lane) and counted beats (elements packed
 * from lane 0 + how many are valid).
 */
import type { StreamSpec } from '../dsl/builder';
import { type Expr, add, clog2, mul } from '../dsl/expr';

export function flaggedBeats(lanes: Expr, dataWidth: Expr): StreamSpec {
  return {
    doc: 'elements with keep flags',
    fields: {
      data: { width: mul(lanes, dataWidth), doc: 'Elements, lane 0 in the low bits.' },
      keep: { width: lanes, doc: 'Keep flag per lane.' },
    },
  };
}

export function countedBeats(
  lanes: Expr,
  dataWidth: Expr,
  doc: string,
  countDoc: string,
): StreamSpec {
  return {
    doc,
    fields: {
      data: { width: mul(lanes, dataWidth), doc: 'Elements from lane 0 up, zero above the count.' },
      count: { width: clog2(add(lanes, 1)), doc: countDoc },
    },
  };
}
