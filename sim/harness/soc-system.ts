/**
 * Co-simulation of the integration shell as a system: spatten_soc with the AXI4-Lite host
 * testbench (axil-testbench.ts) playing software, the ring memory model (ring_memory.v) holding the
 * descriptor and result rings, and the K/V memory models (axi_memory.v) on the accelerator's
 * channels. A run is a list of host steps and the ring memory's initial words; it returns the ring
 * memory as it was at the end and every failure the testbench and the models reported.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ResolvedConfig } from '../../generator/config/load';
import type { Config } from '../../generator/config/schema';
import { resetPortName } from '../../generator/dsl/builder';
import { paramEnv } from '../../generator/dsl/check';
import { evalExpr } from '../../generator/dsl/expr';
import { verilatorBuild } from '../../generator/flows/verilator';
import { runProgram } from '../../generator/flows/tools';
import { collectModules } from '../../generator/modules';
import { socModule } from '../../generator/modules/soc';
import { renderModule } from '../../generator/render/design';
import { writeOutputFile } from '../../generator/render/write';
import { regsHeaderName } from '../../generator/soc/c-header';
import { registerMap } from '../../generator/soc/register-map';
import { entryFields, entryWords, ringLayouts } from '../../generator/soc/ring-layout';
import { renderSoftware } from '../../generator/soc/software';
import type { TopDescriptor, TopResult } from '../golden/top';
import { AXI_MEMORY_FILE, axiMemoryAttachment, memoryTiming } from './axi-memory';
import { type AxilStep, renderAxilTestbench } from './axil-testbench';
import type { Rng } from './random';
import { type Simulator, runIcarus, runVerilator } from './run';
import type { HeadInDram } from './targets/fetcher';
import { topDescriptorToStream, topResultToStream } from './targets/top';

const RING_MEMORY_FILE = fileURLToPath(new URL('./ring_memory.v', import.meta.url));
const SOC_HOST_FILE = fileURLToPath(new URL('./soc_host.cpp', import.meta.url));

/** Byte offset of a register of the shell. */
export function registerOffset(config: Config, name: string): number {
  const found = registerMap(config).find((r) => r.name === name);
  if (!found) throw new Error(`no register ${name}`);
  return found.offset;
}

/** Register accesses with random delays on every channel, as an interconnect would add. */
export function hostSteps(config: Config, rng: Rng) {
  return {
    write: (name: string, data: number): AxilStep => ({
      kind: 'write',
      address: registerOffset(config, name),
      data,
      strobes: 0xf,
      resp: 0,
      delays: [rng.int(0, 3), rng.int(0, 3), rng.int(0, 3)],
    }),
    read: (name: string, data: number): AxilStep => ({
      kind: 'read',
      address: registerOffset(config, name),
      data,
      resp: 0,
      delays: [rng.int(0, 3), rng.int(0, 3)],
    }),
    poll: (name: string, mask: number, value: number, reads = 100_000): AxilStep => ({
      kind: 'poll',
      address: registerOffset(config, name),
      mask,
      value,
      reads,
    }),
  };
}

/** Writes descriptors into ring memory words (word address = byte address / 4) from `base`. */
export function placeDescriptors(
  config: Config,
  memory: number[],
  base: number,
  descriptors: readonly TopDescriptor[],
): void {
  const layout = ringLayouts(config).descriptor;
  descriptors.forEach((d, i) => {
    const words = entryWords(layout, topDescriptorToStream(config, d).fields);
    words.forEach((w, j) => {
      memory[(base + i * layout.bytes) / 4 + j] = w;
    });
  });
}

/** The fields of result entry `index` of the ring at `base`, from the ring memory's words. */
export function resultEntry(
  config: Config,
  memory: readonly number[],
  base: number,
  index: number,
) {
  const layout = ringLayouts(config).result;
  const at = (base + index * layout.bytes) / 4;
  return entryFields(layout, memory.slice(at, at + layout.bytes / 4));
}

export const goldenEntry = (config: Config, r: TopResult) => topResultToStream(config, r).fields;

export interface SocSystemRun {
  steps: readonly AxilStep[];
  /** The ring memory's words at the start. */
  memory: readonly number[];
  /** Byte range [lo, hi) the shell may write; a write elsewhere is a violation. */
  writeWindow: [number, number];
  /** Byte range [lo, hi) of memory that answers SLVERR. */
  faultWindow?: [number, number];
  /** Output port values expected after the last step. */
  outputs?: Record<string, number>;
  /** Cycles (per mille) each memory handshake is withheld. */
  stall: number;
  seed: number;
  /** Write a VCD of the run to this file (checked beforehand by the caller). */
  waves?: string;
}

export interface SocSystemOutcome {
  /** The ring memory's words at the end. */
  memory: number[];
  /** What the testbench and the models reported as wrong (empty: the run passed). */
  failures: string[];
  cycles: number;
}

/** The ring memory's signals: the shell's master, the signal, its width, driven by the model. */
function ringSignals(config: Config) {
  const a = config.fetcher.axiAddrBits;
  const read: [string, number, boolean][] = [
    ['arvalid', 1, false],
    ['arready', 1, true],
    ['araddr', a, false],
    ['arlen', 8, false],
    ['arsize', 3, false],
    ['arburst', 2, false],
    ['rvalid', 1, true],
    ['rready', 1, false],
    ['rdata', 32, true],
    ['rresp', 2, true],
    ['rlast', 1, true],
  ];
  const written: [string, number, boolean][] = [
    ['awvalid', 1, false],
    ['awready', 1, true],
    ['awaddr', a, false],
    ['awlen', 8, false],
    ['awsize', 3, false],
    ['awburst', 2, false],
    ['wvalid', 1, false],
    ['wready', 1, true],
    ['wdata', 32, false],
    ['wstrb', 4, false],
    ['wlast', 1, false],
    ['bvalid', 1, true],
    ['bready', 1, false],
    ['bresp', 2, true],
  ];
  const signal =
    (master: string) =>
    ([name, width, fromMemory]: [string, number, boolean]) => ({
      master,
      signal: name,
      width,
      fromMemory,
    });
  return [...read.map(signal('m_axi_desc')), ...written.map(signal('m_axi_res'))];
}

/** Words of a $readmemh/$writememh text (comments and blank lines skipped). */
const hexWords = (text: string) =>
  text
    .split('\n')
    .filter((line) => /^[0-9a-fA-F]+$/.test(line.trim()))
    .map((line) => Number.parseInt(line, 16));

/**
 * The models around the shell: the ring memory and one K/V memory per channel, wired to the
 * shell's masters. Their Verilog expects `clk`, `drain` (>= 16: report the counters) and
 * `ring_dump` (dump the ring memory) from the module it sits in.
 */
function memoryModels(resolved: ResolvedConfig, head: HeadInDram, depth: number) {
  const config = resolved.config;
  const kv = axiMemoryAttachment(
    resolved,
    Array.from({ length: config.fetcher.channels }, () => head.image),
    memoryTiming(resolved, true),
  );
  const ring = ringSignals(config);
  const reset = resetPortName(config);
  const verilog = [
    ...ring.map(
      ({ signal, width }) => `  wire ${width > 1 ? `[${width - 1}:0] ` : ''}ring_${signal};`,
    ),
    "  wire ring_arid, ring_awid;  // the shell's single-burst IDs",
    kv.verilog,
    `  ring_memory #(.AddrWidth(${config.fetcher.axiAddrBits}), .Depth(${depth})) u_ring (`,
    '    .clk_i(clk_i),',
    `    .rst_ni(${config.reset.activeLow ? reset : `!${reset}`}),`,
    ...ring.map(
      ({ signal, fromMemory }) => `    .s_${signal}_${fromMemory ? 'o' : 'i'}(ring_${signal}),`,
    ),
    '    .dump_i(ring_dump)',
    '  );',
  ].join('\n');
  const connect: Record<string, string> = {
    ...kv.connect,
    ...Object.fromEntries(
      ring.map(({ master, signal, fromMemory }) => [
        `${master}_${signal}_${fromMemory ? 'i' : 'o'}`,
        `ring_${signal}`,
      ]),
    ),
    m_axi_desc_arid_o: 'ring_arid',
    m_axi_res_awid_o: 'ring_awid',
    m_axi_desc_rid_i: "1'b0",
    m_axi_res_bid_i: "1'b0",
  };
  const files = [
    ...collectModules([socModule(config)]).map((m) => ({
      name: `${m.name}.v`,
      content: renderModule(m, resolved),
    })),
    { name: 'axi_memory.v', content: readFileSync(AXI_MEMORY_FILE, 'utf8') },
    { name: 'ring_memory.v', content: readFileSync(RING_MEMORY_FILE, 'utf8') },
  ];
  return { verilog, connect, files, dataFiles: kv.dataFiles ?? {}, checkLog: kv.checkLog };
}

type Models = ReturnType<typeof memoryModels>;

/** The models' and the harness's complaints in a simulation log. */
function problems(log: string, models: Models, finished: RegExp): string[] {
  return [
    ...log.split('\n').filter((line) => /^ERROR|violation:/.test(line)),
    ...(models.checkLog?.(log) ?? []),
    ...(/RINGMEM violations=0/.test(log) ? [] : ['the ring memory did not report']),
    ...(finished.test(log) ? [] : [`the run did not finish (${finished.source})`]),
  ];
}

/** Runs `simulate` in a fresh folder holding the models' data files and the ring memory. */
async function inWorkDir<T>(
  models: Models,
  memory: readonly number[],
  simulate: (work: string) => Promise<T>,
): Promise<T> {
  const work = mkdtempSync(join(tmpdir(), 'spatten-soc-sim-'));
  try {
    for (const [name, content] of Object.entries(models.dataFiles))
      writeFileSync(join(work, name), content);
    writeFileSync(
      join(work, 'ring_mem.hex'),
      `${memory.map((w) => w.toString(16).padStart(8, '0')).join('\n')}\n`,
    );
    return await simulate(work);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const windowArgs = (run: Pick<SocSystemRun, 'writeWindow' | 'faultWindow' | 'stall' | 'seed'>) => {
  const [writeLo, writeHi] = run.writeWindow;
  const [faultLo, faultHi] = run.faultWindow ?? [0, 0];
  return [
    `+seed=${run.seed}`,
    `+stall=${run.stall}`,
    `+write_lo=${writeLo}`,
    `+write_hi=${writeHi}`,
    `+fault_lo=${faultLo}`,
    `+fault_hi=${faultHi}`,
  ];
};

/** The host is the Verilog AXI4-Lite testbench running `run.steps`. */
export async function runSocSystem(
  resolved: ResolvedConfig,
  simulator: Simulator,
  head: HeadInDram,
  run: SocSystemRun,
): Promise<SocSystemOutcome> {
  const config = resolved.config;
  const soc = socModule(config);
  const models = memoryModels(resolved, head, run.memory.length);
  const around = {
    verilog: [
      '  wire clk = clk_i;',
      '  integer drain = 0;',
      '  reg ring_dump = 0;',
      ...(run.waves
        ? ['  initial begin', '    $dumpfile("waves.vcd");', '    $dumpvars(0, tb);', '  end']
        : []),
      models.verilog,
    ].join('\n'),
    connect: models.connect,
    atEnd: ['drain = 100;', 'ring_dump = 1;', 'repeat (20) @(negedge clk_i);'],
  };
  const tb = renderAxilTestbench(
    soc,
    paramEnv(soc),
    config,
    run.steps,
    { outputs: run.outputs ?? {}, pulses: {} },
    around,
  );
  const sources = [...models.files, { name: 'tb.v', content: tb }];
  return inWorkDir(models, run.memory, async (work) => {
    const plusargs = windowArgs(run);
    const log =
      simulator === 'icarus'
        ? await runIcarus(work, sources, plusargs)
        : await runVerilator(work, sources, plusargs, run.waves !== undefined);
    if (run.waves)
      writeOutputFile(run.waves, 'waves', readFileSync(join(work, 'waves.vcd')), '--waves');
    const failures = problems(log, models, /SUMMARY errors=0 cycles=\d+/);
    const cycles = Number(/SUMMARY errors=\d+ cycles=(\d+)/.exec(log)?.[1] ?? 0);
    const dump = join(work, 'ring_out.hex');
    if (!existsSync(dump)) return { memory: [], failures: [...failures, log.slice(-2000)], cycles };
    return { memory: hexWords(readFileSync(dump, 'utf8')), failures, cycles };
  });
}

/** The shell inside a module the C++ host harness drives: its AXI4-Lite slave, irq_o, dump_i. */
function renderSocSystem(config: Config, models: Models): string {
  const soc = socModule(config);
  const env = paramEnv(soc);
  const reset = resetPortName(config);
  const own = soc.ports.filter((p) => p.name.startsWith('s_axil_') || p.name === 'irq_o');
  const port = (p: (typeof own)[number]) => {
    const width = evalExpr(p.width, env);
    return `  ${p.direction} wire ${width > 1 ? `[${width - 1}:0] ` : ''}${p.name},`;
  };
  return [
    '`timescale 1ns/1ps',
    '// The integration shell with its memory models, for the C++ host harness (soc_host.cpp).',
    'module soc_system (',
    '  input wire clk_i,',
    `  input wire ${reset},`,
    ...own.map(port),
    '  input wire dump_i  // the run is over: the models report and the ring memory dumps',
    ');',
    '  wire clk = clk_i;',
    "  wire [4:0] drain = dump_i ? 5'd16 : 5'd0;",
    '  wire ring_dump = dump_i;',
    models.verilog,
    `  ${soc.name} u_dut (`,
    soc.ports.map((p) => `    .${p.name}(${models.connect[p.name] ?? p.name})`).join(',\n'),
    '  );',
    'endmodule',
    '',
  ].join('\n');
}

export interface SocHostRun {
  descriptors: readonly TopDescriptor[];
  /** Ring bases (bytes) and sizes (entries), and the ring memory's words. */
  descBase: number;
  descSize: number;
  resBase: number;
  resSize: number;
  depth: number;
  stall: number;
  seed: number;
}

export interface SocHostOutcome {
  /** The results the driver collected, as entry fields, in order. */
  results: Record<string, bigint>[];
  failures: string[];
  /** The harness's report lines (status, cycles, counters). */
  report: string[];
  /** What the driver's run returned: 0, a STATUS.ERROR_CODE, or a negative driver error. */
  status: number;
}

/**
 * The host is the generated C driver (`<prefix>driver.c`, built with gcc) running in the C++
 * harness on Verilator: software submits the whole batch through the driver and collects every
 * result; the rings sit in the ring memory model, written and read only through the driver.
 */
export async function runSocHost(
  resolved: ResolvedConfig,
  head: HeadInDram,
  run: SocHostRun,
): Promise<SocHostOutcome> {
  const config = resolved.config;
  const models = memoryModels(resolved, head, run.depth);
  const layouts = ringLayouts(config);
  const p = config.design.modulePrefix;
  const software = renderSoftware(resolved, [socModule(config)]);
  const file = (name: string) => {
    const found = software.find((f) => f.path === name);
    if (!found) throw new Error(`the generated software has no ${name}`);
    return { name, content: found.content };
  };
  const hostConfig = [
    `#include "${p}driver.h"`,
    `#define HOST_PREFIX ${p}`,
    `#define HOST_UPREFIX ${p.toUpperCase()}`,
    `#define HOST_RESET ${resetPortName(config)}`,
    `#define HOST_RESET_ACTIVE ${config.reset.activeLow ? 0 : 1}`,
    '',
  ].join('\n');
  const binary = await verilatorBuild(
    [...models.files, { name: 'soc_system.v', content: renderSocSystem(config, models) }],
    'soc_system',
    {
      waves: false,
      host: {
        cpp: [{ name: 'soc_host.cpp', content: readFileSync(SOC_HOST_FILE, 'utf8') }],
        c: [file(`${p}driver.c`)],
        headers: [
          file(`${p}driver.h`),
          file(regsHeaderName(config)),
          { name: 'host_config.h', content: hostConfig },
        ],
      },
    },
  );
  const words = run.descriptors.flatMap((d) =>
    entryWords(layouts.descriptor, topDescriptorToStream(config, d).fields),
  );
  return inWorkDir(models, new Array<number>(run.depth).fill(0), async (work) => {
    writeFileSync(
      join(work, 'descriptors.hex'),
      `${words.map((w) => w.toString(16).padStart(8, '0')).join('\n')}\n`,
    );
    const plusargs = [
      ...windowArgs({
        writeWindow: [run.resBase, run.resBase + run.resSize * layouts.result.bytes],
        stall: run.stall,
        seed: run.seed,
      }),
      '+desc_file=descriptors.hex',
      '+results_file=results.hex',
      `+count=${run.descriptors.length}`,
      `+desc_base=${run.descBase}`,
      `+desc_size=${run.descSize}`,
      `+res_base=${run.resBase}`,
      `+res_size=${run.resSize}`,
      '+cycles=50000000',
    ];
    const { output: log, ok } = await runProgram(binary, plusargs, work);
    const failures = [
      ...problems(log, models, /HOST status=-?\d+ /),
      ...(ok ? [] : [`the host harness failed:\n${log.slice(-2000)}`]),
    ];
    const report = log.split('\n').filter((line) => line.startsWith('HOST '));
    const status = Number(/HOST status=(-?\d+) /.exec(log)?.[1] ?? Number.NaN);
    const resultsFile = join(work, 'results.hex');
    if (!existsSync(resultsFile)) return { results: [], failures, report, status };
    const all = hexWords(readFileSync(resultsFile, 'utf8'));
    const per = layouts.result.bytes / 4;
    const results = run.descriptors.map((_, i) =>
      entryFields(layouts.result, all.slice(i * per, (i + 1) * per)),
    );
    return { results, failures, report, status };
  });
}
