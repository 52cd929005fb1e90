/**
 * View of soc: the ring entries' word counts and entry sizes, the descriptor fields unpacked from
 * the descriptor register, the result packed into words, the shell's register resets (used by the
 * reset and by CONTROL.SOFT_RESET), and the top's reset.
 */
import { resetPortName } from '../../dsl/builder';
import type { ModuleIR } from '../../dsl/ir';
import { SHELL_DATA_BITS } from '../../modules/soc';
import { ERROR_CODES } from '../../soc/register-map';
import { type RingLayout, ringLayouts } from '../../soc/ring-layout';
import { breakCode } from '../columns';
import { type RenderInput, commonView } from './common';

const usedWords = (layout: RingLayout) => layout.fields.reduce((sum, f) => sum + f.words, 0);

/** The state the shell clears on reset and on a soft reset (its datapath registers need none). */
const CLEARS = [
  "running_q     <= 1'b0;",
  "soft_q        <= 1'b0;",
  "busy_q        <= 1'b0;",
  "res_full_q    <= 1'b0;",
  "irq_q         <= 1'b0;",
  "error_code_q  <= 4'd0;",
  "error_pulse_q <= 1'b0;",
  "done_pulse_q  <= 1'b0;",
  "desc_head_q   <= 32'd0;",
  "res_tail_q    <= 32'd0;",
  "consumed_q    <= 32'd0;",
  "outstanding_q <= 32'd0;",
  "used_q        <= 32'd0;",
  "out_d_q       <= 32'd0;",
  "pending_q     <= 32'd0;",
  "size_m1_q     <= 32'd0;",
  "settle_q      <= 2'd0;",
  "d_armed_q     <= 1'b0;",
  "r_armed_q     <= 1'b0;",
  'd_state_q     <= D_IDLE;',
  "d_error_q     <= 1'b0;",
  "d_sent_q      <= 16'd0;",
  'r_state_q     <= R_IDLE;',
  "r_beats_q     <= 8'd0;",
  "r_sent_q      <= 16'd0;",
  "cycles_q      <= 64'd0;",
  "key_bytes_q   <= 64'd0;",
  "lsb_bytes_q   <= 64'd0;",
  "value_bytes_q <= 64'd0;",
  "requests_q    <= 64'd0;",
  "refetches_q   <= 64'd0;",
];

export function socView(module: ModuleIR, input: RenderInput) {
  const { descriptor, result } = ringLayouts(input.config);
  const descWords = usedWords(descriptor);
  const resWords = usedWords(result);
  const unpack = descriptor.fields.map(
    (f) => `assign top_req_${f.name} = desc_q[${f.word * SHELL_DATA_BITS} +: ${f.width}];`,
  );
  // Word 0 in the low bits: the concatenation lists the last field first.
  const packParts = [...result.fields].reverse().flatMap((f) => {
    const pad = f.words * SHELL_DATA_BITS - f.width;
    return pad > 0 ? [`{${pad}{1'b0}}`, `top_res_${f.name}`] : [`top_res_${f.name}`];
  });
  // The padding above each descriptor field in its words is never read.
  const padding = descriptor.fields.flatMap((f) => {
    const top = (f.word + f.words) * SHELL_DATA_BITS - 1;
    const low = f.word * SHELL_DATA_BITS + f.width;
    return low <= top ? [`desc_q[${top}:${low}]`] : [];
  });
  const unused = ['m_axi_desc_rid_i', 'm_axi_res_bid_i', 'd_addr_q', 'r_addr_q', ...padding];
  const activeLow = input.config.reset.activeLow;
  const reset = resetPortName(input.config);
  return {
    ...commonView(module, input),
    descWords,
    resWords,
    descShift: Math.log2(descriptor.bytes),
    resShift: Math.log2(result.bytes),
    unpack,
    pack: breakCode(`wire [ResBits-1:0] res_packed = {${packParts.join(', ')}};`, 2, 4),
    clears: CLEARS,
    unused: breakCode(`wire unused_signals = ^{${unused.join(', ')}};`, 2, 4),
    errorCodes: ERROR_CODES.filter((c) => c.value !== 0).map(
      (c) => `localparam [3:0] E_${c.name} = 4'd${c.value};`,
    ),
    addrMsb: input.config.fetcher.axiAddrBits - 1,
    topReset: activeLow ? `${reset} && !soft_q` : `${reset} || soft_q`,
  };
}
