/**
 * System test of the integration shell: the testbench plays the host through AXI4-Lite only. The
 * descriptors of one decode step sit in a ring in memory, the K/V planes in the channels' memory
 * models; the host programs the rings, starts, waits for the interrupt, reads the status and the
 * counters, and clears DONE. Every result entry the shell wrote to memory is then checked against
 * the golden model, and the memory models check the AXI rules.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Config } from '../../generator/config/schema';
import { resetPortName } from '../../generator/dsl/builder';
import { paramEnv } from '../../generator/dsl/check';
import { verilatorLint } from '../../generator/flows/verilator';
import { checkNoLatches } from '../../generator/flows/yosys';
import { collectModules } from '../../generator/modules';
import { socModule } from '../../generator/modules/soc';
import { renderModule } from '../../generator/render/design';
import { registerMap } from '../../generator/soc/register-map';
import { entryFields, entryWords, ringLayouts } from '../../generator/soc/ring-layout';
import { runTop } from '../../sim/golden/top';
import { AXI_MEMORY_FILE, axiMemoryAttachment, memoryTiming } from '../../sim/harness/axi-memory';
import { type AxilStep, renderAxilTestbench } from '../../sim/harness/axil-testbench';
import { Rng } from '../../sim/harness/random';
import { runIcarus, runVerilator } from '../../sim/harness/run';
import { headInDram } from '../../sim/harness/targets/fetcher';
import {
  randomSchedule,
  stepDescriptors,
  topDescriptorToStream,
  topResultToStream,
} from '../../sim/harness/targets/top';
import { configWith } from '../support/config';
import { fuzzSeed } from '../support/fuzz';
import { availableSimulators } from '../support/simulators';

const RING_MEMORY_FILE = fileURLToPath(new URL('../../sim/harness/ring_memory.v', import.meta.url));
const simulators = availableSimulators();
/** Icarus is slow on the wide case's datapath: it runs there on Verilator only. */
const CASES = [
  { name: 'tiny', resolved: configWith('tiny'), simulators },
  {
    name: 'tiny with 256 elements of 32 bits (entries of two bursts)',
    simulators: simulators.filter((s) => s === 'verilator'),
    resolved: configWith('tiny', [
      'model.headDim=256',
      'datapath.outBits=32',
      'datapath.queryBits=32',
    ]),
  },
];

const offsetOf = (config: Config, name: string) => {
  const r = registerMap(config).find((reg) => reg.name === name);
  if (!r) throw new Error(`no register ${name}`);
  return r.offset;
};
const writeAt = (config: Config, name: string, data: number, rng: Rng): AxilStep => ({
  kind: 'write',
  address: offsetOf(config, name),
  data,
  strobes: 0xf,
  resp: 0,
  delays: [rng.int(0, 3), rng.int(0, 3), rng.int(0, 3)],
});
const readAt = (config: Config, name: string, data: number, rng: Rng): AxilStep => ({
  kind: 'read',
  address: offsetOf(config, name),
  data,
  resp: 0,
  delays: [rng.int(0, 3), rng.int(0, 3)],
});

/** The model's outputs among the ring signals (the rest are the shell's). */
const FROM_MEMORY = new Set(['arready', 'rvalid', 'rdata', 'rresp', 'rlast']);
const FROM_MEMORY_WRITE = new Set(['awready', 'wready', 'bvalid', 'bresp']);

/** The ring memory's signals: the shell's master, the signal, its width, driven by the model. */
function ringSignals(
  config: Config,
): { master: string; signal: string; width: number; fromMemory: boolean }[] {
  const a = config.fetcher.axiAddrBits;
  const read: [string, number][] = [
    ['arvalid', 1],
    ['arready', 1],
    ['araddr', a],
    ['arlen', 8],
    ['arsize', 3],
    ['arburst', 2],
    ['rvalid', 1],
    ['rready', 1],
    ['rdata', 32],
    ['rresp', 2],
    ['rlast', 1],
  ];
  const written: [string, number][] = [
    ['awvalid', 1],
    ['awready', 1],
    ['awaddr', a],
    ['awlen', 8],
    ['awsize', 3],
    ['awburst', 2],
    ['wvalid', 1],
    ['wready', 1],
    ['wdata', 32],
    ['wstrb', 4],
    ['wlast', 1],
    ['bvalid', 1],
    ['bready', 1],
    ['bresp', 2],
  ];
  return [
    ...read.map(([signal, width]) => ({
      master: 'm_axi_desc',
      signal,
      width,
      fromMemory: FROM_MEMORY.has(signal),
    })),
    ...written.map(([signal, width]) => ({
      master: 'm_axi_res',
      signal,
      width,
      fromMemory: FROM_MEMORY_WRITE.has(signal),
    })),
  ];
}

describe.each(CASES)('spatten_soc at $name', ({ resolved, simulators: caseSimulators }) => {
  const config = resolved.config;
  const soc = socModule(config);
  const sources = collectModules([soc]).map((m) => ({
    name: `${m.name}.v`,
    content: renderModule(m, resolved),
  }));
  const write = (name: string, data: number, rng: Rng) => writeAt(config, name, data, rng);
  const read = (name: string, data: number, rng: Rng) => readAt(config, name, data, rng);
  it.runIf(simulators.length === 2)(
    'is Verilator -Wall and Yosys latch clean',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'spatten-soc-lint-'));
      try {
        for (const s of sources) writeFileSync(join(dir, s.name), s.content);
        const lint = await verilatorLint(
          dir,
          sources.map((s) => s.name),
          soc.name,
        );
        expect(lint.ok, lint.output).toBe(true);
        const latches = await checkNoLatches(
          Object.fromEntries(sources.map((s) => [s.name, s.content])),
          soc.name,
        );
        expect(latches.ok, latches.log.slice(-2000)).toBe(true);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    300_000,
  );

  for (const simulator of caseSimulators) {
    it(`runs a decode step from memory through registers only, golden-checked (${simulator})`, async () => {
      const seed = fuzzSeed(`soc ${simulator}`);
      const rng = new Rng(seed);
      const head = headInDram(config, rng);
      const descriptors = stepDescriptors(config, rng, head, randomSchedule(config, rng), 0);
      const golden = runTop(config, head.image, descriptors).results;
      const layouts = ringLayouts(config);
      const count = descriptors.length;
      // The descriptor ring at 4 KB, the result ring on the next 4 KB boundary after it.
      const descBase = 0x1000;
      const descSize = count + 1;
      const resBase = descBase + Math.ceil((descSize * layouts.descriptor.bytes) / 0x1000) * 0x1000;
      const resSize = count + 2;
      const depth = (resBase + resSize * layouts.result.bytes) / 4;
      const memory = new Array<number>(depth).fill(0);
      descriptors.forEach((d, i) => {
        const words = entryWords(layouts.descriptor, topDescriptorToStream(config, d).fields);
        words.forEach((w, j) => {
          memory[(descBase + i * layouts.descriptor.bytes) / 4 + j] = w;
        });
      });
      const sum = (pick: (r: (typeof golden)[number]) => number) =>
        golden.reduce((total, r) => total + pick(r), 0);
      const steps: AxilStep[] = [
        read('ID', 0x53504154, rng),
        write('DESC_BASE_LO', descBase, rng),
        write('DESC_BASE_HI', 0, rng),
        write('DESC_SIZE', descSize, rng),
        write('RES_BASE_LO', resBase, rng),
        write('RES_BASE_HI', 0, rng),
        write('RES_SIZE', resSize, rng),
        write('DESC_TAIL', count, rng),
        // IRQ_ENABLE and START in one write.
        write('CONTROL', 0x101, rng),
        { kind: 'wait', signal: 'irq_o', cycles: 2_000_000 },
        read('STATUS', 0x2, rng),
        read('DESC_HEAD', count, rng),
        read('DESC_CONSUMED', count, rng),
        read('RES_TAIL', count, rng),
        read('REQUESTS_LO', count, rng),
        read('REQUESTS_HI', 0, rng),
        read(
          'KEY_BYTES_LO',
          sum((r) => r.keyBytes),
          rng,
        ),
        read(
          'LSB_BYTES_LO',
          sum((r) => r.lsbBytes),
          rng,
        ),
        read(
          'VALUE_BYTES_LO',
          sum((r) => r.valueBytes),
          rng,
        ),
        read(
          'REFETCHES_LO',
          sum((r) => (r.requant ? 1 : 0)),
          rng,
        ),
        write('STATUS', 0x2, rng),
        read('STATUS', 0, rng),
      ];
      const kv = axiMemoryAttachment(
        resolved,
        Array.from({ length: config.fetcher.channels }, () => head.image),
        memoryTiming(resolved, true),
      );
      const ring = ringSignals(config);
      const reset = resetPortName(config);
      const around = {
        verilog: [
          '  wire clk = clk_i;',
          '  integer drain = 0;',
          '  reg ring_dump = 0;',
          ...ring.map(
            ({ signal, width }) => `  wire ${width > 1 ? `[${width - 1}:0] ` : ''}ring_${signal};`,
          ),
          "  wire ring_arid, ring_awid;  // the shell's single-burst IDs",
          kv.verilog,
          `  ring_memory #(.AddrWidth(${config.fetcher.axiAddrBits}), .Depth(${depth})) u_ring (`,
          '    .clk_i(clk_i),',
          `    .rst_ni(${config.reset.activeLow ? reset : `!${reset}`}),`,
          ...ring.map(
            ({ signal, fromMemory }) =>
              `    .s_${signal}_${fromMemory ? 'o' : 'i'}(ring_${signal}),`,
          ),
          '    .dump_i(ring_dump)',
          '  );',
        ].join('\n'),
        connect: {
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
        },
        atEnd: ['drain = 100;', 'ring_dump = 1;', 'repeat (20) @(negedge clk_i);'],
      };
      const tb = renderAxilTestbench(
        soc,
        paramEnv(soc),
        config,
        steps,
        {
          outputs: { irq_o: 0 },
          pulses: {},
        },
        around,
      );
      const work = mkdtempSync(join(tmpdir(), 'spatten-soc-sim-'));
      try {
        for (const [name, content] of Object.entries(kv.dataFiles ?? {}))
          writeFileSync(join(work, name), content);
        writeFileSync(
          join(work, 'ring_mem.hex'),
          `${memory.map((w) => w.toString(16).padStart(8, '0')).join('\n')}\n`,
        );
        const all = [
          ...sources,
          { name: 'axi_memory.v', content: readFileSync(AXI_MEMORY_FILE, 'utf8') },
          { name: 'ring_memory.v', content: readFileSync(RING_MEMORY_FILE, 'utf8') },
          { name: 'tb.v', content: tb },
        ];
        const plusargs = [`+seed=${seed}`, '+stall=200'];
        const log =
          simulator === 'icarus'
            ? await runIcarus(work, all, plusargs)
            : await runVerilator(work, all, plusargs, false);
        const errors = log.split('\n').filter((line) => /^ERROR|violation:/.test(line));
        expect(errors.slice(0, 10), `seed ${seed}`).toEqual([]);
        expect(kv.checkLog?.(log) ?? [], `seed ${seed}`).toEqual([]);
        expect(log, `seed ${seed}`).toMatch(/RINGMEM violations=0/);
        expect(log, `seed ${seed}`).toMatch(/SUMMARY errors=0 cycles=\d+/);
        const dumped = readFileSync(join(work, 'ring_out.hex'), 'utf8')
          .split('\n')
          .filter((line) => /^[0-9a-fA-F]+$/.test(line.trim()))
          .map((line) => Number.parseInt(line, 16));
        golden.forEach((r, i) => {
          const at = (resBase + i * layouts.result.bytes) / 4;
          const words = dumped.slice(at, at + layouts.result.bytes / 4);
          expect(entryFields(layouts.result, words), `result ${i}, seed ${seed}`).toEqual(
            topResultToStream(config, r).fields,
          );
        });
      } finally {
        rmSync(work, { recursive: true, force: true });
      }
    }, 600_000);
  }
});
