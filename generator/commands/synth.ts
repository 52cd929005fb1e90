/**
 * `spatten synth MODULE|top`: Yosys synthesis of one generated module (and everything it instantiates)
 * for a target family, reporting cells, LUTs, flip-flops, block RAMs, DSPs and logic depth; `--pnr`
 * adds an iCE40 place and route for fmax.
 */
import type { Command } from 'commander';
import type { ResolvedConfig } from '../config/load';
import type { ModuleIR } from '../dsl/ir';
import { CheckFailure, InputError, showValue } from '../errors';
import {
  type Ice40Device,
  nextpnrToolVersion,
  pickIce40Device,
  placeAndRouteIce40,
} from '../flows/nextpnr';
import { PIN_WRAPPER_PINS, pinWrapper } from '../flows/pin-wrapper';
import { resetPortName } from '../dsl/builder';
import {
  type SynthFigures,
  portBits,
  synthFigures,
  timingModelDescription,
} from '../flows/synth-figures';
import {
  SYNTH_TARGETS,
  type SynthTarget,
  type YosysTool,
  synthesize,
  yosysToolVersion,
} from '../flows/yosys';
import { UNIT_BUILDERS, collectModules, designModules } from '../modules';
import { renderDesign } from '../render/design';
import { type ConfigOptions, addConfigOptions, configFromOptions } from './options';
import { checkDesignDir, saveSynthReport } from './synth-out';

/** The JSON document of `spatten synth --json` (a stable shape: scripts and sweeps read it). */
export interface SynthReport extends SynthFigures {
  module: string;
  preset: string;
  /** Hash of the config synthesized, so a saved report can be matched to its design. */
  configHash: string;
  target: SynthTarget;
  tool: { name: string; version: string };
  /** What estDelayNs and fmaxEstMHz assume: a per-cell delay model of the netlist, not a signoff. */
  timingModel: string;
  /** nextpnr's post-route fmax (ice40 with --pnr), else null. */
  fmaxMHz: number | null;
  /** Where --pnr placed it (null without --pnr or when the logic fits no iCE40). */
  pnr: PnrPlacement | null;
}

export interface SynthRequest {
  target: SynthTarget;
  pnr: boolean;
  yosys: YosysTool;
  /** Progress and notes (stderr). */
  log: (line: string) => void;
}

export const YOSYS_TOOLS: readonly YosysTool[] = ['wasm', 'system'];

/** Names `synth` accepts: `top` when the design has one, then every module stem of the design. */
export function synthesizableNames(resolved: ResolvedConfig): string[] {
  const stems = designModules(resolved.config).map((module) => module.stem);
  return [...new Set([...('top' in UNIT_BUILDERS ? ['top'] : []), ...stems])];
}

/** The module `name` designates: a unit or submodule by stem, or by full module name. */
export function findModule(resolved: ResolvedConfig, name: string): ModuleIR {
  const modules = designModules(resolved.config);
  const matches = modules.filter((module) => module.stem === name || module.name === name);
  if (matches.length === 1) return matches[0] as ModuleIR;
  if (matches.length > 1) {
    const names = matches.map((m) => m.name).join(', ');
    throw new InputError(
      `synth ${showValue(name)}: several modules have this stem ` + `(give one of: ${names})`,
    );
  }
  const allowed = synthesizableNames(resolved).join(', ');
  throw new InputError(`synth ${showValue(name)}: unknown module (allowed: ${allowed})`);
}

/** Where nextpnr placed the module, and whether it went through the pin wrapper. */
export interface PnrPlacement {
  device: string;
  /** Null when the module's own ports fit the package; else what the wrapper shifts. */
  wrapped: string | null;
}

function verilogFiles(resolved: ResolvedConfig, module: ModuleIR): Record<string, string> {
  return Object.fromEntries(
    renderDesign(collectModules([module]), resolved)
      .filter((file) => file.path.endsWith('.v'))
      .map((file) => [file.path, file.content]),
  );
}

async function synthesizeOrFail(files: Record<string, string>, top: string, request: SynthRequest) {
  const run = await synthesize(files, top, request.target, request.yosys);
  if (!run.ok || run.stat === undefined || run.netlist === undefined) {
    const tail = run.log.trim().split('\n').slice(-20).join('\n');
    throw new CheckFailure(`Yosys synthesis of ${top} for ${request.target} failed:\n${tail}`);
  }
  return { stat: run.stat, netlist: run.netlist };
}

export async function synthesizeModule(
  resolved: ResolvedConfig,
  module: ModuleIR,
  request: SynthRequest,
): Promise<SynthReport> {
  const files = verilogFiles(resolved, module);
  const tool = await yosysToolVersion(request.yosys);
  request.log(
    `synth ${module.name}: ${request.target}, preset ${resolved.preset}, ${tool.name} ${tool.version}`,
  );
  const run = await synthesizeOrFail(files, module.name, request);
  const figures = synthFigures(run.stat, run.netlist, module.name, request.target);
  const report: SynthReport = {
    module: module.name,
    preset: resolved.preset,
    configHash: resolved.hash,
    target: request.target,
    tool,
    ...figures,
    timingModel: timingModelDescription(request.target),
    fmaxMHz: null,
    pnr: null,
  };
  if (request.pnr) {
    const routed = await routeIce40(resolved, module, files, { ...run, figures }, request);
    if (routed) Object.assign(report, { fmaxMHz: routed.fmaxMHz, pnr: routed.placement });
  }
  return report;
}

interface Synthesized {
  netlist: string;
  figures: SynthFigures;
}

/** A netlist ready for nextpnr: the module itself, or its pin wrapper. */
interface RouteTarget {
  netlist: string;
  top: string;
  device: Ice40Device;
  wrapped: string | null;
}

/**
 * Places and routes on the first iCE40 the logic fits. A module with more port bits than the
 * package has pins goes through the pin wrapper (flows/pin-wrapper.ts), which the report names.
 */
async function routeIce40(
  resolved: ResolvedConfig,
  module: ModuleIR,
  files: Record<string, string>,
  synthesized: Synthesized,
  request: SynthRequest,
): Promise<{ fmaxMHz: number | null; placement: PnrPlacement } | null> {
  const direct = pickIce40Device({
    ...synthesized.figures,
    ioBits: portBits(synthesized.netlist, module.name),
  });
  const target =
    typeof direct === 'string'
      ? await wrapForPins(resolved, module, files, synthesized, direct, request)
      : { netlist: synthesized.netlist, top: module.name, device: direct, wrapped: null };
  if (target === null) return null;
  const pnr = await nextpnrToolVersion();
  const clockMHz = resolved.config.design.clockMHz;
  const { device } = target;
  request.log(
    `pnr ${target.top}: ${device.device} ${device.package} at ${clockMHz} MHz, ${pnr.name} ${pnr.version}`,
  );
  const run = await placeAndRouteIce40(target.netlist, device, clockMHz);
  if (!run.ok) {
    const tail = run.log.trim().split('\n').slice(-20).join('\n');
    throw new CheckFailure(`nextpnr-ice40 failed on ${target.top}:\n${tail}`);
  }
  return {
    fmaxMHz: run.fmaxMHz,
    placement: { device: `${device.device}-${device.package}`, wrapped: target.wrapped },
  };
}

/** The pin wrapper of a module whose logic fits an iCE40 but whose ports do not; null when nothing fits. */
async function wrapForPins(
  resolved: ResolvedConfig,
  module: ModuleIR,
  files: Record<string, string>,
  synthesized: Synthesized,
  misfit: string,
  request: SynthRequest,
): Promise<RouteTarget | null> {
  if (typeof pickIce40Device({ ...synthesized.figures, ioBits: PIN_WRAPPER_PINS }) === 'string') {
    request.log(`pnr skipped: ${module.name} ${misfit}`);
    return null;
  }
  const wrapper = pinWrapper(module, resetPortName(resolved.config));
  const wrapped =
    `${wrapper.name}: ${wrapper.inputBits} input bits through a serial-in/parallel-out ` +
    `register, ${wrapper.outputBits} output bits through a parallel-in/serial-out register`;
  request.log(
    `pnr ${module.name}: ${portBits(synthesized.netlist, module.name)} port bits, more than the ` +
      `package has pins; routing ${wrapped}`,
  );
  const run = await synthesizeOrFail(
    { ...files, [`${wrapper.name}.v`]: wrapper.verilog },
    wrapper.name,
    request,
  );
  const figures = synthFigures(run.stat, run.netlist, wrapper.name, request.target);
  const device = pickIce40Device({ ...figures, ioBits: portBits(run.netlist, wrapper.name) });
  if (typeof device === 'string') {
    request.log(`pnr skipped: ${wrapper.name} ${device}`);
    return null;
  }
  return { netlist: run.netlist, top: wrapper.name, device, wrapped };
}

export function parseTarget(text: string): SynthTarget {
  if (!(SYNTH_TARGETS as readonly string[]).includes(text)) {
    const allowed = SYNTH_TARGETS.join(', ');
    throw new InputError(`--target ${showValue(text)}: unknown target (allowed: ${allowed})`);
  }
  return text as SynthTarget;
}

export function parseYosysTool(text: string): YosysTool {
  if (!(YOSYS_TOOLS as readonly string[]).includes(text)) {
    const allowed = YOSYS_TOOLS.join(', ');
    throw new InputError(`--yosys ${showValue(text)}: unknown Yosys (allowed: ${allowed})`);
  }
  return text as YosysTool;
}

function formatReport(report: SynthReport): string {
  const path = report.criticalPath;
  const estimate =
    report.fmaxEstMHz === null || path === null
      ? ''
      : `\n  estimated ${report.estDelayNs} ns (${report.fmaxEstMHz} MHz): ${path.from} -> ${path.to}, ` +
        `${path.cells} cells (${report.target} delay model, no placement)` +
        (path.through.length > 0 ? `\n  through ${path.through.join(' -> ')}` : '');
  const wrapped = report.pnr?.wrapped ? ` (wrapped: ${report.pnr.wrapped})` : '';
  const fmax =
    report.fmaxMHz === null
      ? ''
      : `\n  nextpnr post-route fmax ${report.fmaxMHz} MHz on ${report.pnr?.device}${wrapped}`;
  const area =
    report.gateEquivalents === undefined
      ? ''
      : `\n  area estimate: ${report.gateEquivalents} NAND2 gate equivalents of logic and flip-flops, ` +
        `${report.memoryBits} memory bits apart (docs/energy.md)`;
  return (
    `${report.module} (${report.target}, ${report.preset}): ${report.cells} cells, ${report.luts} LUTs, ` +
    `${report.ffs} FFs, ${report.brams} BRAMs, ${report.dsps} DSPs, ${report.lutLevels} LUT levels, ` +
    `logic depth ${report.logicDepth}${area}${estimate}${fmax}`
  );
}

interface SynthOptions extends ConfigOptions {
  target: string;
  pnr?: boolean;
  yosys: string;
  json?: boolean;
  out?: string;
}

export function registerSynth(program: Command): void {
  addConfigOptions(
    program
      .command('synth')
      .argument('<module>', 'module stem (e.g. topk, sync_ram) or top')
      .description('synthesize a module with Yosys and report its resources'),
  )
    .option('--target <family>', `target (${SYNTH_TARGETS.join(', ')})`, 'generic')
    .option('--pnr', 'place and route on iCE40 with nextpnr and report fmax (--target ice40 only)')
    .option(
      '--yosys <tool>',
      `Yosys to run (${YOSYS_TOOLS.join(', ')}: the WebAssembly build or the system yosys)`,
      'wasm',
    )
    .option('--json', 'print the report as JSON on stdout')
    .option(
      '--out <dir>',
      'a folder written by generate with the same config: keep the report in <dir>/synth and refresh the docs page',
    )
    .action(async (name: string, options: SynthOptions) => {
      const target = parseTarget(options.target);
      const yosys = parseYosysTool(options.yosys);
      if (options.pnr && target !== 'ice40') {
        const got = showValue(target);
        throw new InputError(`--pnr: place and route needs --target ice40 (got ${got})`);
      }
      const resolved = configFromOptions(options);
      const module = findModule(resolved, name);
      if (options.out !== undefined) checkDesignDir(options.out, resolved);
      const log = (line: string) => process.stderr.write(`${line}\n`);
      const report = await synthesizeModule(resolved, module, {
        target,
        pnr: options.pnr === true,
        yosys,
        log,
      });
      if (options.out !== undefined) saveSynthReport(options.out, resolved, module, report);
      if (options.json) process.stdout.write(`${JSON.stringify(report)}\n`);
      log(formatReport(report));
    });
}
