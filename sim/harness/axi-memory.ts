/**
 * Attaches the AXI4 read memory model (axi_memory.v) to a fetcher testbench: memory image files, the
 * model instance wired to the DUT's m_axi_* ports, and parsing of its end-of-run counter report.
 * Memory images are $readmemh text: one word per line; `readHexWords` reads such a file back with
 * file:line errors (for images given to the harness by hand).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ResolvedConfig } from '../../generator/config/load';
import { resetPortName } from '../../generator/dsl/builder';
import { InputError, clip, showValue } from '../../generator/errors';
import type { DramImage } from '../golden/fetcher';
import type { TestbenchAttachment } from './testbench';

export const AXI_MEMORY_FILE = fileURLToPath(new URL('./axi_memory.v', import.meta.url));

/** AXI signals between the fetcher's m_axi_* ports and the model's s_axi_* ports: [name, width]. */
function axiSignals(resolved: ResolvedConfig): [string, number][] {
  const f = resolved.config.fetcher;
  return [
    ['arvalid', 1],
    ['arready', 1],
    ['araddr', f.axiAddrBits],
    ['arlen', 8],
    ['arsize', 3],
    ['arburst', 2],
    ['arid', f.axiIdBits],
    ['rvalid', 1],
    ['rready', 1],
    ['rdata', f.axiDataBits],
    ['rresp', 2],
    ['rlast', 1],
    ['rid', f.axiIdBits],
  ];
}

export interface MemoryTiming {
  latencyMin: number;
  latencyMax: number;
  bytesPerCycle: number;
  /** Bursts the model accepts before holding ARREADY low. */
  queueDepth: number;
}

/** The model's default timing for a config: the nominal latency (or a spread around it) at the channel's share of peak. */
export function memoryTiming(resolved: ResolvedConfig, spread: boolean): MemoryTiming {
  const { fetcher: f, memory } = resolved.config;
  const latency = memory.latency;
  return {
    latencyMin: spread ? Math.max(1, Math.floor(latency / 2)) : latency,
    latencyMax: spread ? latency * 2 : latency,
    bytesPerCycle: memory.bytesPerCycle / f.channels,
    queueDepth: f.outstanding,
  };
}

/** $readmemh text of the image: data words and tags (plane in bits 1:0, SLVERR in bit 2). */
export function imageHex(resolved: ResolvedConfig, image: DramImage): { mem: string; tag: string } {
  const digits = resolved.config.fetcher.axiDataBits / 4;
  const mem = image.words.map((word) => word.toString(16).padStart(digits, '0')).join('\n');
  const tag = image.planeOf
    .map((plane, i) => ((plane & 3) | (image.error[i] ? 4 : 0)).toString(16))
    .join('\n');
  return { mem: `${mem}\n`, tag: `${tag}\n` };
}

const MODEL_OUTPUTS = new Set(['arready', 'rvalid', 'rdata', 'rresp', 'rlast', 'rid']);

/** One memory model per image, channel c wired to the DUT's c<c>_m_axi_* ports (see fetcher_channels). */
export function axiMemoryAttachment(
  resolved: ResolvedConfig,
  images: readonly DramImage[],
  timing: MemoryTiming,
): TestbenchAttachment {
  const f = resolved.config.fetcher;
  const signals = axiSignals(resolved);
  const reset = resetPortName(resolved.config);
  const lines: string[] = [];
  const connect: Record<string, string> = {};
  const dataFiles: Record<string, string> = {};
  images.forEach((image, c) => {
    const { mem, tag } = imageHex(resolved, image);
    dataFiles[`axi_mem${c}.hex`] = mem;
    dataFiles[`axi_tag${c}.hex`] = tag;
    const wire = (name: string) => `axi${c}_${name}`;
    for (const [name] of signals)
      connect[`c${c}_m_axi_${name}_${MODEL_OUTPUTS.has(name) ? 'i' : 'o'}`] = wire(name);
    lines.push(
      '',
      `  // ---- AXI4 read memory model of channel ${c} (sim/harness/axi_memory.v) ----`,
      ...signals.map(
        ([name, width]) => `  wire ${width > 1 ? `[${width - 1}:0] ` : ''}${wire(name)};`,
      ),
      '  axi_memory #(',
      `    .DataWidth(${f.axiDataBits}), .AddrWidth(${f.axiAddrBits}), .IdWidth(${f.axiIdBits}), .Depth(${image.words.length}),`,
      `    .LatencyMin(${timing.latencyMin}), .LatencyMax(${timing.latencyMax}), .BytesPerCycle(${timing.bytesPerCycle}),`,
      `    .QueueDepth(${timing.queueDepth}), .Channel(${c}), .MemFile("axi_mem${c}.hex"), .TagFile("axi_tag${c}.hex")`,
      `  ) u_axi_memory${c} (`,
      '    .clk_i(clk),',
      `    .rst_ni(${resolved.config.reset.activeLow ? reset : `!${reset}`}),`,
      ...signals.map(
        ([name]) => `    .s_axi_${name}_${MODEL_OUTPUTS.has(name) ? 'o' : 'i'}(${wire(name)}),`,
      ),
      // Everything expected has arrived for 16 cycles: the counters are final (the run ends at 32).
      '    .report_i(drain >= 16)',
      '  );',
    );
  });
  const checkLog = (log: string) => memoryProblems(log, images.length);
  return { files: [AXI_MEMORY_FILE], verilog: lines.join('\n'), connect, dataFiles, checkLog };
}

/** AXI rule violations the memory models saw (each a failure), and models whose report is missing. */
export function memoryProblems(log: string, channels: number): string[] {
  const problems: string[] = [];
  for (let c = 0; c < channels; c += 1) {
    const report = parseMemoryReport(log, c);
    const prefix = `AXIMEM channel=${c} violation: `;
    const seen = log.split('\n').filter((line) => line.startsWith(prefix));
    const count = report?.violations ?? seen.length;
    const first = seen[0]?.slice(prefix.length) ?? '(not printed)';
    if (count > 0)
      problems.push(`AXI channel ${c}: ${count} rule violation(s), the first: ${first}`);
    if (!report)
      problems.push(`AXI channel ${c}: no counter report from the memory model (ended early)`);
  }
  return problems;
}

export interface MemoryReport {
  /** Bytes read per plane tag 0..3. */
  planeBytes: number[];
  beats: number;
  bursts: number;
  errorBeats: number;
  violations: number;
}

/** Channel c's AXIMEM counter line from a simulation log, or undefined when the run ended before it. */
export function parseMemoryReport(log: string, channel = 0): MemoryReport | undefined {
  const match = new RegExp(
    `AXIMEM channel=${channel} plane0=(\\d+) plane1=(\\d+) plane2=(\\d+) plane3=(\\d+) beats=(\\d+) bursts=(\\d+) error_beats=(\\d+) violations=(\\d+)`,
  ).exec(log);
  if (!match) return undefined;
  const n = match.slice(1).map(Number);
  return {
    planeBytes: n.slice(0, 4),
    beats: n[4] ?? 0,
    bursts: n[5] ?? 0,
    errorBeats: n[6] ?? 0,
    violations: n[7] ?? 0,
  };
}

/**
 * Words of a $readmemh-style file of `width`-bit words: one hex word per line, blank lines and `//`
 * comments allowed. Every malformed line is reported as file:line.
 */
export function parseHexWords(text: string, file: string, width: number): bigint[] {
  const words: bigint[] = [];
  const problems: string[] = [];
  const digits = Math.ceil(width / 4);
  text.split('\n').forEach((raw, index) => {
    const line = raw.replace(/\/\/.*$/, '').trim();
    if (line === '') return;
    const where = `${file}:${index + 1}`;
    if (!/^[0-9a-fA-F_]+$/.test(line)) {
      problems.push(`${where}: ${showValue(line)} is not a hex word (digits 0-9, a-f)`);
      return;
    }
    const value = BigInt(`0x${line.replace(/_/g, '')}`);
    if (value >> BigInt(width) !== 0n) {
      problems.push(
        `${where}: ${clip(line)} does not fit in ${width} bits ` + `(at most ${digits} hex digits)`,
      );
      return;
    }
    words.push(value);
  });
  if (problems.length > 0) throw new InputError(problems);
  return words;
}

/** Reads a memory image given as a data file and a tag file (the formats axi_memory.v loads). */
export function readHexImage(
  resolved: ResolvedConfig,
  memFile: string,
  tagFile: string,
): DramImage {
  const words = parseHexWords(
    readFileSync(memFile, 'utf8'),
    memFile,
    resolved.config.fetcher.axiDataBits,
  );
  const tags = parseHexWords(readFileSync(tagFile, 'utf8'), tagFile, 3);
  if (tags.length !== words.length)
    throw new InputError(
      `${tagFile}: ${tags.length} tags for the ${words.length} words of ${memFile}`,
    );
  return {
    words,
    planeOf: tags.map((tag) => Number(tag & 3n)),
    error: tags.map((tag) => (tag & 4n) !== 0n),
  };
}
