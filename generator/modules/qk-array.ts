/**
 * Q×K array: holds one query per request and streams out the scaled dot product of every key with it,
 * keeping each key's token index. M multipliers, a pipelined adder tree, one beat per cycle.
 */
import { deriveDatapath } from '../config/derive-datapath';
import type { Config } from '../config/schema';
import { ModuleBuilder } from '../dsl/builder';
import { add, clog2, mul } from '../dsl/expr';
import type { ModuleIR } from '../dsl/ir';
import { datapathShapeParams } from './datapath-shape';

export function qkArrayModule(config: Config): ModuleIR {
  const dp = config.datapath;
  const m = new ModuleBuilder(
    config,
    'qk_array',
    'Q×K array: scores query · key / sqrt(D) of streamed keys against a stored query, with token indices.',
  );
  const shape = datapathShapeParams(m, config);
  const queryWidth = m.param('QueryWidth', dp.queryBits, 'Query element width W of sW.F.');
  m.param('QueryFrac', dp.queryFrac, 'Query element fraction bits F of sW.F.');
  const keyWidth = m.param('KeyWidth', dp.keyBits, 'Key element width W of sW.F.');
  m.param('KeyFrac', dp.keyFrac, 'Key element fraction bits F of sW.F.');
  const scoreWidth = m.param('ScoreWidth', dp.scoreBits, 'Score width W of sW.F.');
  m.param('ScoreFrac', dp.scoreFrac, 'Score fraction bits F of sW.F.');
  const indexWidth = m.param('IndexWidth', deriveDatapath(config).indexBits, 'Token index width.');
  const productWidth = m.localparam(
    'ProductWidth',
    add(queryWidth, keyWidth),
    'Exact query × key product width.',
  );
  m.localparam(
    'TreeLevels',
    clog2(shape.sliceLen),
    'Adder tree levels over the SliceLen products of a beat.',
  );
  m.localparam(
    'AccWidth',
    add(productWidth, clog2(shape.headDim)),
    'Exact dot product width: no wrap over D products.',
  );
  m.clockAndReset();
  m.streamIn('query', {
    doc: 'query, Slices beats per request',
    last: false,
    fields: {
      data: {
        width: mul(shape.sliceLen, queryWidth),
        doc: 'SliceLen query elements sW.F of slice 0, 1, ... in order; element 0 in the low bits.',
      },
    },
  });
  m.streamIn('key', {
    doc: 'keys of the request, RowsPerBeat per beat (or one key over Slices beats)',
    fields: {
      data: {
        width: mul(mul(shape.rowsPerBeat, shape.sliceLen), keyWidth),
        doc: 'Row r occupies elements r×SliceLen..; each element sW.F; element 0 in the low bits.',
      },
      index: { width: mul(shape.rowsPerBeat, indexWidth), doc: 'Token index of each row.' },
      count: {
        width: shape.countWidth,
        doc: 'Rows present, from row 0 (0..RowsPerBeat); read on the final slice of a row.',
      },
    },
  });
  m.streamOut('score', {
    doc: 'scores, one beat per key beat group, in order',
    fields: {
      score: {
        width: mul(shape.rowsPerBeat, scoreWidth),
        doc: 'Score sW.F of each row; zero above count.',
      },
      index: {
        width: mul(shape.rowsPerBeat, indexWidth),
        doc: 'Token index of each row; zero above count.',
      },
      count: { width: shape.countWidth, doc: 'Rows present, from row 0.' },
    },
  });
  return m.build();
}
