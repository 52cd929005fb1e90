/**
 * Runs one co-simulation: renders the DUT and its testbench, writes the input vectors, builds with Icarus
 * or Verilator (cached), runs, and parses the transaction log. Comparing against the golden model is
 * the caller's job (compare.ts), at transaction level.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, basename } from 'node:path';
import type { ResolvedConfig } from '../../generator/config/load';
import type { ModuleIR } from '../../generator/dsl/ir';
import { iverilogCompile } from '../../generator/flows/iverilog';
import { runProgram, runTool } from '../../generator/flows/tools';
import { type SourceFile, verilatorBuild } from '../../generator/flows/verilator';
import { collectModules } from '../../generator/modules';
import { renderModule } from '../../generator/render/design';
import { writeOutputFile } from '../../generator/render/write';
import { type TestbenchAttachment, dutEnv, renderTestbench, streamLayout } from './testbench';
import { type StreamBeat, beatWidth, decodeBeat, encodeBeat, toHexLines } from './vectors';

export type { StreamBeat } from './vectors';
export type Simulator = 'icarus' | 'verilator';
export const SIMULATORS: readonly Simulator[] = ['icarus', 'verilator'];

export interface SimRequest {
  resolved: ResolvedConfig;
  top: ModuleIR;
  /** Verilog parameter overrides of the DUT. */
  params?: Record<string, number>;
  inputs: Record<string, StreamBeat[]>;
  /** Beats expected per output stream; the run ends 32 cycles after all arrived (to catch extras). */
  expectBeats: Record<string, number>;
  simulator: Simulator;
  seed: number;
  /** Probability (0..0.95) that a stream stalls (valid or ready low) in a cycle. */
  stall: number;
  maxCycles?: number;
  /** Path to write a VCD of the run to. */
  waves?: string;
  constants?: Record<string, bigint>;
  extra?: TestbenchAttachment;
}

export interface OutputRecord {
  beat: StreamBeat;
  cycle: number;
}

export interface SimResult {
  status: 'pass' | 'timeout' | 'protocol';
  problems: string[];
  outputs: Record<string, OutputRecord[]>;
  inputAccepted: Record<string, number[]>;
  cycles: number;
  /** Simulator output, for diagnosis. */
  log: string;
}

/** Rendered modules plus attachments; an attached file named like a module file replaces that module. */
function designSources(request: SimRequest, testbench: string): SourceFile[] {
  const attached = (request.extra?.files ?? []).map((file) => ({
    name: basename(file),
    content: readFileSync(file, 'utf8'),
  }));
  const replaced = new Set(attached.map((file) => file.name));
  const sources = collectModules([request.top])
    .filter((module) => !replaced.has(`${module.name}.v`))
    .map((module) => ({
      name: `${module.name}.v`,
      content: renderModule(module, request.resolved),
    }));
  sources.push(...attached);
  sources.push({ name: 'tb.v', content: testbench });
  return sources;
}

export async function runIcarus(
  workDir: string,
  sources: SourceFile[],
  plusargs: string[],
): Promise<string> {
  for (const source of sources) writeFileSync(join(workDir, source.name), source.content);
  const compiled = await iverilogCompile(
    workDir,
    sources.map((s) => s.name),
    'tb',
    'sim.vvp',
  );
  if (!compiled.ok) throw new Error(`iverilog failed:\n${compiled.output}`);
  return (await runTool('vvp', ['-n', 'sim.vvp', ...plusargs], workDir)).output;
}

export async function runVerilator(
  workDir: string,
  sources: SourceFile[],
  plusargs: string[],
  waves: boolean,
): Promise<string> {
  const binary = await verilatorBuild(sources, 'tb', { waves });
  return (await runProgram(binary, plusargs, workDir)).output;
}

export async function runSimulation(request: SimRequest): Promise<SimResult> {
  const params = request.params ?? {};
  const env = dutEnv(request.top, params);
  const inStreams = request.top.streams.filter((s) => s.direction === 'in');
  const outStreams = request.top.streams.filter((s) => s.direction === 'out');
  for (const name of Object.keys(request.inputs)) {
    if (!inStreams.some((s) => s.name === name))
      throw new Error(`${request.top.name} has no input stream ${name}`);
  }
  const testbench = renderTestbench({
    resolved: request.resolved,
    top: request.top,
    params,
    inputCounts: Object.fromEntries(
      inStreams.map((s) => [s.name, request.inputs[s.name]?.length ?? 0]),
    ),
    constants: request.constants ?? {},
    extra: request.extra,
  });
  const sources = designSources(request, testbench);
  const workDir = mkdtempSync(join(tmpdir(), 'spatten-sim-'));
  try {
    for (const [name, content] of Object.entries(request.extra?.dataFiles ?? {}))
      writeFileSync(join(workDir, name), content);
    const plusargs = [
      `+seed=${request.seed}`,
      `+stall=${Math.round(request.stall * 1000)}`,
      `+max_cycles=${request.maxCycles ?? 200000}`,
    ];
    inStreams.forEach((stream, index) => {
      const layout = streamLayout(stream, env);
      const beats = request.inputs[stream.name] ?? [];
      const words = beats.map((beat, i) => encodeBeat(layout, beat, `${stream.name} beat ${i}`));
      writeFileSync(join(workDir, `in${index}.hex`), toHexLines(words, beatWidth(layout)));
      plusargs.push(`+in${index}_count=${beats.length}`);
    });
    outStreams.forEach((stream, index) => {
      plusargs.push(`+out${index}_expect=${request.expectBeats[stream.name] ?? 0}`);
    });
    if (request.waves) plusargs.push('+waves');

    const log =
      request.simulator === 'icarus'
        ? await runIcarus(workDir, sources, plusargs)
        : await runVerilator(workDir, sources, plusargs, request.waves !== undefined);
    if (request.waves) {
      writeOutputFile(request.waves, 'waves', readFileSync(join(workDir, 'waves.vcd')), '--waves');
    }
    const summary = /SUMMARY status=(\w+) cycles=(\d+) errors=(\d+)/.exec(log);
    if (!summary) throw new Error(`simulation ended without a SUMMARY line:\n${log.slice(-3000)}`);

    const outputs: Record<string, OutputRecord[]> = Object.fromEntries(
      outStreams.map((s) => [s.name, []]),
    );
    const inputAccepted: Record<string, number[]> = Object.fromEntries(
      inStreams.map((s) => [s.name, []]),
    );
    const problems: string[] = [];
    const layouts = outStreams.map((s) => streamLayout(s, env));
    for (const line of readFileSync(join(workDir, 'run.log'), 'utf8').split('\n')) {
      const [kind, indexText, cycleText, rest] = line.split(' ', 4);
      const index = Number(indexText);
      if (kind === 'O') {
        const stream = outStreams[index] as (typeof outStreams)[number];
        const layout = layouts[index] as (typeof layouts)[number];
        const digits = rest ?? '';
        // Unknown bits (x/z) in an accepted beat are a failure; they decode as 0 so the rest still compares.
        if (/[xz]/i.test(digits))
          problems.push(
            `${stream.name}: beat at cycle ${cycleText} has unknown (x/z) bits: ${digits}`,
          );
        const word = BigInt(`0x${digits.replace(/[xz]/gi, '0')}`);
        outputs[stream.name]?.push({ beat: decodeBeat(layout, word), cycle: Number(cycleText) });
      } else if (kind === 'I') {
        inputAccepted[inStreams[index]?.name ?? '']?.push(Number(cycleText));
      } else if (kind === 'P') {
        problems.push(
          `protocol: stream ${outStreams[index]?.name} cycle ${cycleText}: ${line.split(' ').slice(3).join(' ')}`,
        );
      }
    }
    const status = summary[1] as SimResult['status'];
    if (status === 'timeout') problems.push(`timeout after ${summary[2]} cycles (watchdog)`);
    if (Number(summary[3]) > 0 && !problems.some((p) => p.startsWith('protocol:'))) {
      problems.push(`protocol: ${summary[3]} stream rule violation(s) counted by the testbench`);
    }
    problems.push(...(request.extra?.checkLog?.(log) ?? []));
    for (const stream of outStreams) {
      const got = outputs[stream.name]?.length ?? 0;
      const expected = request.expectBeats[stream.name] ?? 0;
      if (got > expected)
        problems.push(
          `${stream.name}: ${got - expected} extra beat(s) after the expected ${expected}`,
        );
    }
    return { status, problems, outputs, inputAccepted, cycles: Number(summary[2]), log };
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}
