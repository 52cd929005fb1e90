/**
 * Per-cell delay models of the synthesis targets, for a timing estimate from a Yosys netlist.
 *
 * These are estimates, not a vendor's timing analysis: no placement, no real routing, one lumped
 * "LUT plus routing" figure per LUT level. They rank paths and catch an 18 MHz design long before a
 * place and route; the figures come from the families' data sheets and speed files (7-series -1,
 * iCE40 HX, ECP5 -6), rounded. Each cell is described by how its outputs are timed:
 * - `launch`: the output switches a fixed time after the clock edge (a register inside the cell);
 * - `arc`: the output follows an input combinationally, after the given delay.
 * An input with no arc to any output is a timing endpoint (a register in the cell captures it).
 */

export type CellParameters = Record<string, string | number>;

/** How one cell type is timed. Ports are the netlist's port names; `parameters` are the cell's. */
export interface CellTiming {
  /** Clock-to-output delay of `outPort` when a register drives it; undefined when none does. */
  launch(outPort: string, parameters: CellParameters): number | undefined;
  /** Combinational delay from `inPort` to `outPort`; undefined when there is no such arc. */
  arc(inPort: string, outPort: string, parameters: CellParameters): number | undefined;
  /** Whether an arc through this cell is a LUT level (counted by `lutLevels`). */
  lut?: boolean;
}

export interface DelayModel {
  /** What the model is, for reports. */
  description: string;
  /** Clock-to-output delay of a flip-flop (and of a module input: one outside drives it). */
  registerLaunch: number;
  /** Setup time at a capturing register (and at a module output: captured by one outside). */
  setup: number;
  /** Timing of each primitive by type; a type not listed is timed as `fallback`. */
  cells: Record<string, CellTiming>;
  /** Timing of a combinational cell the table does not list. */
  fallback: CellTiming;
}

/** A Yosys parameter value as a number: binary strings (`"0001"`) or plain numbers. */
export function parameterNumber(value: string | number | undefined): number {
  if (value === undefined) return 0;
  if (typeof value === 'number') return value;
  return /^[01]+$/.test(value) ? Number.parseInt(value, 2) : Number(value);
}

const combinational = (delay: number, lut = false): CellTiming => ({
  launch: () => undefined,
  arc: () => delay,
  lut,
});

/** A register: every input is captured, every output launches at the clock. */
export const register = (clockToOut: number): CellTiming => ({
  launch: () => clockToOut,
  arc: () => undefined,
});

/**
 * Which output an input of a Xilinx LUT RAM or shift register addresses: ADDRx reads DOx (RAMnM,
 * where ADDRD is also the write address), A reads SPO, O or Q, DPRA reads DPO. Any other pair is
 * no path: the write side (data, enable, a write address into another port's output) is captured.
 */
function xilinxLutRamReads(inPort: string, outPort: string): boolean {
  const lettered = /^ADDR([A-H])$/.exec(inPort);
  if (lettered) return outPort === `DO${lettered[1]}`;
  if (/^DPRA\d?$/.test(inPort)) return outPort === 'DPO';
  if (/^A\d?$/.test(inPort)) return outPort === 'SPO' || outPort === 'O' || outPort === 'Q';
  return false;
}

/**
 * Distributed (LUT) RAM and shift registers: the write side is a register (data, enable and the
 * write clock are captured); the read side is a LUT from a read address to the output `reads`
 * pairs it with.
 */
const lutRam = (
  reads: (inPort: string, outPort: string) => boolean,
  readDelay: number,
  clockToOut: number,
): CellTiming => ({
  launch: () => clockToOut,
  arc: (inPort, outPort) => (reads(inPort, outPort) ? readDelay : undefined),
  lut: true,
});

/** Xilinx 7-series: LUT plus routing 0.5 ns, CARRY4 0.45 ns to enter, 0.12 ns per chained cell. */
const XILINX_LUT = 0.5;
const XILINX_DSP_COMBINATIONAL = 4.0;

/**
 * DSP48E1: each operand port is registered when its *REG parameter is set; the product is
 * registered by MREG and the output by PREG. Without MREG and PREG, P follows the operands through
 * the multiplier (4 ns); with MREG only, the post-adder is left (1.6 ns from the M register).
 */
const DSP48E1: CellTiming = {
  launch(_out, p) {
    if (parameterNumber(p.PREG) > 0) return 0.6;
    if (parameterNumber(p.MREG) > 0) return 0.6 + 1.6;
    const anyInputRegister = ['AREG', 'BREG', 'CREG', 'DREG', 'ADREG'].some(
      (name) => parameterNumber(p[name]) > 0,
    );
    return anyInputRegister ? 0.6 + XILINX_DSP_COMBINATIONAL : undefined;
  },
  arc(inPort, _out, p) {
    if (parameterNumber(p.PREG) > 0) return undefined;
    const operand = /^(A|ACIN|B|BCIN|C|D)$/.exec(inPort)?.[1];
    if (operand === undefined) return inPort === 'PCIN' ? 1.6 : undefined;
    const registerName = `${operand.replace('CIN', '')}REG`;
    if (parameterNumber(p[registerName]) > 0 || parameterNumber(p.MREG) > 0) return undefined;
    return operand === 'C' ? 1.6 : XILINX_DSP_COMBINATIONAL;
  },
};

/** RAMB18E1/RAMB36E1: clock-to-out 2.5 ns, or 0.9 ns from the optional output register. */
const XILINX_BRAM: CellTiming = {
  launch(outPort, p) {
    const side = /^DO(P?)(A|B)/.exec(outPort)?.[2];
    const registered = side !== undefined && parameterNumber(p[`DO${side}_REG`]) > 0;
    return registered ? 0.9 : 2.5;
  },
  arc: () => undefined,
};

const XILINX_CARRY4: CellTiming = {
  launch: () => undefined,
  arc: (inPort) => (inPort === 'CI' ? 0.12 : 0.45),
};

const xilinxCells: Record<string, CellTiming> = {
  ...Object.fromEntries(
    ['LUT1', 'LUT2', 'LUT3', 'LUT4', 'LUT5', 'LUT6'].map((t) => [
      t,
      combinational(XILINX_LUT, true),
    ]),
  ),
  MUXF7: combinational(0.3),
  MUXF8: combinational(0.3),
  CARRY4: XILINX_CARRY4,
  // An inverter on a LUT input is folded into the LUT's truth table by the place and route.
  INV: combinational(0),
  ...Object.fromEntries(
    ['FDRE', 'FDSE', 'FDCE', 'FDPE', 'FDRE_1', 'FDSE_1', 'FDCE_1', 'FDPE_1'].map((t) => [
      t,
      register(0.3),
    ]),
  ),
  DSP48E1: DSP48E1,
  RAMB18E1: XILINX_BRAM,
  RAMB36E1: XILINX_BRAM,
  ...Object.fromEntries(
    [
      'RAM16X1D',
      'RAM32X1D',
      'RAM64X1D',
      'RAM128X1D',
      'RAM32X1S',
      'RAM64X1S',
      'RAM128X1S',
      'RAM256X1S',
      'RAM32M',
      'RAM64M',
      'RAM32M16',
      'RAM64M8',
    ].map((t) => [t, lutRam(xilinxLutRamReads, XILINX_LUT, 1.2)]),
  ),
  SRL16E: lutRam(xilinxLutRamReads, XILINX_LUT, 1.2),
  SRLC32E: lutRam(xilinxLutRamReads, XILINX_LUT, 1.2),
};

/** iCE40 HX: routing dominates, so a LUT level with its net is about 1.2 ns. */
const ICE40_LUT = 1.2;

/**
 * SB_MAC16: operands registered by A_REG/B_REG (C_REG/D_REG), outputs registered when the output
 * select picks the accumulator register (1) or the pipeline register of the 16x16 product is used.
 */
const SB_MAC16: CellTiming = {
  launch(outPort, p) {
    const select =
      outPort === 'O'
        ? Math.max(parameterNumber(p.TOPOUTPUT_SELECT), parameterNumber(p.BOTOUTPUT_SELECT))
        : 0;
    if (select === 1 || parameterNumber(p.PIPELINE_16x16_MULT_REG2) > 0) return 0.6;
    const anyInputRegister = ['A_REG', 'B_REG', 'C_REG', 'D_REG'].some(
      (name) => parameterNumber(p[name]) > 0,
    );
    return anyInputRegister ? 0.6 + 6.0 : undefined;
  },
  arc(inPort, _out, p) {
    const select = Math.max(
      parameterNumber(p.TOPOUTPUT_SELECT),
      parameterNumber(p.BOTOUTPUT_SELECT),
    );
    if (select === 1 || parameterNumber(p.PIPELINE_16x16_MULT_REG2) > 0) return undefined;
    const operand = /^(A|B|C|D)$/.exec(inPort)?.[1];
    if (operand === undefined || parameterNumber(p[`${operand}_REG`]) > 0) return undefined;
    return 6.0;
  },
};

const ice40Cells: Record<string, CellTiming> = {
  SB_LUT4: combinational(ICE40_LUT, true),
  SB_CARRY: { launch: () => undefined, arc: (inPort) => (inPort === 'CI' ? 0.13 : 0.4) },
  ...Object.fromEntries(
    [
      'SB_DFF',
      'SB_DFFE',
      'SB_DFFSR',
      'SB_DFFR',
      'SB_DFFSS',
      'SB_DFFS',
      'SB_DFFESR',
      'SB_DFFER',
      'SB_DFFESS',
      'SB_DFFES',
      'SB_DFFN',
      'SB_DFFNE',
      'SB_DFFNSR',
      'SB_DFFNR',
      'SB_DFFNSS',
      'SB_DFFNS',
      'SB_DFFNESR',
      'SB_DFFNER',
      'SB_DFFNESS',
      'SB_DFFNES',
    ].map((t) => [t, register(0.6)]),
  ),
  ...Object.fromEntries(
    ['SB_RAM40_4K', 'SB_RAM40_4KNR', 'SB_RAM40_4KNW', 'SB_RAM40_4KNRNW'].map((t) => [
      t,
      register(2.3),
    ]),
  ),
  SB_SPRAM256KA: register(2.5),
  SB_MAC16: SB_MAC16,
};

/** ECP5 -6: LUT4 plus routing ~0.7 ns; DP16KD 3 ns clock-to-out, 1 ns with its output register. */
const ECP5_LUT = 0.7;
const ecp5Cells: Record<string, CellTiming> = {
  LUT4: combinational(ECP5_LUT, true),
  PFUMX: combinational(0.25),
  L6MUX21: combinational(0.25),
  CCU2C: { launch: () => undefined, arc: (inPort) => (inPort === 'CIN' ? 0.1 : 0.45) },
  TRELLIS_FF: register(0.4),
  DP16KD: {
    launch: (_out, p) => (p.REGMODE_A === 'OUTREG' || p.REGMODE_B === 'OUTREG' ? 1.0 : 3.0),
    arc: () => undefined,
  },
  PDPW16KD: { launch: (_out, p) => (p.REGMODE === 'OUTREG' ? 1.0 : 3.0), arc: () => undefined },
  TRELLIS_DPR16X4: lutRam((inPort) => inPort === 'RAD', ECP5_LUT, 1.2),
  MULT18X18D: {
    launch: (_out, p) =>
      p.REG_OUTPUT_CLK !== undefined && p.REG_OUTPUT_CLK !== 'NONE' ? 0.8 : undefined,
    arc: (inPort, _out, p) => {
      if (p.REG_OUTPUT_CLK !== undefined && p.REG_OUTPUT_CLK !== 'NONE') return undefined;
      const operand = /^(A|B)\d*$/.exec(inPort)?.[1];
      if (operand === undefined) return undefined;
      const inputClock = p[`REG_INPUT${operand}_CLK`];
      return inputClock !== undefined && inputClock !== 'NONE' ? undefined : 3.5;
    },
  },
  ALU54B: combinational(2.0),
};

export const DELAY_MODELS = {
  xilinx: {
    description:
      'Xilinx 7-series (-1) estimate: LUT plus routing 0.5 ns, CARRY4 0.45 ns to enter and ' +
      '0.12 ns chained, MUXF 0.3 ns, DSP48 without internal registers 4 ns, BRAM clock-to-out ' +
      '2.5 ns (0.9 ns with its output ' +
      'register), flip-flop clock-to-out 0.3 ns plus setup 0.2 ns; no placement',
    registerLaunch: 0.3,
    setup: 0.2,
    cells: xilinxCells,
    fallback: combinational(XILINX_LUT),
  },
  ice40: {
    description:
      'iCE40 HX estimate: LUT4 plus routing 1.2 ns, SB_CARRY 0.4 ns to enter and 0.13 ns ' +
      'chained, block RAM clock-to-out 2.3 ns, SB_MAC16 without registers 6 ns, flip-flop ' +
      'clock-to-out 0.6 ns plus setup ' +
      "0.4 ns; no placement (use --pnr for nextpnr's figure)",
    registerLaunch: 0.6,
    setup: 0.4,
    cells: ice40Cells,
    fallback: combinational(ICE40_LUT),
  },
  ecp5: {
    description:
      'ECP5 (-6) estimate: LUT4 plus routing 0.7 ns, CCU2C 0.45 ns to enter and 0.1 ns chained, ' +
      'DP16KD clock-to-out 3 ns (1 ns with its output register), ' +
      'MULT18X18D without registers 3.5 ns, ' +
      'flip-flop clock-to-out 0.4 ns plus setup 0.1 ns; no placement',
    registerLaunch: 0.4,
    setup: 0.1,
    cells: ecp5Cells,
    fallback: combinational(ECP5_LUT),
  },
} as const satisfies Record<string, DelayModel>;

/**
 * Timing of a cell type under `model`: its entry, else a register when `isSequential` says the type
 * holds state (the generic flow's `$_DFF*` cells), else the model's combinational fallback.
 */
export function cellTiming(
  model: DelayModel,
  type: string,
  isSequential: (type: string) => boolean,
): CellTiming {
  return (
    model.cells[type] ?? (isSequential(type) ? register(model.registerLaunch) : model.fallback)
  );
}

/** Structure-only model of the gate flow (`$_NAND_`, `$_NOR_`, `$_NOT_`): gate levels, no delays. */
export const GATE_STRUCTURE: DelayModel = {
  description: 'technology-independent CMOS gates: gate levels only, no delay estimate',
  registerLaunch: 0,
  setup: 0,
  cells: {},
  fallback: combinational(1),
};

/** Structure-only model of the generic flow (`$lut`, `$_DFF*` cells): levels, no delays. */
export const GENERIC_STRUCTURE: DelayModel = {
  description: 'technology-neutral 4-input LUTs: logic levels only, no delay estimate',
  registerLaunch: 0,
  setup: 0,
  cells: { $lut: combinational(1, true) },
  fallback: combinational(1),
};
