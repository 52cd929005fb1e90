/**
 * Resource figures from a Yosys run: cell counts by class from `stat -json`, and timing (levels,
 * estimated delay, critical path) from the `write_json` netlist under the target's delay model.
 * Cell classes are the primitives Yosys emits for each target family.
 */
import {
  DELAY_MODELS,
  type DelayModel,
  GATE_STRUCTURE,
  GENERIC_STRUCTURE,
  cellTiming,
} from './delay-model';
import { type TimingFigures, staticTiming } from './static-timing';
import type { SynthTarget } from './yosys';

export interface SynthFigures extends TimingFigures {
  /** Every cell of the flattened netlist (Yosys bookkeeping cells excluded). */
  cells: number;
  /** LUTs of logic, and those holding shift registers or distributed RAM. */
  luts: number;
  /** Flip-flop bits (every flip-flop primitive of these families holds one bit). */
  ffs: number;
  brams: number;
  dsps: number;
  /** Target `gates` only: logic area in NAND2 gate equivalents, and the memories' bits apart. */
  gateEquivalents?: number;
  memoryBits?: number;
}

const LUT = /^(\$lut|SB_LUT4|LUT[1-6]|LUT4)$/;
/**
 * Cells built of LUTs that hold state (shift registers, distributed RAM): the LUTs each takes.
 * A 7-series RAM32M/RAM64M is the four LUTs of a SLICEM, a RAMnX1D two (its read and write
 * ports), an SRL one; an ECP5 TRELLIS_DPR16X4 is counted as the four LUT4s of its two slices.
 */
const LUTS_OF_STATEFUL_CELL: Record<string, number> = {
  SRL16E: 1,
  SRLC16E: 1,
  SRLC32E: 1,
  RAM16X1S: 1,
  RAM32X1S: 1,
  RAM64X1S: 1,
  RAM128X1S: 2,
  RAM256X1S: 4,
  RAM16X1D: 2,
  RAM32X1D: 2,
  RAM64X1D: 2,
  RAM128X1D: 4,
  RAM32M: 4,
  RAM64M: 4,
  RAM32M16: 8,
  RAM64M8: 8,
  TRELLIS_DPR16X4: 4,
};
const FF = /^(\$_(AL)?DFF|\$_S?DFFC?E?_|\$_DFFSRE?_|SB_DFF|FD[CPRS]E?$|TRELLIS_FF$)/;
const BRAM = /^(SB_RAM40_4K(NR|NW|NRNW)?|SB_SPRAM256KA|RAMB(18|36)E[12]|DP16KD|PDPW16KD)$/;
const DSP = /^(SB_MAC16|DSP48E[12]|MULT18X18D|ALU54B)$/;
/** Cells Yosys adds for hierarchy bookkeeping; they are not hardware. */
const BOOKKEEPING = /^\$scopeinfo$/;

/** A memory the gate flow keeps as an array (its read port registered, like the sync_ram). */
const MEMORY = /^\$mem(_v2)?$/;

const isSequential = (type: string) =>
  FF.test(type) || BRAM.test(type) || DSP.test(type) || MEMORY.test(type);

/**
 * NAND2 gate equivalents of the gate flow's cells (an estimate, not a library's figures): NAND2
 * and NOR2 are 4 transistors (1 GE), NOT 2 (0.5 GE); a flip-flop is 4.5 GE (a static master-slave
 * D flip-flop of about 18 transistors) plus 1 GE for each of an enable, a synchronous reset and an
 * asynchronous reset (the gate or multiplexer in front of D).
 */
function gateEquivalents(type: string): number | undefined {
  if (type === '$_NAND_' || type === '$_NOR_') return 1;
  if (type === '$_NOT_') return 0.5;
  // $_[S]DFF[SR|...][C][E]_<polarities>_: S = synchronous reset; a 0/1 among the polarities is a
  // reset value (asynchronous without the S); DFFSR and ALDFF set or load asynchronously.
  const ff = /^\$_(S?)(DFF|DFFSR|ALDFF)(C?E?)_([PN01]+)_$/.exec(type);
  if (ff === null) return undefined;
  const [, sync, kind, enable, polarities] = ff as unknown as [
    string,
    string,
    string,
    string,
    string,
  ];
  const reset = sync === 'S' || /[01]/.test(polarities) || kind !== 'DFF';
  return 4.5 + (enable.includes('E') ? 1 : 0) + (reset ? 1 : 0);
}

/** Gate equivalents of a gate-flow netlist; a cell type it does not know is an error. */
export function gateArea(byType: Record<string, number>): number {
  return Object.entries(byType).reduce((total, [type, count]) => {
    if (MEMORY.test(type)) return total;
    const each = gateEquivalents(type);
    if (each === undefined) throw new Error(`gate area: no gate equivalent for cell type ${type}`);
    return total + each * count;
  }, 0);
}

interface NetlistJson {
  modules: Record<
    string,
    { cells?: Record<string, { type: string; parameters?: Record<string, string> }> }
  >;
}

/** Bits of the memories the gate flow kept (`$mem_v2` WIDTH x SIZE, binary parameter strings). */
export function memoryBits(netlistJson: string, top: string): number {
  const cells = Object.values((JSON.parse(netlistJson) as NetlistJson).modules[top]?.cells ?? {});
  const value = (text: string | undefined) => (text === undefined ? 0 : Number.parseInt(text, 2));
  return cells
    .filter((cell) => MEMORY.test(cell.type))
    .reduce(
      (total, cell) => total + value(cell.parameters?.WIDTH) * value(cell.parameters?.SIZE),
      0,
    );
}

interface StatJson {
  design?: { num_cells_by_type?: Record<string, number> };
  modules?: Record<string, { num_cells_by_type?: Record<string, number> }>;
}

/** Cell counts by type of the whole (flattened) design. */
export function cellsByType(statJson: string): Record<string, number> {
  const stat = JSON.parse(statJson) as StatJson;
  const byType =
    stat.design?.num_cells_by_type ?? Object.values(stat.modules ?? {})[0]?.num_cells_by_type ?? {};
  return Object.fromEntries(Object.entries(byType).filter(([type]) => !BOOKKEEPING.test(type)));
}

export function classifyCells(
  byType: Record<string, number>,
): Omit<SynthFigures, keyof TimingFigures> {
  const sum = (pattern: RegExp) =>
    Object.entries(byType).reduce(
      (total, [type, count]) => total + (pattern.test(type) ? count : 0),
      0,
    );
  const statefulLuts = Object.entries(byType).reduce(
    (total, [type, count]) => total + (LUTS_OF_STATEFUL_CELL[type] ?? 0) * count,
    0,
  );
  return {
    cells: Object.values(byType).reduce((total, count) => total + count, 0),
    luts: sum(LUT) + statefulLuts,
    ffs: sum(FF),
    brams: sum(BRAM),
    dsps: sum(DSP),
  };
}

/** The delay model of each synthesis target (the generic flow counts levels only). */
const MODELS: Record<SynthTarget, DelayModel> = {
  ...DELAY_MODELS,
  generic: GENERIC_STRUCTURE,
  gates: GATE_STRUCTURE,
};

/** What the timing figures of `target` are: an estimate from the netlist, never a signoff. */
export function timingModelDescription(target: SynthTarget): string {
  return MODELS[target].description;
}

export function netlistTiming(
  netlistJson: string,
  top: string,
  target: SynthTarget,
): TimingFigures {
  const model = MODELS[target];
  return staticTiming(
    netlistJson,
    top,
    model,
    (type) => cellTiming(model, type, isSequential),
    target !== 'generic' && target !== 'gates',
  );
}

export function synthFigures(
  statJson: string,
  netlistJson: string,
  top: string,
  target: SynthTarget,
): SynthFigures {
  const byType = cellsByType(statJson);
  const area =
    target === 'gates'
      ? { gateEquivalents: gateArea(byType), memoryBits: memoryBits(netlistJson, top) }
      : {};
  return { ...classifyCells(byType), ...area, ...netlistTiming(netlistJson, top, target) };
}

/** Total bits of the top module's ports: the pins an unconstrained place and route must find. */
export function portBits(netlistJson: string, top: string): number {
  const module = (
    JSON.parse(netlistJson) as {
      modules: Record<string, { ports?: Record<string, { bits: unknown[] }> }>;
    }
  ).modules[top];
  return Object.values(module?.ports ?? {}).reduce((total, port) => total + port.bits.length, 0);
}
