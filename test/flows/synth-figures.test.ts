import { describe, expect, it } from 'vitest';
import { pickIce40Device } from '../../generator/flows/nextpnr';
import { cellsByType, classifyCells, logicDepth, portBits } from '../../generator/flows/synth-figures';

/** A netlist in Yosys `write_json` form: cells as [type, inputs, outputs] with bit numbers. */
function netlist(cells: Record<string, [string, number[], number[]]>, ports: Record<string, number[]> = {}): string {
  const json = {
    modules: {
      top: {
        ports: Object.fromEntries(Object.entries(ports).map(([name, bits]) => [name, { direction: 'input', bits }])),
        cells: Object.fromEntries(
          Object.entries(cells).map(([name, [type, inputs, outputs]]) => [
            name,
            { type, port_directions: { A: 'input', Y: 'output' }, connections: { A: inputs, Y: outputs } },
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
      design: { num_cells_by_type: { $scopeinfo: 3, SB_LUT4: 10, SB_CARRY: 2, SB_DFFESR: 4, SB_DFF: 1, SB_RAM40_4K: 2, SB_MAC16: 1 } },
    });
    expect(classifyCells(cellsByType(stat))).toEqual({ cells: 20, luts: 10, ffs: 5, brams: 2, dsps: 1 });
    const xilinx = { LUT2: 1, LUT6: 2, MUXF7: 1, FDRE: 3, FDCE: 1, RAMB18E1: 1, RAMB36E1: 1, DSP48E1: 2, CARRY4: 1 };
    expect(classifyCells(xilinx)).toEqual({ cells: 13, luts: 3, ffs: 4, brams: 2, dsps: 2 });
    const ecp5 = { LUT4: 5, TRELLIS_FF: 6, DP16KD: 1, MULT18X18D: 1, CCU2C: 2 };
    expect(classifyCells(ecp5)).toEqual({ cells: 15, luts: 5, ffs: 6, brams: 1, dsps: 1 });
    const generic = { $lut: 7, $_DFF_P_: 2, $_SDFFE_PP0P_: 3, $_DFFE_PN0P_: 1 };
    expect(classifyCells(generic)).toEqual({ cells: 13, luts: 7, ffs: 6, brams: 0, dsps: 0 });
  });
});

describe('logic depth', () => {
  it('is the longest chain of combinational cells, cut at flip-flops', () => {
    // port bit 1 -> lut a -> lut b -> ff -> lut c -> (output); and a side chain 1 -> lut d -> lut b.
    const text = netlist({
      a: ['SB_LUT4', [1], [2]],
      d: ['SB_LUT4', [1], [3]],
      b: ['SB_LUT4', [2, 3], [4]],
      e: ['SB_LUT4', [4], [5]],
      ff: ['SB_DFF', [5], [6]],
      c: ['SB_LUT4', [6], [7]],
    }, { in_i: [1] });
    expect(logicDepth(text, 'top')).toBe(3);
    expect(portBits(text, 'top')).toBe(1);
  });

  it('counts carry cells and stops at block RAMs and DSPs', () => {
    const chain = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`c${i}`, ['SB_CARRY', [i + 10], [i + 11]] as [string, number[], number[]]]));
    expect(logicDepth(netlist({ ...chain, ram: ['SB_RAM40_4K', [50], [51]], l: ['SB_LUT4', [51], [52]] }), 'top')).toBe(40);
  });

  it('survives a combinational loop (lint rejects those) without hanging', () => {
    expect(logicDepth(netlist({ a: ['SB_LUT4', [2], [1]], b: ['SB_LUT4', [1], [2]] }), 'top')).toBeGreaterThan(0);
  });
});

describe('iCE40 device choice', () => {
  it('takes the HX8K unless DSPs are needed, and explains when nothing fits', () => {
    expect(pickIce40Device({ luts: 500, brams: 2, dsps: 0, ioBits: 100 })).toMatchObject({ device: 'hx8k', package: 'ct256' });
    expect(pickIce40Device({ luts: 500, brams: 2, dsps: 2, ioBits: 30 })).toMatchObject({ device: 'up5k' });
    expect(pickIce40Device({ luts: 9000, brams: 0, dsps: 0, ioBits: 10 })).toMatch(/^does not fit an iCE40 \(9000 LUTs, 0 block RAMs, 0 DSPs, 10 I\/O bits; largest parts: hx8k 7680 LUTs/);
  });
});
