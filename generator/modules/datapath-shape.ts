/**
 * The shape both attention arrays share: a row of D = SliceLen × Slices elements enters as Slices beats
 * of SliceLen elements (M < D), or RowsPerBeat whole rows enter per beat (M ≥ D); the array has
 * RowsPerBeat × SliceLen = M multipliers. One of Slices and RowsPerBeat is 1 for any legal config.
 */
import { deriveDatapath } from '../config/derive-datapath';
import type { Config } from '../config/schema';
import type { ModuleBuilder } from '../dsl/builder';
import { type Expr, add, clog2, mul } from '../dsl/expr';

export interface DatapathShape {
  sliceLen: Expr;
  slices: Expr;
  rowsPerBeat: Expr;
  /** Width of a row count 0..RowsPerBeat. */
  countWidth: Expr;
  /** D as SliceLen × Slices, so port widths may use it (ports may only use parameters). */
  headDim: Expr;
}

export function datapathShapeParams(m: ModuleBuilder, config: Config): DatapathShape {
  const shape = deriveDatapath(config);
  const sliceLen = m.param(
    'SliceLen',
    shape.sliceLen,
    'Elements of a row multiplied per beat: min(multipliers, head dimension); a power of two.',
  );
  const slices = m.param(
    'Slices',
    shape.slices,
    'Beats per row (head dimension / SliceLen); a power of two.',
  );
  const rowsPerBeat = m.param(
    'RowsPerBeat',
    shape.rowsPerBeat,
    'Rows per beat (multipliers / head dimension, at least 1); a power of two.',
  );
  const headDim = mul(sliceLen, slices);
  m.localparam('HeadDim', headDim, 'Head dimension D: elements per row.');
  return { sliceLen, slices, rowsPerBeat, headDim, countWidth: clog2(add(rowsPerBeat, 1)) };
}
