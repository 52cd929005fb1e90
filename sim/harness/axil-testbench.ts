/**
 * A self-checking Verilog testbench that plays an AXI4-Lite host against one slave: a sequence of
 * accesses with their expected responses (from a golden model), each with its own delays for the
 * address and data valids and the response readies, and changes of the hardware-side inputs
 * between accesses. It also checks the slave's side of the protocol on every cycle: a response
 * stays valid with the same payload until it is taken, and no handshake signal is X.
 *
 * Every DUT port gets a testbench signal of the same name. Inputs are driven on the falling edge
 * with blocking assignments (Verilator 5.006 treats `<=` in an initial block as `=`); handshakes
 * are sampled on the rising edge into registers the accesses read on the next falling edge.
 */
import type { Config } from '../../generator/config/schema';
import { resetPortName } from '../../generator/dsl/builder';
import { type Env, evalExpr } from '../../generator/dsl/expr';
import type { ModuleIR } from '../../generator/dsl/ir';

export interface AxilWrite {
  kind: 'write';
  address: number;
  data: number;
  strobes: number;
  resp: number;
  /** Cycles before AWVALID and WVALID rise, and before BREADY rises. */
  delays: [number, number, number];
}

export interface AxilRead {
  kind: 'read';
  address: number;
  data: number;
  resp: number;
  /** Cycles before ARVALID rises, and before RREADY rises. */
  delays: [number, number];
}

/** Drive hardware-side inputs to values held from now on. */
export interface InputChange {
  kind: 'inputs';
  values: Record<string, number>;
}

/** Pulse a hardware-side input for one cycle. */
export interface InputPulse {
  kind: 'pulse';
  port: string;
  value: number;
}

/** Wait (at most `cycles`) for a DUT output to be 1. */
export interface WaitFor {
  kind: 'wait';
  signal: string;
  cycles: number;
}

/** Read a register until its bits under `mask` equal `value` (software polling), `reads` at most. */
export interface PollFor {
  kind: 'poll';
  address: number;
  mask: number;
  value: number;
  reads: number;
}

export type AxilStep = AxilWrite | AxilRead | InputChange | InputPulse | WaitFor | PollFor;

/** Models around the DUT: their Verilog, the DUT ports they drive or take, and the end of the run. */
export interface AxilSurroundings {
  verilog: string;
  /** DUT port -> the model's signal (these ports get no testbench signal of their own). */
  connect: Record<string, string>;
  /** Statements after the last step, before the final checks (e.g. memory dumps). */
  atEnd: string[];
}

export interface AxilExpectations {
  /** Output port values after the last step. */
  outputs: Record<string, number>;
  /** Cycles each output port was non-zero (the pulses of w1p fields). */
  pulses: Record<string, number>;
}

const PREFIX = 's_axil';
const literal = (width: number, value: number) => `${width}'h${value.toString(16)}`;

function stepLines(step: AxilStep, widthOf: (port: string) => number): string[] {
  const addr = (a: number) => literal(widthOf(`${PREFIX}_awaddr_i`), a);
  switch (step.kind) {
    case 'write':
      return [
        `    write_access(${addr(step.address)}, ${literal(32, step.data)}, 4'h${step.strobes.toString(16)}, ` +
          `2'd${step.resp}, ${step.delays.join(', ')});`,
      ];
    case 'read':
      return [
        `    read_access(${addr(step.address)}, ${literal(32, step.data)}, 2'd${step.resp}, ` +
          `${step.delays.join(', ')});`,
      ];
    case 'poll':
      return [
        `    poll_access(${addr(step.address)}, ${literal(32, step.mask)}, ` +
          `${literal(32, step.value)}, ${step.reads});`,
      ];
    case 'inputs':
      return [
        ...Object.entries(step.values).map(
          ([port, value]) => `    ${port} = ${literal(widthOf(port), value)};`,
        ),
        '    @(negedge clk_i);',
      ];
    case 'pulse':
      return [
        `    ${step.port} = ${literal(widthOf(step.port), step.value)};`,
        '    @(negedge clk_i);',
        `    ${step.port} = 0;`,
      ];
    case 'wait':
      return [
        '    waited = 0;',
        `    while (${step.signal} !== 1'b1 && waited < ${step.cycles}) begin`,
        '      @(negedge clk_i);',
        '      waited = waited + 1;',
        '    end',
        `    if (${step.signal} !== 1'b1) begin`,
        `      $display("ERROR ${step.signal} not set within ${step.cycles} cycles");`,
        '      errors = errors + 1;',
        '    end',
      ];
  }
}

export function renderAxilTestbench(
  dut: ModuleIR,
  env: Env,
  config: Config,
  steps: readonly AxilStep[],
  expect: AxilExpectations,
  around: AxilSurroundings = { verilog: '', connect: {}, atEnd: [] },
): string {
  const reset = resetPortName(config);
  const active = config.reset.activeLow ? "1'b0" : "1'b1";
  const widthOf = (name: string) => {
    const port = dut.ports.find((p) => p.name === name);
    if (!port) throw new Error(`${dut.name} has no port ${name}`);
    return evalExpr(port.width, env);
  };
  const range = (name: string) => (widthOf(name) === 1 ? '' : `[${widthOf(name) - 1}:0] `);
  const own = dut.ports.filter((p) => around.connect[p.name] === undefined);
  const driven = own.filter((p) => p.direction === 'input' && p.name !== 'clk_i');
  const outputs = own.filter((p) => p.direction === 'output');
  const aw = widthOf(`${PREFIX}_awaddr_i`);
  const s = PREFIX;
  return [
    '`timescale 1ns/1ps',
    'module tb;',
    "  reg clk_i = 1'b0;",
    '  always #5 clk_i = !clk_i;',
    ...driven.map((p) => `  reg ${range(p.name)}${p.name} = 0;`),
    ...outputs.map((p) => `  wire ${range(p.name)}${p.name};`),
    around.verilog,
    `  ${dut.name} u_dut (`,
    dut.ports.map((p) => `    .${p.name}(${around.connect[p.name] ?? p.name})`).join(',\n'),
    '  );',
    '',
    '  integer errors = 0;',
    '  integer waited = 0;',
    '  integer cycle = 0;',
    '  // Handshakes and payloads at the last rising edge, and what a stalled response must keep.',
    '  reg aw_hs = 0, w_hs = 0, b_hs = 0, ar_hs = 0, r_hs = 0, b_held = 0, r_held = 0;',
    '  reg [1:0] b_resp_s = 0, r_resp_s = 0, b_resp_held = 0, r_resp_held = 0;',
    '  reg [31:0] r_data_s = 0, r_data_held = 0;',
    ...Object.keys(expect.pulses).map((port) => `  integer pulses_${port} = 0;`),
    '  always @(posedge clk_i) begin',
    '    cycle <= cycle + 1;',
    `    aw_hs <= ${s}_awvalid_i && ${s}_awready_o;`,
    `    w_hs  <= ${s}_wvalid_i && ${s}_wready_o;`,
    `    b_hs  <= ${s}_bvalid_o && ${s}_bready_i;`,
    `    ar_hs <= ${s}_arvalid_i && ${s}_arready_o;`,
    `    r_hs  <= ${s}_rvalid_o && ${s}_rready_i;`,
    `    b_resp_s <= ${s}_bresp_o;`,
    `    r_resp_s <= ${s}_rresp_o;`,
    `    r_data_s <= ${s}_rdata_o;`,
    `    b_held <= ${s}_bvalid_o && !${s}_bready_i;`,
    `    r_held <= ${s}_rvalid_o && !${s}_rready_i;`,
    `    b_resp_held <= ${s}_bresp_o;`,
    `    r_resp_held <= ${s}_rresp_o;`,
    `    r_data_held <= ${s}_rdata_o;`,
    `    if (b_held && (${s}_bvalid_o !== 1'b1 || ${s}_bresp_o !== b_resp_held)) begin`,
    '      $display("ERROR cycle %0d: B response changed before it was taken", cycle);',
    '      errors = errors + 1;',
    '    end',
    `    if (r_held && (${s}_rvalid_o !== 1'b1 || ${s}_rdata_o !== r_data_held ||`,
    `        ${s}_rresp_o !== r_resp_held)) begin`,
    '      $display("ERROR cycle %0d: R response changed before it was taken", cycle);',
    '      errors = errors + 1;',
    '    end',
    `    if ((^{${s}_awready_o, ${s}_wready_o, ${s}_bvalid_o, ${s}_arready_o, ${s}_rvalid_o})`,
    "        === 1'bx && cycle > 2) begin",
    '      $display("ERROR cycle %0d: a handshake output is X", cycle);',
    '      errors = errors + 1;',
    '    end',
    ...Object.keys(expect.pulses).map(
      (port) => `    if (${port} != 0) pulses_${port} <= pulses_${port} + 1;`,
    ),
    '  end',
    '',
    `  task write_access(input [${aw - 1}:0] a, input [31:0] d, input [3:0] strobes,`,
    '                    input [1:0] resp, input integer aw_at, input integer w_at,',
    '                    input integer b_at);',
    '    integer t;',
    '    reg aw_done, w_done, done;',
    '    begin',
    '      t = 0; aw_done = 0; w_done = 0; done = 0;',
    '      while (!done) begin',
    `        ${s}_awvalid_i = !aw_done && t >= aw_at;`,
    `        ${s}_awaddr_i  = a;`,
    `        ${s}_wvalid_i  = !w_done && t >= w_at;`,
    `        ${s}_wdata_i   = d;`,
    `        ${s}_wstrb_i   = strobes;`,
    `        ${s}_bready_i  = t >= b_at;`,
    '        @(negedge clk_i);',
    '        if (aw_hs) aw_done = 1;',
    '        if (w_hs) w_done = 1;',
    '        if (b_hs) begin',
    '          done = 1;',
    '          if (b_resp_s !== resp) begin',
    '            $display("ERROR write %h: response %0d, expected %0d", a, b_resp_s, resp);',
    '            errors = errors + 1;',
    '          end',
    '        end',
    '        t = t + 1;',
    '        if (t > 1000) begin',
    '          $display("ERROR write %h: no response in 1000 cycles", a);',
    '          errors = errors + 1;',
    '          done = 1;',
    '        end',
    '      end',
    `      ${s}_awvalid_i = 0; ${s}_wvalid_i = 0; ${s}_bready_i = 0;`,
    '    end',
    '  endtask',
    '',
    '  // One read: its data and response land in read_data and read_resp.',
    '  reg [31:0] read_data = 0;',
    '  reg [1:0] read_resp = 0;',
    `  task read_word(input [${aw - 1}:0] a, input integer ar_at, input integer r_at);`,
    '    integer t;',
    '    reg ar_done, done;',
    '    begin',
    '      t = 0; ar_done = 0; done = 0;',
    '      while (!done) begin',
    `        ${s}_arvalid_i = !ar_done && t >= ar_at;`,
    `        ${s}_araddr_i  = a;`,
    `        ${s}_rready_i  = t >= r_at;`,
    '        @(negedge clk_i);',
    '        if (ar_hs) ar_done = 1;',
    '        if (r_hs) begin',
    '          done = 1;',
    '          read_data = r_data_s;',
    '          read_resp = r_resp_s;',
    '        end',
    '        t = t + 1;',
    '        if (t > 1000) begin',
    '          $display("ERROR read %h: no response in 1000 cycles", a);',
    '          errors = errors + 1;',
    '          done = 1;',
    '        end',
    '      end',
    `      ${s}_arvalid_i = 0; ${s}_rready_i = 0;`,
    '    end',
    '  endtask',
    '',
    `  task read_access(input [${aw - 1}:0] a, input [31:0] d, input [1:0] resp,`,
    '                   input integer ar_at, input integer r_at);',
    '    begin',
    '      read_word(a, ar_at, r_at);',
    '      if (read_data !== d || read_resp !== resp) begin',
    '        $display("ERROR read %h: %h (response %0d), expected %h (%0d)", a, read_data,',
    '                 read_resp, d, resp);',
    '        errors = errors + 1;',
    '      end',
    '    end',
    '  endtask',
    '',
    `  task poll_access(input [${aw - 1}:0] a, input [31:0] mask, input [31:0] value,`,
    '                   input integer reads);',
    '    integer n;',
    '    begin',
    '      read_word(a, 0, 0);',
    '      n = 1;',
    '      while ((read_data & mask) !== value && n < reads) begin',
    '        read_word(a, 0, 0);',
    '        n = n + 1;',
    '      end',
    '      if ((read_data & mask) !== value) begin',
    '        $display("ERROR poll %h: %h under mask %h after %0d reads, expected %h", a,',
    '                 read_data, mask, n, value);',
    '        errors = errors + 1;',
    '      end',
    '    end',
    '  endtask',
    '',
    '  initial begin',
    `    ${reset} = ${active};`,
    '    repeat (3) @(negedge clk_i);',
    `    ${reset} = !${active};`,
    '    @(negedge clk_i);',
    ...steps.flatMap((step) => stepLines(step, widthOf)),
    '    repeat (3) @(negedge clk_i);',
    ...around.atEnd.map((line) => `    ${line}`),
    ...Object.entries(expect.outputs).flatMap(([port, value]) => [
      `    if (${port} !== ${literal(widthOf(port), value)}) begin`,
      `      $display("ERROR ${port} = %h, expected ${value.toString(16)}", ${port});`,
      '      errors = errors + 1;',
      '    end',
    ]),
    ...Object.entries(expect.pulses).flatMap(([port, count]) => [
      `    if (pulses_${port} != ${count}) begin`,
      `      $display("ERROR ${port}: %0d pulse cycles, expected ${count}", pulses_${port});`,
      '      errors = errors + 1;',
      '    end',
    ]),
    '    $display("SUMMARY errors=%0d cycles=%0d", errors, cycle);',
    '    $finish;',
    '  end',
    'endmodule',
    '',
  ].join('\n');
}
