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
import { InputError } from '../../generator/errors';
import type { DramImage } from '../golden/fetcher';
import type { TestbenchAttachment } from './testbench';

export const AXI_MEMORY_FILE = fileURLToPath(new URL('./axi_memory.v', import.meta.url));

/** AXI signals between the fetcher's m_axi_* ports and the model's s_axi_* ports: [name, width]. */
function axiSignals(resolved: ResolvedConfig): [string, number][] {
  const f = resolved.config.fetcher;
  return [
    ['arvalid', 1], ['arready', 1], ['araddr', f.axiAddrBits], ['arlen', 8], ['arsize', 3], ['arburst', 2], ['arid', f.axiIdBits],
    ['rvalid', 1], ['rready', 1], ['rdata', f.axiDataBits], ['rresp', 2], ['rlast', 1], ['rid', f.axiIdBits],
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
  const f = resolved.config.fetcher;
  const latency = f.dramLatency;
  return {
    latencyMin: spread ? Math.max(1, Math.floor(latency / 2)) : latency,
    latencyMax: spread ? latency * 2 : latency,
    bytesPerCycle: f.dramBytesPerCycle / f.channels,
    queueDepth: f.outstanding,
  };
}

/** $readmemh text of the image: data words and tags (plane in bits 1:0, SLVERR in bit 2). */
export function imageHex(resolved: ResolvedConfig, image: DramImage): { mem: string; tag: string } {
  const digits = resolved.config.fetcher.axiDataBits / 4;
  const mem = image.words.map((word) => word.toString(16).padStart(digits, '0')).join('\n');
  const tag = image.planeOf.map((plane, i) => ((plane & 3) | (image.error[i] ? 4 : 0)).toString(16)).join('\n');
  return { mem: `${mem}\n`, tag: `${tag}\n` };
}

export function axiMemoryAttachment(resolved: ResolvedConfig, image: DramImage, timing: MemoryTiming): TestbenchAttachment {
  const f = resolved.config.fetcher;
  const { mem, tag } = imageHex(resolved, image);
  const signals = axiSignals(resolved);
  const reset = resetPortName(resolved.config);
  const declarations = signals.map(([name, width]) => `  wire ${width > 1 ? `[${width - 1}:0] ` : ''}axi_${name};`);
  const ports = signals.map(([name]) => `    .s_axi_${name}_${['arready', 'rvalid', 'rdata', 'rresp', 'rlast', 'rid'].includes(name) ? 'o' : 'i'}(axi_${name}),`);
  const verilog = [
    '',
    '  // ---- AXI4 read memory model (sim/harness/axi_memory.v) ----',
    ...declarations,
    '  axi_memory #(',
    `    .DataWidth(${f.axiDataBits}), .AddrWidth(${f.axiAddrBits}), .IdWidth(${f.axiIdBits}), .Depth(${image.words.length}),`,
    `    .LatencyMin(${timing.latencyMin}), .LatencyMax(${timing.latencyMax}), .BytesPerCycle(${timing.bytesPerCycle}),`,
    `    .QueueDepth(${timing.queueDepth}), .Channel(0), .MemFile("axi_mem.hex"), .TagFile("axi_tag.hex")`,
    '  ) u_axi_memory (',
    '    .clk_i(clk),',
    `    .rst_ni(${resolved.config.reset.activeLow ? reset : `!${reset}`}),`,
    ...ports,
    // Everything expected has arrived for 16 cycles: the counters are final (the run ends at 32).
    '    .report_i(drain >= 16)',
    '  );',
  ].join('\n');
  const connect = Object.fromEntries(
    signals.map(([name]) => [`m_axi_${name}_${['arready', 'rvalid', 'rdata', 'rresp', 'rlast', 'rid'].includes(name) ? 'i' : 'o'}`, `axi_${name}`]),
  );
  return { files: [AXI_MEMORY_FILE], verilog, connect, dataFiles: { 'axi_mem.hex': mem, 'axi_tag.hex': tag } };
}

export interface MemoryReport {
  /** Bytes read per plane tag 0..3. */
  planeBytes: number[];
  beats: number;
  bursts: number;
  errorBeats: number;
  violations: number;
}

/** The model's AXIMEM counter line from a simulation log, or undefined when the run ended before it. */
export function parseMemoryReport(log: string): MemoryReport | undefined {
  const match = /AXIMEM channel=\d+ plane0=(\d+) plane1=(\d+) plane2=(\d+) plane3=(\d+) beats=(\d+) bursts=(\d+) error_beats=(\d+) violations=(\d+)/.exec(log);
  if (!match) return undefined;
  const n = match.slice(1).map(Number);
  return { planeBytes: n.slice(0, 4), beats: n[4] ?? 0, bursts: n[5] ?? 0, errorBeats: n[6] ?? 0, violations: n[7] ?? 0 };
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
      problems.push(`${where}: "${line}" is not a hex word (digits 0-9, a-f)`);
      return;
    }
    const value = BigInt(`0x${line.replace(/_/g, '')}`);
    if (value >> BigInt(width) !== 0n) {
      problems.push(`${where}: ${line} does not fit in ${width} bits (at most ${digits} hex digits)`);
      return;
    }
    words.push(value);
  });
  if (problems.length > 0) throw new InputError(problems);
  return words;
}

/** Reads a memory image given as a data file and a tag file (the formats axi_memory.v loads). */
export function readHexImage(resolved: ResolvedConfig, memFile: string, tagFile: string): DramImage {
  const words = parseHexWords(readFileSync(memFile, 'utf8'), memFile, resolved.config.fetcher.axiDataBits);
  const tags = parseHexWords(readFileSync(tagFile, 'utf8'), tagFile, 3);
  if (tags.length !== words.length) throw new InputError(`${tagFile}: ${tags.length} tags for the ${words.length} words of ${memFile}`);
  return { words, planeOf: tags.map((tag) => Number(tag & 3n)), error: tags.map((tag) => (tag & 4n) !== 0n) };
}
