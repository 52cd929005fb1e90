import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { evalExpr } from '../../generator/dsl/expr';
import { paramEnv } from '../../generator/dsl/check';
import { topModule } from '../../generator/modules/top';
import { overlongLines } from '../../generator/render/columns';
import { regsHeaderName, renderRegsHeader } from '../../generator/soc/c-header';
import { renderRegisterDoc } from '../../generator/soc/register-doc';
import { ID_MAGIC, registerMap } from '../../generator/soc/register-map';
import { type RingLayout, ringLayouts } from '../../generator/soc/ring-layout';
import type { ResolvedConfig } from '../../generator/config/load';
import { configWith } from '../support/config';
import { fuzzConfigs } from '../support/fuzz';

/** The presets, and legal configs drawn from the whole config space (a fresh seed each run). */
function cases(): { name: string; resolved: ResolvedConfig }[] {
  const presets = (['tiny', 'fpga', 'paper'] as const).map((preset) => ({
    name: `preset ${preset}`,
    resolved: configWith(preset),
  }));
  const drawn = fuzzConfigs('register map fuzz', 4);
  return [...presets, ...drawn];
}

describe.each(cases())('register map and rings at $name', ({ resolved }) => {
  const config = resolved.config;
  const map = registerMap(config);

  it('has word-aligned, distinct offsets and fields that fit 32 bits without overlapping', () => {
    const offsets = map.map((r) => r.offset);
    expect(new Set(offsets).size).toBe(offsets.length);
    for (const r of map) {
      expect(r.offset % 4, r.name).toBe(0);
      let used = 0n;
      for (const f of r.fields) {
        expect(f.lsb + f.width, `${r.name}.${f.name}`).toBeLessThanOrEqual(32);
        const bits = ((1n << BigInt(f.width)) - 1n) << BigInt(f.lsb);
        expect(used & bits, `${r.name}.${f.name} overlaps`).toBe(0n);
        used |= bits;
        expect(f.reset, `${r.name}.${f.name} reset`).toBeLessThan(2 ** f.width);
      }
    }
    const value = (name: string) => map.find((r) => r.name === name)?.fields[0]?.reset;
    expect(value('ID')).toBe(ID_MAGIC);
    expect(value('PARAM_HEAD_DIM')).toBe(config.model.headDim);
    expect(value('PARAM_CHANNELS')).toBe(config.fetcher.channels);
  });

  it("lays the ring entries out from spatten_top's descriptor and result fields", () => {
    const top = topModule(config);
    const env = paramEnv(top);
    const layouts = ringLayouts(config);
    const check = (layout: RingLayout, stream: string) => {
      const fields = top.streams.find((s) => s.name === stream)?.fields ?? [];
      expect(layout.fields.map((f) => [f.name, f.width])).toEqual(
        fields.map((f) => [f.name, evalExpr(f.width, env)]),
      );
      let next = 0;
      for (const f of layout.fields) {
        expect(f.word, f.name).toBe(next);
        expect(f.words, f.name).toBe(Math.ceil(f.width / 32));
        next += f.words;
      }
      expect(layout.bytes).toBeGreaterThanOrEqual(4 * next);
      expect(Math.log2(layout.bytes) % 1).toBe(0);
      expect(layout.bytes % (config.fetcher.axiDataBits / 8)).toBe(0);
    };
    check(layouts.descriptor, 'req');
    check(layouts.result, 'res');
  });

  it('renders a C header that gcc (C99) and g++ compile, with the offsets and sizes of the data', async () => {
    const header = renderRegsHeader(config, resolved.hash);
    expect(overlongLines(regsHeaderName(config), header)).toEqual([]);
    expect(renderRegsHeader(config, resolved.hash)).toBe(header);
    expect(renderRegisterDoc(config)).toContain(
      '| 0x000 | ID | MAGIC | 31:0 | const | 0x53504154 |',
    );
    const dir = mkdtempSync(join(tmpdir(), 'spatten-regs-'));
    writeFileSync(join(dir, regsHeaderName(config)), header);
    const p = config.design.modulePrefix;
    const P = p.toUpperCase();
    const layouts = ringLayouts(config);
    const members = (type: string, layout: RingLayout) =>
      layout.fields.map((f) => `  printf("%u\\n", (unsigned)offsetof(${type}, ${f.name}));`);
    const program = [
      '#include <stddef.h>',
      '#include <stdio.h>',
      `#include "${regsHeaderName(config)}"`,
      'int main(void) {',
      ...map.map((r) => `  printf("%u\\n", (unsigned)${P}${r.name}_OFFSET);`),
      `  printf("%u\\n", (unsigned)sizeof(${p}descriptor_t));`,
      ...members(`${p}descriptor_t`, layouts.descriptor),
      `  printf("%u\\n", (unsigned)sizeof(${p}result_t));`,
      ...members(`${p}result_t`, layouts.result),
      `  printf("%u\\n", (unsigned)${P}ID_MAGIC_RESET);`,
      '  return 0;',
      '}',
      '',
    ].join('\n');
    writeFileSync(join(dir, 'main.c'), program);
    const expected = [
      ...map.map((r) => r.offset),
      layouts.descriptor.bytes,
      ...layouts.descriptor.fields.map((f) => 4 * f.word),
      layouts.result.bytes,
      ...layouts.result.fields.map((f) => 4 * f.word),
      ID_MAGIC,
    ].join('\n');
    for (const [compiler, flags] of [
      ['gcc', ['-std=c99', '-Wall', '-Wextra', '-pedantic', '-Werror', '-x', 'c']],
      ['g++', ['-std=c++11', '-Wall', '-Wextra', '-Werror', '-x', 'c++']],
    ] as const) {
      const binary = join(dir, `main-${compiler}`);
      await execa(compiler, [...flags, 'main.c', '-o', binary], { cwd: dir });
      const { stdout } = await execa(binary);
      expect(stdout, compiler).toBe(expected);
    }
  }, 60_000);
});
