import { describe, expect, it } from 'vitest';
import { checkNoLatches } from '../../generator/flows/yosys';

// The latch check must be able to fail: an incomplete combinational assignment is a latch.
describe('Yosys latch check', () => {
  const module = (body: string) =>
    `module m (input wire en_i, input wire d_i, output reg q_o);\n  always @* begin\n${body}\n  end\nendmodule\n`;

  it('finds the latch of an incomplete combinational assignment', async () => {
    const run = await checkNoLatches({ 'm.v': module('    if (en_i) q_o = d_i;') }, 'm');
    expect(run.ok).toBe(false);
  });

  it('passes the same logic with a default assignment', async () => {
    const run = await checkNoLatches(
      { 'm.v': module("    q_o = 1'b0;\n    if (en_i) q_o = d_i;") },
      'm',
    );
    expect(run.ok, run.log.slice(-2000)).toBe(true);
  });
});
