/**
 * Attaches the plane-major key memory (plane_memory.v) to a qk_bitserial testbench: the run's
 * keys, whole, in the order they are sent (the model writes each into its request's bank as the
 * unit takes it), a read port per lane, and the check that the unit read exactly the planes it
 * processed beyond each key's sign plane, and nothing it had not loaded.
 */
import { fileURLToPath } from 'node:url';
import type { Config } from '../../generator/config/schema';
import { resetPortName } from '../../generator/dsl/builder';
import type { BitserialRequest } from '../golden/qk-bitserial';
import type { TestbenchAttachment } from './testbench';
import { packLanes } from './vectors';

export const PLANE_MEMORY_FILE = fileURLToPath(new URL('./plane_memory.v', import.meta.url));

/** Bits of a plane number 0..B-1 and of the indices, as the unit's PlaneIndexWidth/IndexWidth. */
const planeIndexBits = (keyBits: number) => Math.max(1, Math.ceil(Math.log2(keyBits)));

export function planeMemoryAttachment(
  config: Config,
  requests: readonly BitserialRequest[],
  indexBits: number,
  /** Planes the unit reads from the memory: every plane processed but each key's first. */
  expectedReads: number,
): TestbenchAttachment {
  const { keyBits } = config.datapath;
  const lanes = config.datapath.bitserialLanes;
  const D = config.model.headDim;
  const planeBits = planeIndexBits(keyBits);
  const addrBits = 1 + indexBits + planeBits;
  const keys = requests.flatMap((r) => r.keys);
  const digits = Math.ceil((D * keyBits) / 4);
  const hex = keys.map((k) => packLanes(k.elements, keyBits).toString(16).padStart(digits, '0'));
  const reset = resetPortName(config);
  const verilog = [
    '',
    '  // ---- Plane-major key memory (sim/harness/plane_memory.v) ----',
    `  wire [${lanes - 1}:0] plane_en;`,
    `  wire [${lanes * addrBits - 1}:0] plane_addr;`,
    `  wire [${lanes * D - 1}:0] plane_data;`,
    '  plane_memory #(',
    `    .HeadDim(${D}), .KeyWidth(${keyBits}), .IndexWidth(${indexBits}),`,
    `    .PlaneIndexWidth(${planeBits}), .AddrWidth(${addrBits}), .Lanes(${lanes}),`,
    `    .Keys(${Math.max(1, keys.length)}), .KeyFile("plane_keys.hex")`,
    '  ) u_plane_memory (',
    '    .clk_i(clk),',
    `    .rst_ni(${config.reset.activeLow ? reset : `!${reset}`}),`,
    // The key stream is the testbench's second input (after `query`): its fire, last and index.
    '    .key_fire_i(in1_valid && in1_ready),',
    '    .key_last_i(in1_beat[0]),',
    `    .key_index_i(in1_beat[${indexBits}:1]),`,
    '    .read_en_i(plane_en),',
    '    .read_addr_i(plane_addr),',
    '    .data_o(plane_data),',
    // Everything expected has arrived for 16 cycles: the counters are final (the run ends at 32).
    '    .report_i(drain >= 16)',
    '  );',
  ].join('\n');
  const checkLog = (log: string): string[] => {
    const line = /^PLANEMEM reads=(\d+) violations=(\d+)$/m.exec(log);
    if (!line) return ['plane memory: no report from the model (the run ended early)'];
    const problems = log
      .split('\n')
      .filter((l) => l.startsWith('PLANEMEM violation: '))
      .slice(0, 3)
      .map((l) => l.trimEnd());
    const reads = Number(line[1]);
    if (reads !== expectedReads)
      problems.push(
        `plane memory: ${reads} planes read, the planes processed need ${expectedReads}`,
      );
    return problems;
  };
  return {
    files: [PLANE_MEMORY_FILE],
    verilog,
    connect: {
      plane_read_en_o: 'plane_en',
      plane_read_addr_o: 'plane_addr',
      plane_data_i: 'plane_data',
    },
    dataFiles: { 'plane_keys.hex': `${hex.join('\n')}\n` },
    checkLog,
  };
}
