/**
 * The generated host driver (`<prefix>driver.c`). In C alone: it builds with gcc -std=c99
 * -pedantic -Werror and with g++, links against a fake platform (a register file in an array),
 * and its checks and ring arithmetic hold (it refuses a window without the ID, hardware of another
 * config and bad rings; it queues only what fits; it reports errors and timeouts). In
 * co-simulation: the driver, built with gcc, runs decode steps on the Verilated shell through the
 * C++ harness with rings smaller than the batch, and every result it collects is golden-checked.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { socModule } from '../../generator/modules/soc';
import { registerMap } from '../../generator/soc/register-map';
import { ringLayouts } from '../../generator/soc/ring-layout';
import { renderSoftware } from '../../generator/soc/software';
import { runTop } from '../../sim/golden/top';
import { Rng } from '../../sim/harness/random';
import { runBatch } from '../../sim/harness/soc-batch';
import { headInDram } from '../../sim/harness/targets/fetcher';
import { randomSchedule, stepDescriptors } from '../../sim/harness/targets/top';
import { configWith } from '../support/config';
import { fuzzSeed } from '../support/fuzz';
import { availableSimulators } from '../support/simulators';
import { overlongLines } from '../../generator/render/columns';

const simulators = availableSimulators();

describe('the host driver in C', () => {
  const resolved = configWith('tiny');
  const config = resolved.config;
  const p = config.design.modulePrefix;
  const P = p.toUpperCase();
  const software = renderSoftware(resolved, [socModule(config)]);

  it('is within 100 columns at the longest prefix, and the same for the same config', () => {
    const longest = configWith('tiny', [`design.modulePrefix=${'a'.repeat(23)}_`]);
    const files = renderSoftware(longest, [socModule(longest.config)]);
    // The C files (the Markdown register map is tables: its rows are as long as they are).
    for (const file of [...software, ...files].filter((f) => /\.[ch]$/.test(f.path)))
      expect(overlongLines(file.path, file.content)).toEqual([]);
    expect(renderSoftware(resolved, [socModule(config)])).toEqual(software);
  });

  it('builds as C99 and C++, links, and checks the hardware and the rings', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spatten-driver-'));
    try {
      for (const file of software) writeFileSync(join(dir, file.path), file.content);
      // The fake platform: registers in an array; the driver's writes land there, a test sets
      // what the hardware would report.
      const program = [
        '#include <stdio.h>',
        `#include "${p}driver.h"`,
        'static uint32_t regs[1024];',
        'static unsigned irq_waits, synced;',
        'static uint32_t rd(void *c, uint32_t o) { (void)c; return regs[o / 4]; }',
        'static void wr(void *c, uint32_t o, uint32_t v) { (void)c; regs[o / 4] = v; }',
        'static void irq(void *c) { (void)c; irq_waits += 1; }',
        'static void sync_to(void *c, const void *q, size_t n) { (void)c; (void)q; synced += n; }',
        'static void sync_from(void *c, void *q, size_t n) { (void)c; (void)q; synced += n; }',
        `static ${p}descriptor_t desc[4];`,
        `static ${p}result_t res[3];`,
        `static ${p}descriptor_t batch[5];`,
        `static ${p}result_t out[5];`,
        'int main(void) {',
        '  uint32_t n;',
        '  int status;',
        `  ${p}dev_t dev = {{0, rd, wr, irq, sync_to, sync_from}, desc, 0x1000u, 4u,`,
        '                     res, 0x2000u, 3u, 0u, 0u};',
        `  printf("%d\\n", ${p}init(&dev));`,
        `  regs[${P}ID_OFFSET / 4] = ${P}ID_MAGIC_RESET;`,
        `  printf("%d\\n", ${p}init(&dev));`,
        ...registerMap(config)
          .filter((r) => r.name.startsWith('PARAM_'))
          .map((r) => `  regs[${P}${r.name}_OFFSET / 4] = ${P}${r.name}_RESET;`),
        '  dev.desc_size = 1u;',
        `  printf("%d\\n", ${p}init(&dev));`,
        '  dev.desc_size = 4u;',
        `  printf("%d\\n", ${p}init(&dev));`,
        `  printf("%x %u\\n", (unsigned)regs[${P}RES_BASE_LO_OFFSET / 4],`,
        `         (unsigned)regs[${P}RES_SIZE_OFFSET / 4]);`,
        // A ring of 4 holds 3: of 5 descriptors, 3 are queued, each made visible.
        `  printf("%u\\n", (unsigned)${p}submit(&dev, batch, 5u));`,
        `  printf("%u %u %x\\n", (unsigned)regs[${P}DESC_TAIL_OFFSET / 4], synced,`,
        `         (unsigned)regs[${P}CONTROL_OFFSET / 4]);`,
        // The shell wrote two results: both are collected and freed.
        `  regs[${P}RES_TAIL_OFFSET / 4] = 2u;`,
        // (Each call before its printf: the order arguments are evaluated in is unspecified.)
        `  n = ${p}collect(&dev, out, 5u);`,
        `  printf("%u %u\\n", (unsigned)n, (unsigned)regs[${P}RES_HEAD_OFFSET / 4]);`,
        // An error: its code, and DONE and ERROR cleared; nothing: a timeout after 5 waits.
        `  regs[${P}STATUS_OFFSET / 4] = ${P}STATUS_ERROR_MASK | (3u << 8);`,
        `  status = ${p}wait(&dev, 5u);`,
        `  printf("%d %x\\n", status, (unsigned)regs[${P}STATUS_OFFSET / 4]);`,
        `  regs[${P}STATUS_OFFSET / 4] = 0u;`,
        `  status = ${p}wait(&dev, 5u);`,
        `  printf("%d %u\\n", status, irq_waits);`,
        '  return 0;',
        '}',
        '',
      ].join('\n');
      writeFileSync(join(dir, 'main.c'), program);
      const descBytes = ringLayouts(config).descriptor.bytes;
      for (const [compiler, flags] of [
        ['gcc', ['-std=c99', '-Wall', '-Wextra', '-pedantic', '-Werror', '-x', 'c']],
        ['g++', ['-std=c++11', '-Wall', '-Wextra', '-Werror', '-x', 'c++']],
      ] as const) {
        const binary = join(dir, `main-${compiler}`);
        await execa(compiler, [...flags, 'main.c', `${p}driver.c`, '-o', binary], { cwd: dir });
        const { stdout } = await execa(binary);
        expect(stdout.split('\n'), compiler).toEqual([
          '-1', // no ID: E_ID
          '-2', // the ID, none of the parameters: E_PARAMS
          '-3', // a descriptor ring of one entry: E_RING
          '0',
          '2000 3',
          '3',
          `3 ${3 * descBytes} 101`, // DESC_TAIL, bytes made visible, START with IRQ_ENABLE
          '2 2',
          '3 6',
          '-4 5',
        ]);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

const HOST_CASES = [
  { name: 'tiny', resolved: configWith('tiny') },
  {
    name: 'tiny with another prefix and an active-high reset',
    resolved: configWith('tiny', ['design.modulePrefix=acc_', 'reset.activeLow=false']),
  },
];

describe.each(HOST_CASES)('the host driver on the shell at $name', ({ resolved }) => {
  const config = resolved.config;
  it.runIf(simulators.includes('verilator'))(
    'runs two decode steps through rings smaller than the batch, golden-checked (verilator)',
    async () => {
      const seed = fuzzSeed(`soc host ${config.design.modulePrefix}`);
      const rng = new Rng(seed);
      const head = headInDram(config, rng);
      const first = stepDescriptors(config, rng, head, randomSchedule(config, rng), 0);
      const second = stepDescriptors(config, rng, head, randomSchedule(config, rng), first.length);
      const descriptors = [...first, ...second];
      const golden = runTop(config, head.image, descriptors).results;
      const outcome = await runBatch(resolved, head, descriptors, golden, {
        host: 'c',
        simulator: 'verilator',
        descSize: rng.int(2, 5),
        resSize: rng.int(2, 5),
        stall: 200,
        seed,
        rng,
      });
      expect(outcome.failures.slice(0, 10), `seed ${seed}`).toEqual([]);
      expect(outcome.report[0], `seed ${seed}`).toMatch(
        new RegExp(`^HOST status=-?\\d+ results=${descriptors.length} `),
      );
    },
    600_000,
  );
});
