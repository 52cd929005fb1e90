/** Template values of softmax: the generated 2^x tables and constants as sized Verilog literals. */
import { deriveSoftmax } from '../../config/derive-softmax';
import type { ModuleIR } from '../../dsl/ir';
import { type RenderInput, commonView } from './common';

/** Case items of a table; the last entry is the `default` so synthesis sees a full case. */
function tableView(values: readonly number[], indexBits: number, valueBits: number) {
  return {
    entries: values.slice(0, -1).map((value, index) => ({
      index: `${indexBits}'d${index}`,
      value: `${valueBits}'d${value}`,
    })),
    last: `${valueBits}'d${values[values.length - 1] ?? 0}`,
  };
}

export function softmaxView(module: ModuleIR, input: RenderInput) {
  const s = input.config.softmax;
  const k = deriveSoftmax(input.config);
  const expBits = s.expFrac + 1;
  return {
    ...commonView(module, input),
    log2e: `${k.log2eFrac + 2}'d${k.log2e}`,
    log2eReal: Math.LOG2E.toFixed(6),
    expZero: `${expBits}'d${k.expZero}`,
    hiTable: tableView(k.hiTable, s.tableBits, expBits),
    loTable: tableView(k.loTable, s.tableBits, expBits),
  };
}
