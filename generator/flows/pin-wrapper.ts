/**
 * A place-and-route wrapper for a module with more port bits than an iCE40 package has pins: every
 * data input is driven from a serial-in/parallel-out shift register and every output is captured in
 * a parallel-in/serial-out one, so the module needs five pins (clock, reset, serial in, capture,
 * serial out). The module's own paths are timed as they are in a design (inputs from registers,
 * outputs into registers); the shift registers add only register-to-register paths of one LUT.
 */
import type { ModuleIR } from '../dsl/ir';
import { CLOCK_PORT, portWidth } from '../render/package/shape';

/** Pins the wrapper needs: clock, reset, serial in, capture, serial out. */
export const PIN_WRAPPER_PINS = 5;

export interface PinWrapper {
  name: string;
  verilog: string;
  /** Data bits shifted in and out, for the report. */
  inputBits: number;
  outputBits: number;
}

/** `in_q[...]` update: a shift by one, fed from the serial pin (a single bit just loads it). */
const shiftIn = (width: number) => (width === 1 ? 'serial_i' : `{in_q[${width - 2}:0], serial_i}`);
const shiftOut = (width: number) => (width === 1 ? "1'b0" : `{out_q[${width - 2}:0], 1'b0}`);

export function pinWrapper(module: ModuleIR, resetPort: string): PinWrapper {
  const name = `${module.name}_pinwrap`;
  const ports = module.ports.map((port) => ({ port, width: portWidth(module, port) }));
  const passed = new Set([CLOCK_PORT, resetPort]);
  const inputs = ports.filter(({ port }) => port.direction === 'input' && !passed.has(port.name));
  const outputs = ports.filter(({ port }) => port.direction === 'output');
  // At least one bit each: a module without data inputs or outputs still gets well-formed shifters.
  const inputBits = Math.max(
    1,
    inputs.reduce((total, { width }) => total + width, 0),
  );
  const outputBits = Math.max(
    1,
    outputs.reduce((total, { width }) => total + width, 0),
  );
  const connections: string[] = [];
  let offset = 0;
  for (const { port, width } of inputs) {
    connections.push(`.${port.name}(in_q[${offset + width - 1}:${offset}])`);
    offset += width;
  }
  offset = 0;
  for (const { port, width } of outputs) {
    connections.push(`.${port.name}(out_w[${offset + width - 1}:${offset}])`);
    offset += width;
  }
  for (const port of module.ports)
    if (passed.has(port.name)) connections.push(`.${port.name}(${port.name})`);
  const verilog = [
    `// Place-and-route wrapper of ${module.name}: ports reached through shift registers.`,
    `module ${name} (`,
    `  input  wire ${CLOCK_PORT},`,
    ...(module.ports.some((port) => port.name === resetPort)
      ? [`  input  wire ${resetPort},`]
      : []),
    '  input  wire serial_i,',
    '  input  wire capture_i,',
    '  output wire serial_o',
    ');',
    `  reg  [${inputBits - 1}:0] in_q;`,
    `  reg  [${outputBits - 1}:0] out_q;`,
    `  wire [${outputBits - 1}:0] out_w;`,
    `  always @(posedge ${CLOCK_PORT}) in_q <= ${shiftIn(inputBits)};`,
    `  always @(posedge ${CLOCK_PORT}) out_q <= capture_i ? out_w : ${shiftOut(outputBits)};`,
    `  assign serial_o = out_q[${outputBits - 1}];`,
    `  ${module.name} dut (`,
    connections.map((connection) => `    ${connection}`).join(',\n'),
    '  );',
    'endmodule',
    '',
  ].join('\n');
  return { name, verilog, inputBits, outputBits };
}
