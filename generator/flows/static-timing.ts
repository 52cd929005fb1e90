/**
 * Static timing of a flattened Yosys `write_json` netlist under a per-cell delay model: the longest
 * register-to-register (or port) path, its delay and where it starts and ends, plus two structural
 * depths of the same graph (LUT levels, combinational cells). Module inputs are taken as driven by
 * a register outside and outputs as captured by one, so a unit is timed as a core inside a design.
 */
import type { CellParameters, CellTiming, DelayModel } from './delay-model';

type Bit = number | string;
interface NetlistCell {
  type: string;
  parameters?: CellParameters;
  port_directions?: Record<string, 'input' | 'output' | 'inout'>;
  connections: Record<string, Bit[]>;
}
interface NetlistModule {
  ports?: Record<string, { direction: string; bits: Bit[] }>;
  cells: Record<string, NetlistCell>;
  netnames?: Record<string, { hide_name?: number; bits: Bit[] }>;
}
export interface Netlist {
  modules: Record<string, NetlistModule>;
}

export interface CriticalPath {
  /** The register (or input port) the path starts at, by its RTL name. */
  from: string;
  /** The register (or output port) it ends at. */
  to: string;
  /** Combinational cells on the path. */
  cells: number;
  /** Those cells from start to end, each as the net it drives and its type: `sum[3] (CARRY4)`. */
  through: string[];
}

export interface TimingFigures {
  /** Most LUTs on any path between registers (LUT RAM reads count as LUTs). */
  lutLevels: number;
  /** Most combinational cells (LUTs, carry, muxes, DSPs without registers) on any such path. */
  logicDepth: number;
  /** Delay of the slowest path (clock-to-out + cells + setup), ns; null without a delay model. */
  estDelayNs: number | null;
  fmaxEstMHz: number | null;
  criticalPath: CriticalPath | null;
}

/** Clock inputs carry the clock, not data: they start and end no path. */
const CLOCK_PORT = /^(C|CLK|WCLK|RCLK|RCLKN|WCLKN|CLKARDCLK|CLKBWRCLK|CLKA|CLKB)$/;

interface Arrival {
  delay: number;
  luts: number;
  cells: number;
  /** The input bit the slowest arrival came through (undefined at a path's start). */
  through?: number;
}

/** How a bit gets its value: from a cell output, or from outside (a module input). */
interface Driver {
  cell: NetlistCell;
  name: string;
  port: string;
}

export function staticTiming(
  netlistJson: string,
  top: string,
  model: DelayModel,
  timingOf: (type: string) => CellTiming,
  estimatesDelay: boolean,
): TimingFigures {
  const module = (JSON.parse(netlistJson) as Netlist).modules[top];
  if (!module) throw new Error(`netlist has no module ${top}`);
  const directionOf = (cell: NetlistCell, port: string) => cell.port_directions?.[port] ?? 'input';
  const driver = new Map<number, Driver>();
  for (const [name, cell] of Object.entries(module.cells)) {
    for (const [port, bits] of Object.entries(cell.connections)) {
      if (directionOf(cell, port) !== 'output') continue;
      for (const bit of bits) if (typeof bit === 'number') driver.set(bit, { cell, name, port });
    }
  }

  const arrivals = new Map<number, Arrival>();
  const start: Arrival = { delay: model.registerLaunch, luts: 0, cells: 0 };
  // Arrival of a bit = the latest of its driver's launch and of (input arrival + arc) over the
  // driver's inputs. Iterative, so long carry chains cannot overflow the stack; a bit met again
  // while still open would be a combinational loop (lint rejects those) and counts as a start.
  const open = new Set<number>();
  const arrivalOf = (root: number): Arrival => {
    const stack = [root];
    while (stack.length > 0) {
      const bit = stack[stack.length - 1] as number;
      if (arrivals.has(bit)) {
        stack.pop();
        continue;
      }
      const source = driver.get(bit);
      if (!source) {
        arrivals.set(bit, start);
        stack.pop();
        continue;
      }
      const timing = timingOf(source.cell.type);
      const parameters = source.cell.parameters ?? {};
      const inputs = Object.entries(source.cell.connections)
        .filter(([port]) => directionOf(source.cell, port) === 'input' && !CLOCK_PORT.test(port))
        .map(([port, bits]) => ({ port, delay: timing.arc(port, source.port, parameters), bits }))
        .filter(
          (input): input is { port: string; delay: number; bits: Bit[] } =>
            input.delay !== undefined,
        );
      open.add(bit);
      const pending = inputs
        .flatMap((input) => input.bits)
        .filter((b): b is number => typeof b === 'number' && !arrivals.has(b) && !open.has(b));
      if (pending.length > 0) {
        stack.push(...pending);
        continue;
      }
      const launch = timing.launch(source.port, parameters);
      let best: Arrival =
        launch === undefined
          ? { delay: -Infinity, luts: 0, cells: 0 }
          : { delay: launch, luts: 0, cells: 0 };
      let luts = 0;
      let cells = 0;
      for (const input of inputs) {
        for (const b of input.bits) {
          if (typeof b !== 'number') continue;
          const before = arrivals.get(b) ?? start;
          luts = Math.max(luts, before.luts + (timing.lut ? 1 : 0));
          cells = Math.max(cells, before.cells + (input.delay > 0 ? 1 : 0));
          if (before.delay + input.delay > best.delay)
            best = { ...best, delay: before.delay + input.delay, through: b };
        }
      }
      arrivals.set(bit, {
        delay: best.delay === -Infinity ? model.registerLaunch : best.delay,
        luts,
        cells,
        ...(best.through === undefined ? {} : { through: best.through }),
      });
      open.delete(bit);
      stack.pop();
    }
    return arrivals.get(root) as Arrival;
  };

  // Endpoints: inputs that reach no output combinationally (a register captures them), and the
  // module outputs.
  const endpoints: { bit: number; to: () => string }[] = [];
  const names = netNames(module);
  for (const [name, cell] of Object.entries(module.cells)) {
    const timing = timingOf(cell.type);
    const parameters = cell.parameters ?? {};
    const outputs = Object.keys(cell.connections).filter(
      (port) => directionOf(cell, port) === 'output',
    );
    for (const [port, bits] of Object.entries(cell.connections)) {
      if (directionOf(cell, port) !== 'input' || CLOCK_PORT.test(port)) continue;
      if (outputs.some((out) => timing.arc(port, out, parameters) !== undefined)) continue;
      for (const bit of bits)
        if (typeof bit === 'number')
          endpoints.push({ bit, to: () => registerName(name, cell, outputs, names) });
    }
  }
  for (const [portName, port] of Object.entries(module.ports ?? {})) {
    if (port.direction === 'input') continue;
    port.bits.forEach((bit, index) => {
      if (typeof bit === 'number')
        endpoints.push({ bit, to: () => bitLabel(portName, index, port.bits.length) });
    });
  }

  let lutLevels = 0;
  let logicDepth = 0;
  let worst: { bit: number; delay: number; to: () => string } | undefined;
  for (const endpoint of endpoints) {
    const arrival = arrivalOf(endpoint.bit);
    lutLevels = Math.max(lutLevels, arrival.luts);
    logicDepth = Math.max(logicDepth, arrival.cells);
    if (!worst || arrival.delay > worst.delay)
      worst = { bit: endpoint.bit, delay: arrival.delay, to: endpoint.to };
  }
  if (!estimatesDelay || !worst)
    return { lutLevels, logicDepth, estDelayNs: null, fmaxEstMHz: null, criticalPath: null };

  // Walk the slowest arrivals back to the path's start (a loop, if any, is walked once).
  let bit = worst.bit;
  const visited = new Set([bit]);
  for (
    let through = arrivals.get(bit)?.through;
    through !== undefined && !visited.has(through);
    through = arrivals.get(bit)?.through
  ) {
    visited.add(through);
    bit = through;
  }
  // visited runs from the endpoint back to the start; the cells are the drivers in between.
  const pathCells = [...visited]
    .slice(0, -1)
    .reverse()
    .map((b) => cellLabel(b, driver, names));
  const cells = pathCells.length;
  const estDelayNs = Math.round((worst.delay + model.setup) * 1000) / 1000;
  return {
    lutLevels,
    logicDepth,
    estDelayNs,
    fmaxEstMHz: Math.round((1000 / estDelayNs) * 10) / 10,
    criticalPath: {
      from: startName(bit, driver, names),
      to: worst.to(),
      cells,
      through: pathCells,
    },
  };
}

function bitLabel(name: string, index: number, width: number): string {
  return width === 1 ? name : `${name}[${index}]`;
}

/**
 * RTL name of every bit: the shortest visible net name holding it (hidden names as a last resort).
 * Synthesis adds derived names to nets (`x_q_SB_DFFE_Q_D`), and the RTL name is the shortest.
 */
function netNames(module: NetlistModule): Map<number, string> {
  const best = new Map<number, { name: string; rank: [number, number] }>();
  for (const [name, net] of Object.entries(module.netnames ?? {})) {
    const hidden = net.hide_name ? 1 : 0;
    net.bits.forEach((bit, index) => {
      if (typeof bit !== 'number') return;
      const seen = best.get(bit);
      if (
        seen &&
        (seen.rank[0] < hidden || (seen.rank[0] === hidden && seen.rank[1] <= name.length))
      )
        return;
      best.set(bit, { name: bitLabel(name, index, net.bits.length), rank: [hidden, name.length] });
    });
  }
  return new Map([...best].map(([bit, { name }]) => [bit, name]));
}

/** Where a path starts: the launching cell named like an endpoint, or the module input. */
function startName(bit: number, driver: Map<number, Driver>, names: Map<number, string>): string {
  const source = driver.get(bit);
  if (!source) return names.get(bit) ?? `bit ${bit}`;
  const name = names.get(bit);
  return name !== undefined && !name.startsWith('$')
    ? `${name} (${source.cell.type})`
    : `${source.name} (${source.cell.type})`;
}

/** A cell on a path, named by the net it drives there (its type alone when that net has no RTL
 * name: synthesis names such as `$abc$139$...` tell a reader nothing). */
function cellLabel(bit: number, driver: Map<number, Driver>, names: Map<number, string>): string {
  const type = driver.get(bit)?.cell.type ?? '?';
  const name = names.get(bit);
  return name === undefined || name.startsWith('$') ? type : `${name} (${type})`;
}

/** A capturing cell named by what it drives (a register's Q net carries the RTL register name). */
function registerName(
  cellName: string,
  cell: NetlistCell,
  outputs: string[],
  names: Map<number, string>,
): string {
  for (const port of outputs) {
    const bit = cell.connections[port]?.find((b): b is number => typeof b === 'number');
    const name = bit === undefined ? undefined : names.get(bit);
    if (name !== undefined && !name.startsWith('$')) return `${name} (${cell.type})`;
  }
  return `${cellName} (${cell.type})`;
}
