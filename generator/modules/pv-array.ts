/**
 * prob×V array: accumulates probability × value rows over the tokens of a request into one D-element
 * attention output. M multipliers, a pipelined adder tree across the rows of a beat, one beat per cycle;
 * the result leaves through ReadLanes shared requantizers, one group of elements per cycle.
 */
import { deriveDatapath } from '../config/derive-datapath';
import type { Config } from '../config/schema';
import { ModuleBuilder } from '../dsl/builder';
import { add, clog2, mul } from '../dsl/expr';
import type { ModuleIR } from '../dsl/ir';
import { datapathShapeParams } from './datapath-shape';

export function pvArrayModule(config: Config): ModuleIR {
  const dp = config.datapath;
  const m = new ModuleBuilder(
    config,
    'pv_array',
    'prob×V array: sums probability × value rows of a request into its D-element attention output.',
  );
  const shape = datapathShapeParams(m, config);
  const probWidth = m.param('ProbWidth', dp.probBits, 'Probability width W of uW.F.');
  m.param('ProbFrac', dp.probFrac, 'Probability fraction bits F of uW.F.');
  const valueWidth = m.param('ValueWidth', dp.valueBits, 'Value element width W of sW.F.');
  m.param('ValueFrac', dp.valueFrac, 'Value element fraction bits F of sW.F.');
  const outWidth = m.param('OutWidth', dp.outBits, 'Output element width W of sW.F.');
  m.param('OutFrac', dp.outFrac, 'Output element fraction bits F of sW.F.');
  m.param(
    'MaxTokens',
    config.model.maxTokens,
    'Most rows per request the accumulator holds without overflow.',
  );
  m.param(
    'FabricAccumulator',
    dp.pvAccumulator === 'fabric' ? 1 : 0,
    'Accumulator form: 0 maps multiply and accumulate to one DSP block per element; 1 builds LUT adders in two halves with a registered carry (one cycle between requests).',
  );
  m.param(
    'ReadLanes',
    deriveDatapath(config).pv.readLanes,
    'Requantizers: output elements rounded and saturated per cycle as a result is read out; a power of two dividing the head dimension.',
  );
  const productWidth = m.localparam(
    'ProductWidth',
    add(probWidth, valueWidth),
    'Exact probability × value product width (signed).',
  );
  const treeLevels = m.localparam(
    'TreeLevels',
    clog2(shape.rowsPerBeat),
    'Adder tree levels over the rows of a beat.',
  );
  m.localparam('RowSumWidth', add(productWidth, treeLevels), 'Exact sum over the rows of a beat.');
  m.clockAndReset();
  m.streamIn('in', {
    doc: 'probability and value rows of a request, RowsPerBeat per beat (or one row over Slices beats); last ends the request',
    fields: {
      prob: { width: mul(shape.rowsPerBeat, probWidth), doc: 'Probability uW.F of each row.' },
      value: {
        width: mul(mul(shape.rowsPerBeat, shape.sliceLen), valueWidth),
        doc: 'Row r occupies elements r×SliceLen..; each element sW.F; element 0 in the low bits.',
      },
      count: {
        width: shape.countWidth,
        doc: 'Rows present, from row 0 (0..RowsPerBeat); rows above count add nothing.',
      },
    },
  });
  m.streamOut('out', {
    doc: 'attention output, one beat per request',
    last: false,
    fields: {
      data: {
        width: mul(shape.headDim, outWidth),
        doc: 'D elements sW.F; element 0 in the low bits.',
      },
    },
  });
  return m.build();
}
