import { describe, expect, it } from 'vitest';
import { pickIce40Device } from '../../generator/flows/nextpnr';
import {
  cellsByType,
  classifyCells,
  gateArea,
  memoryBits,
  netlistTiming,
  portBits,
} from '../../generator/flows/synth-figures';

/** A netlist in Yosys `write_json` form: cells as [type, inputs, outputs] with bit numbers. */
function netlist(
  cells: Record<string, [string, number[], number[]]>,
  ports: Record<string, number[]> = {},
): string {
  const json = {
    modules: {
      top: {
        ports: Object.fromEntries(
          Object.entries(ports).map(([name, bits]) => [name, { direction: 'input', bits }]),
        ),
        cells: Object.fromEntries(
          Object.entries(cells).map(([name, [type, inputs, outputs]]) => [
            name,
            {
              type,
              port_directions: { A: 'input', Y: 'output' },
              connections: { A: inputs, Y: outputs },
            },
          ]),
        ),
      },
    },
  };
  return JSON.stringify(json);
}

describe('cell classes', () => {
  it('counts LUTs, flip-flop bits, block RAMs and DSPs of every target family, bookkeeping cells excluded', () => {
    const stat = JSON.stringify({
      design: {
        num_cells_by_type: {
          $scopeinfo: 3,
          SB_LUT4: 10,
          SB_CARRY: 2,
          SB_DFFESR: 4,
          SB_DFF: 1,
          SB_RAM40_4K: 2,
          SB_MAC16: 1,
        },
      },
    });
    expect(classifyCells(cellsByType(stat))).toEqual({
      cells: 20,
      luts: 10,
      ffs: 5,
      brams: 2,
      dsps: 1,
    });
    const xilinx = {
      LUT2: 1,
      LUT6: 2,
      MUXF7: 1,
      FDRE: 3,
      FDCE: 1,
      RAMB18E1: 1,
      RAMB36E1: 1,
      DSP48E1: 2,
      CARRY4: 1,
    };
    expect(classifyCells(xilinx)).toEqual({ cells: 13, luts: 3, ffs: 4, brams: 2, dsps: 2 });
    // LUTs holding shift registers and distributed RAM count as the LUTs they take.
    const xilinxStateful = { LUT3: 2, SRL16E: 3, RAM32M: 2, RAM64X1D: 1 };
    expect(classifyCells(xilinxStateful)).toEqual({
      cells: 8,
      luts: 2 + 3 + 2 * 4 + 2,
      ffs: 0,
      brams: 0,
      dsps: 0,
    });
    const ecp5 = { LUT4: 5, TRELLIS_FF: 6, DP16KD: 1, MULT18X18D: 1, CCU2C: 2, TRELLIS_DPR16X4: 1 };
    expect(classifyCells(ecp5)).toEqual({ cells: 16, luts: 9, ffs: 6, brams: 1, dsps: 1 });
    const generic = { $lut: 7, $_DFF_P_: 2, $_SDFFE_PP0P_: 3, $_DFFE_PN0P_: 1 };
    expect(classifyCells(generic)).toEqual({ cells: 13, luts: 7, ffs: 6, brams: 0, dsps: 0 });
  });
});

describe('gate-equivalent area', () => {
  it('prices gates and flip-flops in NAND2 equivalents, memories apart', () => {
    expect(gateArea({ $_NAND_: 10, $_NOR_: 2, $_NOT_: 4, $mem_v2: 3 })).toBe(14);
    // A plain flip-flop 4.5; an enable and a (synchronous or asynchronous) reset 1 each.
    expect(gateArea({ $_DFF_P_: 2 })).toBe(9);
    expect(gateArea({ $_DFFE_PP_: 1, $_SDFF_PN0_: 1, $_SDFFCE_PN0P_: 1, $_DFF_PN0_: 1 })).toBe(
      5.5 + 5.5 + 6.5 + 5.5,
    );
    expect(() => gateArea({ $lut: 1 })).toThrow('no gate equivalent for cell type $lut');
    const netlist = JSON.stringify({
      modules: {
        top: {
          cells: {
            m: { type: '$mem_v2', parameters: { WIDTH: '1000', SIZE: '100000000' } },
            g: { type: '$_NAND_' },
          },
        },
      },
    });
    expect(memoryBits(netlist, 'top')).toBe(8 * 256);
  });
});

describe('timing of a netlist', () => {
  const depth = (text: string, target: 'ice40' | 'xilinx' = 'ice40') =>
    netlistTiming(text, 'top', target);

  it('is the longest chain of combinational cells, cut at flip-flops', () => {
    // port bit 1 -> lut a -> lut b -> ff -> lut c -> (output); and a side chain 1 -> lut d -> lut b.
    const text = netlist(
      {
        a: ['SB_LUT4', [1], [2]],
        d: ['SB_LUT4', [1], [3]],
        b: ['SB_LUT4', [2, 3], [4]],
        e: ['SB_LUT4', [4], [5]],
        ff: ['SB_DFF', [5], [6]],
        c: ['SB_LUT4', [6], [7]],
      },
      { in_i: [1] },
    );
    expect(depth(text)).toMatchObject({ lutLevels: 3, logicDepth: 3 });
    expect(portBits(text, 'top')).toBe(1);
  });

  it('counts carry cells and stops at block RAMs and DSPs', () => {
    const chain = Object.fromEntries(
      Array.from({ length: 40 }, (_, i) => [
        `c${i}`,
        ['SB_CARRY', [i + 10], [i + 11]] as [string, number[], number[]],
      ]),
    );
    const text = netlist({
      ...chain,
      ram: ['SB_RAM40_4K', [50], [51]],
      l: ['SB_LUT4', [51], [52]],
    });
    // The chain ends at the RAM's input; the LUT after the RAM drives no register, so times nothing.
    expect(depth(text)).toMatchObject({ lutLevels: 0, logicDepth: 40 });
  });

  it('survives a combinational loop (lint rejects those) without hanging', () => {
    const loop = netlist({
      a: ['SB_LUT4', [2], [1]],
      b: ['SB_LUT4', [1], [2]],
      ff: ['SB_DFF', [1], [3]],
    });
    expect(depth(loop).logicDepth).toBeGreaterThan(0);
  });
});

/** A Xilinx cell of a netlist fixture: type, parameters, and its ports as [direction, bits]. */
type XCell = [string, Record<string, string>, Record<string, ['input' | 'output', number[]]>];
function xilinxNetlist(
  cells: Record<string, XCell>,
  ports: Record<string, ['input' | 'output', number[]]> = {},
  netnames: Record<string, number[]> = {},
): string {
  const cell = ([type, parameters, pins]: XCell) => ({
    type,
    parameters,
    port_directions: Object.fromEntries(Object.entries(pins).map(([name, [dir]]) => [name, dir])),
    connections: Object.fromEntries(Object.entries(pins).map(([name, [, bits]]) => [name, bits])),
  });
  return JSON.stringify({
    modules: {
      top: {
        ports: Object.fromEntries(
          Object.entries(ports).map(([name, [direction, bits]]) => [name, { direction, bits }]),
        ),
        cells: Object.fromEntries(Object.entries(cells).map(([name, c]) => [name, cell(c)])),
        netnames: Object.fromEntries(
          Object.entries(netnames).map(([name, bits]) => [name, { hide_name: 0, bits }]),
        ),
      },
    },
  });
}
const lut = (input: number, output: number): XCell => [
  'LUT2',
  {},
  { I0: ['input', [input]], O: ['output', [output]] },
];
const ff = (d: number, q: number): XCell => [
  'FDRE',
  {},
  { C: ['input', [1]], D: ['input', [d]], Q: ['output', [q]] },
];
const dsp = (a: number, p: number, regs: Record<string, string>): XCell => [
  'DSP48E1',
  regs,
  { CLK: ['input', [1]], A: ['input', [a]], B: ['input', [a]], P: ['output', [p]] },
];

describe('xilinx delay model', () => {
  const timing = (text: string) => netlistTiming(text, 'top', 'xilinx');

  it('adds LUT delays between registers and names both ends', () => {
    // q_a -> 4 LUTs -> q_b: 0.3 clock-to-out + 4 x 0.5 + 0.2 setup = 2.5 ns.
    const text = xilinxNetlist(
      {
        a: ff(2, 10),
        l1: lut(10, 11),
        l2: lut(11, 12),
        l3: lut(12, 13),
        l4: lut(13, 14),
        b: ff(14, 20),
      },
      { clk: ['input', [1]], d_i: ['input', [2]], q_o: ['output', [20]] },
      { q_a: [10], s1: [11], s2: [12], s3: [13], s4: [14], q_b: [20] },
    );
    expect(timing(text)).toEqual({
      lutLevels: 4,
      logicDepth: 4,
      estDelayNs: 2.5,
      fmaxEstMHz: 400,
      criticalPath: {
        from: 'q_a (FDRE)',
        to: 'q_b (FDRE)',
        cells: 4,
        through: ['s1 (LUT2)', 's2 (LUT2)', 's3 (LUT2)', 's4 (LUT2)'],
      },
    });
  });

  it('charges 0.45 ns to enter a carry chain and 0.12 ns per chained CARRY4', () => {
    const carry = (ci: number | undefined, s: number, co: number): XCell => [
      'CARRY4',
      {},
      {
        ...(ci === undefined ? {} : { CI: ['input' as const, [ci]] }),
        S: ['input', [s]],
        CO: ['output', [co]],
      },
    ];
    const text = xilinxNetlist(
      {
        a: ff(2, 10),
        c0: carry(undefined, 10, 11),
        c1: carry(11, 2, 12),
        c2: carry(12, 2, 13),
        b: ff(13, 20),
      },
      { clk: ['input', [1]], d_i: ['input', [2]] },
    );
    // 0.3 + 0.45 + 0.12 + 0.12 + 0.2
    expect(timing(text).estDelayNs).toBe(1.19);
    expect(timing(text).lutLevels).toBe(0);
  });

  it('times a DSP48 by its internal registers', () => {
    const around = (regs: Record<string, string>) =>
      timing(
        xilinxNetlist(
          { a: ff(2, 10), m: dsp(10, 11, regs), b: ff(11, 20) },
          { clk: ['input', [1]], d_i: ['input', [2]] },
        ),
      );
    // No registers: the multiply is combinational, 4 ns between the flip-flops.
    expect(around({ AREG: '0', BREG: '0', MREG: '0', PREG: '0' })).toMatchObject({
      estDelayNs: 4.5,
      logicDepth: 1,
    });
    // Operands registered: the path starts inside the DSP.
    expect(around({ AREG: '1', BREG: '1', MREG: '0', PREG: '0' })).toMatchObject({
      estDelayNs: 4.8,
      logicDepth: 0,
    });
    expect(around({ AREG: '1', BREG: '1', MREG: '1', PREG: '1' }).estDelayNs).toBeLessThan(1);
  });

  it('times a BRAM read by its output register and a LUT RAM write port as a register', () => {
    const bram = (reg: string) =>
      timing(
        xilinxNetlist(
          {
            ram: [
              'RAMB18E1',
              { DOA_REG: reg },
              { CLKARDCLK: ['input', [1]], ADDRARDADDR: ['input', [2]], DOADO: ['output', [10]] },
            ],
            l: lut(10, 11),
            b: ff(11, 20),
          },
          { clk: ['input', [1]], a_i: ['input', [2]] },
        ),
      ).estDelayNs;
    expect(bram('0')).toBe(3.2);
    expect(bram('1')).toBe(1.6);
    // Data written into a LUT RAM reaches its output only through the write clock.
    const lutRam = xilinxNetlist(
      {
        a: ff(2, 10),
        l1: lut(10, 11),
        l2: lut(11, 12),
        ram: [
          'RAM32M',
          {},
          {
            WCLK: ['input', [1]],
            DIA: ['input', [12]],
            ADDRA: ['input', [3]],
            DOA: ['output', [13]],
          },
        ],
        b: ff(13, 20),
      },
      { clk: ['input', [1]], d_i: ['input', [2]], r_i: ['input', [3]] },
    );
    expect(timing(lutRam)).toMatchObject({ lutLevels: 2, logicDepth: 2 });
  });

  it('reads a RAM32M port at its own address: the write address (ADDRD) reaches DOD alone', () => {
    // Three LUTs drive one address of the RAM; each of the given outputs goes to a flip-flop.
    const ram = (address: 'ADDRA' | 'ADDRD', outputs: ('DOA' | 'DOD')[]) =>
      timing(
        xilinxNetlist(
          {
            a: ff(2, 10),
            l1: lut(10, 11),
            l2: lut(11, 12),
            l3: lut(12, 13),
            m: [
              'RAM32M',
              {},
              {
                WCLK: ['input', [1]],
                [address]: ['input', [13]],
                ...Object.fromEntries(outputs.map((o, i) => [o, ['output', [14 + i]]])),
              },
            ],
            ...Object.fromEntries(outputs.map((_, i) => [`b${i}`, ff(14 + i, 20 + i)])),
          },
          { clk: ['input', [1]], d_i: ['input', [2]] },
        ),
      );
    // ADDRA: its three LUTs and the read into DOA. ADDRD: the same into DOD, none into DOA.
    expect(ram('ADDRA', ['DOA', 'DOD'])).toMatchObject({ lutLevels: 4, estDelayNs: 2.5 });
    expect(ram('ADDRD', ['DOA', 'DOD'])).toMatchObject({ lutLevels: 4, estDelayNs: 2.5 });
    expect(ram('ADDRA', ['DOA']).lutLevels).toBe(4);
    expect(ram('ADDRD', ['DOA']).lutLevels).toBe(3);
  });
});

describe('iCE40 device choice', () => {
  it('takes the HX8K unless DSPs are needed, and explains when nothing fits', () => {
    expect(pickIce40Device({ luts: 500, brams: 2, dsps: 0, ioBits: 100 })).toMatchObject({
      device: 'hx8k',
      package: 'ct256',
    });
    expect(pickIce40Device({ luts: 500, brams: 2, dsps: 2, ioBits: 30 })).toMatchObject({
      device: 'up5k',
    });
    expect(pickIce40Device({ luts: 9000, brams: 0, dsps: 0, ioBits: 10 })).toMatch(
      /^does not fit an iCE40 \(9000 LUTs, 0 block RAMs, 0 DSPs, 10 I\/O bits; largest parts: hx8k 7680 LUTs/,
    );
  });
});
