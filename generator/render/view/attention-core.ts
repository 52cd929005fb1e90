/** Template values of attention_core: the fetcher channels the fetch stream is striped over and the row mux. */
import type { ModuleIR } from '../../dsl/ir';
import { type RenderInput, commonView } from './common';

const ROW_FIELDS = ['valid', 'data', 'index', 'plane', 'error', 'last'];

export function attentionCoreView(module: ModuleIR, input: RenderInput) {
  const count = input.config.fetcher.channels;
  const chanBits = Math.max(1, Math.ceil(Math.log2(count)));
  const channels = Array.from({ length: count }, (_, c) => ({
    net: `f${c}`,
    number: `${chanBits}'d${c}`,
  }));
  // One channel at a time, in turn: a chain of selects on the turn counter, the last channel as
  // default, one arm per line (the template indents the first by two columns).
  const select = (target: string, turn: string, field: string) => {
    const head = `assign ${target} = `;
    const arms = [
      ...channels.slice(0, -1).map((ch) => `${turn} == ${ch.number} ? ${ch.net}_${field} :`),
      `${channels[channels.length - 1]?.net}_${field};`,
    ];
    return head + arms.join(`\n${' '.repeat(head.length + 2)}`);
  };
  return {
    ...commonView(module, input),
    channels,
    lastChannel: `${chanBits}'d${count - 1}`,
    selects: [
      select('f_fetch_ready', 'fetch_turn_q', 'fetch_ready'),
      ...ROW_FIELDS.map((f) => select(`f_row_${f}`, 'row_turn_q', `row_${f}`)),
    ],
  };
}
