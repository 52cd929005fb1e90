/**
 * Resource figures from a Yosys run: cell counts by class from `stat -json`, and timing (levels,
 * estimated delay, critical path) from the `write_json` netlist under the target's delay model.
 * Cell classes are the primitives Yosys emits for each target family.
 */
import { DELAY_MODELS, type DelayModel, GENERIC_STRUCTURE, cellTiming } from './delay-model';
import { type TimingFigures, staticTiming } from './static-timing';
import type { SynthTarget } from './yosys';

export interface SynthFigures extends TimingFigures {
  /** Every cell of the flattened netlist (Yosys bookkeeping cells excluded). */
  cells: number;
  luts: number;
  /** Flip-flop bits (every flip-flop primitive of these families holds one bit). */
  ffs: number;
  brams: number;
  dsps: number;
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
  return {
    cells: Object.values(byType).reduce((total, count) => total + count, 0),
    luts: sum(LUT),
    ffs: sum(FF),
    brams: sum(BRAM),
    dsps: sum(DSP),
  };
}

/** The delay model of each synthesis target (the generic flow counts levels only). */
const MODELS: Record<SynthTarget, DelayModel> = { ...DELAY_MODELS, generic: GENERIC_STRUCTURE };

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
    target !== 'generic',
  );
}

export function synthFigures(
  statJson: string,
  netlistJson: string,
  top: string,
  target: SynthTarget,
): SynthFigures {
  return { ...classifyCells(cellsByType(statJson)), ...netlistTiming(netlistJson, top, target) };
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
