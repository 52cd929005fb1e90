/**
 * Testbench attachments for attention_core's token map port: a synchronous-read memory holding the
 * token of each logical row (what spatten_top's kept-token list RAM does), and the merge of several
 * attachments into one (the core also needs its AXI memory models).
 */
import type { TestbenchAttachment } from './testbench';

/** A $readmemh memory of `tokens` on map_read_*: read when enabled, data registered, held otherwise. */
export function tokenMapAttachment(
  tokens: readonly number[],
  indexWidth: number,
): TestbenchAttachment {
  const msb = indexWidth - 1;
  const verilog = [
    '',
    "  // ---- Token map: logical row -> token, synchronous read (as spatten_top's kept-token list) ----",
    '  wire map_en;',
    `  wire [${msb}:0] map_addr;`,
    `  reg  [${msb}:0] map_data;`,
    `  reg  [${msb}:0] map_mem [0:${Math.max(1, tokens.length) - 1}];`,
    '  initial $readmemh("token_map.hex", map_mem);',
    '  always @(posedge clk) if (map_en) map_data <= map_mem[map_addr];',
  ].join('\n');
  const hex = (tokens.length > 0 ? tokens : [0]).map((t) => t.toString(16)).join('\n');
  return {
    files: [],
    verilog,
    connect: { map_read_en_o: 'map_en', map_read_addr_o: 'map_addr', map_read_data_i: 'map_data' },
    dataFiles: { 'token_map.hex': `${hex}\n` },
  };
}

export function mergeAttachments(...parts: TestbenchAttachment[]): TestbenchAttachment {
  return {
    files: [...new Set(parts.flatMap((p) => p.files))],
    verilog: parts.map((p) => p.verilog).join('\n'),
    connect: Object.assign({}, ...parts.map((p) => p.connect)),
    dataFiles: Object.assign({}, ...parts.map((p) => p.dataFiles ?? {})),
    checkLog: (log) => parts.flatMap((p) => p.checkLog?.(log) ?? []),
  };
}
