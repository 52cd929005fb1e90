/**
 * A batch of descriptors through the integration shell, by either host: the Verilog AXI4-Lite
 * testbench (any simulator; the batch must fit the rings: it programs them, starts, waits for the
 * interrupt and checks STATUS and the counters against the golden results) or the generated C
 * driver in the C++ harness (Verilator; rings of any size: the driver refills and drains them).
 * Either way every result is compared with the golden model's.
 */
import type { ResolvedConfig } from '../../generator/config/load';
import type { Config } from '../../generator/config/schema';
import { ID_MAGIC } from '../../generator/soc/register-map';
import { ringLayouts } from '../../generator/soc/ring-layout';
import type { TopDescriptor, TopResult } from '../golden/top';
import type { AxilStep } from './axil-testbench';
import type { Rng } from './random';
import type { Simulator } from './run';
import {
  goldenEntry,
  hostSteps,
  placeDescriptors,
  resultEntry,
  runSocHost,
  runSocSystem,
} from './soc-system';
import type { HeadInDram } from './targets/fetcher';

export type SocHost = 'verilog' | 'c';
export const SOC_HOSTS: readonly SocHost[] = ['verilog', 'c'];

// STATUS bits and the error code of a bad descriptor (the register map's layout).
export const STATUS = { BUSY: 0x1, DONE: 0x2, ERROR: 0x4, RES_FULL: 0x8 } as const;
export const errorCodeBits = (code: number) => code << 8;
const DESC_INVALID = 5;

/** Where the rings sit: 4 KB-aligned blocks after one another, each rounded up to 4 KB. */
export function ringPlan(config: Config, descEntries: number, resEntries: number) {
  const layouts = ringLayouts(config);
  const blocks = (bytes: number) => Math.ceil(bytes / 0x1000) * 0x1000;
  const descBase = 0x1000;
  const resBase = descBase + blocks(descEntries * layouts.descriptor.bytes);
  const end = resBase + blocks(resEntries * layouts.result.bytes);
  return { descBase, resBase, end };
}

/** The Verilog host's program for a batch that fits the rings, checked against `golden`. */
function batchSteps(
  config: Config,
  rng: Rng,
  rings: { descBase: number; descSize: number; resBase: number; resSize: number },
  golden: readonly TopResult[],
): AxilStep[] {
  const count = golden.length;
  const sum = (pick: (r: TopResult) => number) => golden.reduce((t, r) => t + pick(r), 0);
  const { write, read, poll } = hostSteps(config, rng);
  const { DONE, ERROR } = STATUS;
  // A bad descriptor of the batch (an error result) is flagged; the queue goes on.
  const invalid = golden.some((r) => r.error) ? ERROR | errorCodeBits(DESC_INVALID) : 0;
  return [
    read('ID', ID_MAGIC),
    write('DESC_BASE_LO', rings.descBase),
    write('DESC_BASE_HI', 0),
    write('DESC_SIZE', rings.descSize),
    write('RES_BASE_LO', rings.resBase),
    write('RES_BASE_HI', 0),
    write('RES_SIZE', rings.resSize),
    write('DESC_TAIL', count),
    // IRQ_ENABLE and START in one write.
    write('CONTROL', 0x101),
    // The interrupt rises at DONE, or earlier at a bad descriptor's ERROR: then poll for DONE.
    { kind: 'wait', signal: 'irq_o', cycles: 200_000 * count },
    poll('STATUS', DONE, DONE),
    read('STATUS', DONE | invalid),
    read('DESC_HEAD', count),
    read('DESC_CONSUMED', count),
    read('RES_TAIL', count),
    read('REQUESTS_LO', count),
    read('REQUESTS_HI', 0),
    read(
      'KEY_BYTES_LO',
      sum((r) => r.keyBytes),
    ),
    read(
      'LSB_BYTES_LO',
      sum((r) => r.lsbBytes),
    ),
    read(
      'VALUE_BYTES_LO',
      sum((r) => r.valueBytes),
    ),
    read(
      'REFETCHES_LO',
      sum((r) => (r.requant ? 1 : 0)),
    ),
    write('STATUS', DONE | ERROR),
    read('STATUS', invalid & ~ERROR),
  ];
}

export interface BatchOptions {
  host: SocHost;
  simulator: Simulator;
  /** Ring entries; the Verilog host needs descSize > count and resSize > count. */
  descSize: number;
  resSize: number;
  /** Cycles (per mille) each memory handshake is withheld. */
  stall: number;
  seed: number;
  rng: Rng;
  /** Verilog host only: write a VCD of the run here. */
  waves?: string;
}

export interface BatchOutcome {
  /** Every way the run differed from the golden model or broke a protocol rule. */
  failures: string[];
  /** The C host's report lines (empty for the Verilog host). */
  report: string[];
  cycles: number;
}

export async function runBatch(
  resolved: ResolvedConfig,
  head: HeadInDram,
  descriptors: readonly TopDescriptor[],
  golden: readonly TopResult[],
  options: BatchOptions,
): Promise<BatchOutcome> {
  const config = resolved.config;
  const { descSize, resSize, stall, seed } = options;
  const { descBase, resBase, end } = ringPlan(config, descSize, resSize);
  const mismatches = (results: readonly Record<string, bigint>[]) =>
    golden.flatMap((r, i) => {
      const want = goldenEntry(config, r);
      const got = results[i];
      const wrong = Object.keys(want).filter((f) => got?.[f] !== want[f]);
      return wrong.length > 0 ? [`result ${i}: ${wrong.join(', ')} differ from the golden`] : [];
    });
  if (options.host === 'c') {
    if (options.simulator !== 'verilator') throw new Error('the C host runs on Verilator only');
    if (options.waves) throw new Error('the C host writes no waves');
    const out = await runSocHost(resolved, head, {
      descriptors,
      descBase,
      descSize,
      resBase,
      resSize,
      depth: end / 4,
      stall,
      seed,
    });
    const expected = golden.some((r) => r.error) ? DESC_INVALID : 0;
    const status = out.status === expected ? [] : [`the driver returned ${out.status}`];
    const cycles = Number(/cycles=(\d+)/.exec(out.report[0] ?? '')?.[1] ?? 0);
    return {
      failures: [...out.failures, ...status, ...mismatches(out.results)],
      report: out.report,
      cycles,
    };
  }
  if (descSize <= golden.length || resSize <= golden.length)
    throw new Error('the Verilog host needs rings larger than the batch');
  const memory = new Array<number>(end / 4).fill(0);
  placeDescriptors(config, memory, descBase, descriptors);
  const outcome = await runSocSystem(resolved, options.simulator, head, {
    steps: batchSteps(config, options.rng, { descBase, descSize, resBase, resSize }, golden),
    memory,
    writeWindow: [resBase, end],
    outputs: { irq_o: 0 },
    stall,
    seed,
    ...(options.waves ? { waves: options.waves } : {}),
  });
  const results = golden.map((_, i) => resultEntry(config, outcome.memory, resBase, i));
  return {
    failures: [...outcome.failures, ...mismatches(results)],
    report: [],
    cycles: outcome.cycles,
  };
}
