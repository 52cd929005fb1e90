/**
 * System tests of the integration shell: the testbench plays the host through AXI4-Lite only.
 * The descriptors sit in a ring in memory, the K/V planes in the channels' memory models; the host
 * programs the rings, starts, waits for the interrupt or polls STATUS, and reads the counters.
 * Every result entry the shell wrote is then checked against the golden model, the memory models
 * check the AXI rules, and the ring memory checks that the shell writes only inside the result
 * ring. The error paths (bad rings, a ring overflow, a full result ring, a malformed descriptor,
 * memory errors on either ring) run in one simulation, recovering between cases as software would.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verilatorLint } from '../../generator/flows/verilator';
import { checkNoLatches } from '../../generator/flows/yosys';
import { collectModules } from '../../generator/modules';
import { socModule } from '../../generator/modules/soc';
import { renderModule } from '../../generator/render/design';
import { type TopDescriptor, runTop } from '../../sim/golden/top';
import { Rng } from '../../sim/harness/random';
import { STATUS, errorCodeBits, ringPlan, runBatch } from '../../sim/harness/soc-batch';
import {
  goldenEntry,
  hostSteps,
  placeDescriptors,
  resultEntry,
  runSocSystem,
} from '../../sim/harness/soc-system';
import { headInDram } from '../../sim/harness/targets/fetcher';
import { randomSchedule, stepDescriptors } from '../../sim/harness/targets/top';
import { configWith } from '../support/config';
import { fuzzSeed } from '../support/fuzz';
import { availableSimulators } from '../support/simulators';

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
const STALL = 200;
const { BUSY, DONE, ERROR, RES_FULL } = STATUS;
const code = errorCodeBits;

describe.each(CASES)('spatten_soc at $name', ({ resolved, simulators: caseSimulators }) => {
  const config = resolved.config;
  const soc = socModule(config);
  it.runIf(simulators.length === 2)(
    'is Verilator -Wall and Yosys latch clean',
    async () => {
      const sources = collectModules([soc]).map((m) => ({
        name: `${m.name}.v`,
        content: renderModule(m, resolved),
      }));
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
      const outcome = await runBatch(resolved, head, descriptors, golden, {
        host: 'verilog',
        simulator,
        descSize: descriptors.length + 1,
        resSize: descriptors.length + 2,
        stall: STALL,
        seed,
        rng,
      });
      expect(outcome.failures.slice(0, 10), `seed ${seed}`).toEqual([]);
    }, 600_000);
  }
});

describe('spatten_soc on bad software input and memory errors', () => {
  const resolved = configWith('tiny');
  const config = resolved.config;
  for (const simulator of simulators) {
    it(`says which in STATUS, never hangs, writes only the result ring (${simulator})`, async () => {
      const seed = fuzzSeed(`soc errors ${simulator}`);
      const rng = new Rng(seed);
      const head = headInDram(config, rng);
      const step = stepDescriptors(config, rng, head, randomSchedule(config, rng), 0);
      // Three requests of a step, then a malformed one: a new step of no tokens.
      const first = step[0] as TopDescriptor;
      const malformed: TopDescriptor = { ...first, first: true, tokens: 0 };
      const descriptors = [...step.slice(0, 3), malformed];
      const golden = runTop(config, head.image, descriptors).results;
      const { descBase, resBase, end } = ringPlan(config, 4, 2);
      // A faulty 4 KB block after the rings: either ring is moved there to provoke an error.
      const fault: [number, number] = [end, end + 0x1000];
      const memory = new Array<number>((end + 0x1000) / 4).fill(0);
      placeDescriptors(config, memory, descBase, descriptors);
      const { write, read, poll } = hostSteps(config, rng);
      const clear = write('STATUS', DONE | ERROR);
      const softReset = write('CONTROL', 0x4);
      const steps = [
        // A ring of one entry: BAD_RING, nothing starts.
        write('DESC_BASE_LO', descBase),
        write('DESC_SIZE', 1),
        write('RES_BASE_LO', resBase),
        write('RES_SIZE', 2),
        write('CONTROL', 0x1),
        poll('STATUS', ERROR, ERROR),
        read('STATUS', ERROR | code(1)),
        clear,
        // A misaligned result ring: BAD_RING too.
        write('DESC_SIZE', 4),
        write('RES_BASE_LO', resBase + 4),
        write('CONTROL', 0x1),
        poll('STATUS', ERROR, ERROR),
        read('STATUS', ERROR | code(1)),
        clear,
        write('RES_BASE_LO', resBase),
        // DESC_TAIL beyond the ring: DESC_OVERFLOW, nothing read or written.
        write('DESC_TAIL', 4),
        write('CONTROL', 0x1),
        poll('STATUS', ERROR, ERROR),
        read('STATUS', ERROR | code(2)),
        read('DESC_HEAD', 0),
        read('RES_TAIL', 0),
        clear,
        // A result ring of two entries holds one: the shell waits with RES_FULL while software
        // has not read it, and resumes as RES_HEAD advances.
        write('DESC_TAIL', 3),
        write('CONTROL', 0x1),
        poll('STATUS', RES_FULL, RES_FULL),
        poll('RES_TAIL', 0xffffffff, 1),
        read('STATUS', BUSY | RES_FULL),
        read('DESC_HEAD', 1),
        write('RES_HEAD', 1),
        poll('RES_TAIL', 0xffffffff, 0),
        poll('STATUS', RES_FULL, RES_FULL),
        write('RES_HEAD', 0),
        poll('STATUS', DONE, DONE),
        read('STATUS', DONE),
        read('DESC_HEAD', 3),
        read('REQUESTS_LO', 3),
        clear,
        // The malformed descriptor: its error result is written, then DESC_INVALID.
        write('RES_HEAD', 1),
        write('DESC_TAIL', 0),
        write('CONTROL', 0x1),
        poll('STATUS', DONE | ERROR, DONE | ERROR),
        read('STATUS', DONE | ERROR | code(5)),
        read('DESC_HEAD', 0),
        read('RES_TAIL', 0),
        clear,
        // The descriptor ring in faulty memory: DESC_READ, the descriptor dropped, nothing written.
        softReset,
        write('RES_HEAD', 0),
        write('DESC_BASE_LO', fault[0]),
        write('DESC_SIZE', 2),
        write('DESC_TAIL', 1),
        write('CONTROL', 0x1),
        poll('STATUS', DONE | ERROR, DONE | ERROR),
        read('STATUS', DONE | ERROR | code(3)),
        read('DESC_CONSUMED', 1),
        read('RES_TAIL', 0),
        clear,
        // The result ring in faulty memory: RESULT_WRITE once the first result is answered.
        softReset,
        write('DESC_BASE_LO', descBase),
        write('DESC_SIZE', 4),
        write('DESC_TAIL', 1),
        write('RES_BASE_LO', fault[0]),
        write('CONTROL', 0x1),
        poll('STATUS', DONE | ERROR, DONE | ERROR),
        read('STATUS', DONE | ERROR | code(4)),
        read('DESC_HEAD', 1),
        clear,
        read('STATUS', code(4)),
      ];
      const outcome = await runSocSystem(resolved, simulator, head, {
        steps,
        memory,
        writeWindow: [resBase, fault[1]],
        faultWindow: fault,
        stall: STALL,
        seed,
      });
      expect(outcome.failures.slice(0, 10), `seed ${seed}`).toEqual([]);
      // The full-ring case left result 2 in entry 0; the malformed descriptor's went to entry 1.
      expect(resultEntry(config, outcome.memory, resBase, 0), `seed ${seed}`).toEqual(
        goldenEntry(config, golden[2] as (typeof golden)[number]),
      );
      const invalid = golden[3] as (typeof golden)[number];
      expect(invalid.error).toBe(true);
      expect(resultEntry(config, outcome.memory, resBase, 1), `seed ${seed}`).toEqual(
        goldenEntry(config, invalid),
      );
    }, 600_000);
  }
});
