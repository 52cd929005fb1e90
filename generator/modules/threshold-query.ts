/**
 * The query stream of the threshold units (qk_bitserial, prescore): one beat per request, the
 * query's D elements and the threshold on the exact dot product, with no `last`.
 */
import type { ModuleBuilder } from '../dsl/builder';
import { type Expr, add, mul } from '../dsl/expr';

export function thresholdQueryStream(
  m: ModuleBuilder,
  widths: { headDim: Expr; queryWidth: Expr; accWidth: Expr },
  below: string,
): void {
  m.streamIn('query', {
    doc: 'one query and its threshold per request',
    last: false,
    fields: {
      data: {
        width: mul(widths.headDim, widths.queryWidth),
        doc: 'D query elements sW.F; element 0 in the low bits.',
      },
      threshold: {
        width: add(widths.accWidth, 1),
        doc:
          'Keys whose exact dot product (raw, queryFrac + keyFrac fraction bits) is below it ' +
          `${below}.`,
      },
    },
  });
}
