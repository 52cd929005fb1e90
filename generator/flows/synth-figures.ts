/**
 * Resource figures from a Yosys run: cell counts by class from `stat -json`, and logic depth from the
 * `write_json` netlist. Cell classes are the primitives Yosys emits for each target family.
 */

export interface SynthFigures {
  /** Every cell of the flattened netlist (Yosys bookkeeping cells excluded). */
  cells: number;
  luts: number;
  /** Flip-flop bits (every flip-flop primitive of these families holds one bit). */
  ffs: number;
  brams: number;
  dsps: number;
  /**
   * Longest chain of combinational cells (LUTs, carry and mux cells) between sequential cells
   * (flip-flops, block RAMs, DSPs) or ports: what `ltp -noff` reports, extended to vendor flip-flops.
   */
  logicDepth: number;
}

const LUT = /^(\$lut|SB_LUT4|LUT[1-6]|LUT4)$/;
const FF = /^(\$_(AL)?DFF|\$_S?DFFC?E?_|\$_DFFSRE?_|SB_DFF|FD[CPRS]E?$|TRELLIS_FF$)/;
const BRAM = /^(SB_RAM40_4K(NR|NW|NRNW)?|SB_SPRAM256KA|RAMB(18|36)E[12]|DP16KD|PDPW16KD)$/;
const DSP = /^(SB_MAC16|DSP48E[12]|MULT18X18D|ALU54B)$/;
/** Cells Yosys adds for hierarchy bookkeeping; they are not hardware. */
const BOOKKEEPING = /^\$scopeinfo$/;

const isSequential = (type: string) => FF.test(type) || BRAM.test(type) || DSP.test(type);

interface StatJson {
  design?: { num_cells_by_type?: Record<string, number> };
  modules?: Record<string, { num_cells_by_type?: Record<string, number> }>;
}

/** Cell counts by type of the whole (flattened) design. */
export function cellsByType(statJson: string): Record<string, number> {
  const stat = JSON.parse(statJson) as StatJson;
  const byType = stat.design?.num_cells_by_type ?? Object.values(stat.modules ?? {})[0]?.num_cells_by_type ?? {};
  return Object.fromEntries(Object.entries(byType).filter(([type]) => !BOOKKEEPING.test(type)));
}

export function classifyCells(byType: Record<string, number>): Omit<SynthFigures, 'logicDepth'> {
  const sum = (pattern: RegExp) =>
    Object.entries(byType).reduce((total, [type, count]) => total + (pattern.test(type) ? count : 0), 0);
  return {
    cells: Object.values(byType).reduce((total, count) => total + count, 0),
    luts: sum(LUT),
    ffs: sum(FF),
    brams: sum(BRAM),
    dsps: sum(DSP),
  };
}

type Bit = number | string;
interface NetlistCell {
  type: string;
  port_directions?: Record<string, 'input' | 'output' | 'inout'>;
  connections: Record<string, Bit[]>;
}
interface Netlist {
  modules: Record<string, { attributes?: Record<string, unknown>; cells: Record<string, NetlistCell> }>;
}

/** Longest combinational cell chain of the top module of a `write_json` netlist (see SynthFigures.logicDepth). */
export function logicDepth(netlistJson: string, top: string): number {
  const netlist = JSON.parse(netlistJson) as Netlist;
  const module = netlist.modules[top];
  if (!module) throw new Error(`netlist has no module ${top}`);
  const combinational = Object.values(module.cells).filter((cell) => !isSequential(cell.type) && !BOOKKEEPING.test(cell.type));
  const portsOf = (cell: NetlistCell, direction: 'input' | 'output') =>
    Object.entries(cell.connections)
      .filter(([port]) => (cell.port_directions?.[port] ?? 'input') === direction)
      .flatMap(([, bits]) => bits.filter((bit): bit is number => typeof bit === 'number'));
  const driver = new Map<number, NetlistCell>();
  for (const cell of combinational) for (const bit of portsOf(cell, 'output')) driver.set(bit, cell);

  // Depth of a cell = 1 + deepest combinational driver of its inputs; iterative so long carry chains
  // cannot overflow the stack. A cell met again while still open would be a combinational loop,
  // which `spatten lint` rejects; it is counted as depth 0 here rather than looping forever.
  const depth = new Map<NetlistCell, number>();
  const open = new Set<NetlistCell>();
  for (const root of combinational) {
    const stack: NetlistCell[] = [root];
    while (stack.length > 0) {
      const cell = stack[stack.length - 1] as NetlistCell;
      if (depth.has(cell)) {
        stack.pop();
        continue;
      }
      open.add(cell);
      const pending = portsOf(cell, 'input')
        .map((bit) => driver.get(bit))
        .filter((d): d is NetlistCell => d !== undefined && !depth.has(d) && !open.has(d));
      if (pending.length > 0) {
        stack.push(...pending);
        continue;
      }
      const inputs = portsOf(cell, 'input').map((bit) => driver.get(bit));
      const deepest = Math.max(0, ...inputs.map((d) => (d ? depth.get(d) ?? 0 : 0)));
      depth.set(cell, deepest + 1);
      open.delete(cell);
      stack.pop();
    }
  }
  let longest = 0;
  for (const value of depth.values()) longest = Math.max(longest, value);
  return longest;
}

export function synthFigures(statJson: string, netlistJson: string, top: string): SynthFigures {
  return { ...classifyCells(cellsByType(statJson)), logicDepth: logicDepth(netlistJson, top) };
}

/** Total bits of the top module's ports: the pins an unconstrained place and route must find. */
export function portBits(netlistJson: string, top: string): number {
  const module = (JSON.parse(netlistJson) as { modules: Record<string, { ports?: Record<string, { bits: unknown[] }> }> }).modules[top];
  return Object.values(module?.ports ?? {}).reduce((total, port) => total + port.bits.length, 0);
}
