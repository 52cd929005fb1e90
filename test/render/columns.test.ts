import { describe, expect, it } from 'vitest';
import { PRESET_NAMES } from '../../generator/config/presets';
import { designModules } from '../../generator/modules';
import {
  MAX_COLUMNS,
  breakCode,
  overlongLines,
  wrapComments,
} from '../../generator/render/columns';
import { renderDesign } from '../../generator/render/design';
import { configWith } from '../support/config';

const words = (count: number) => Array.from({ length: count }, (_, i) => `word${i}`).join(' ');

describe('100 columns', () => {
  it('wraps a long comment line at its indentation and layout', () => {
    const lines = wrapComments(`    //   ${words(30)}`).split('\n');
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) {
      expect(line.length).toBeLessThanOrEqual(MAX_COLUMNS);
      expect(line.startsWith('    //   word')).toBe(true);
    }
    expect(
      lines
        .join(' ')
        .replace(/\s*\/\/\s*/g, ' ')
        .trim(),
    ).toBe(words(30));
  });

  it('moves a long trailing comment onto the lines above its code, and leaves short lines', () => {
    const code = '  reg [3:0] count_q;';
    const lines = wrapComments(`${code} // ${words(20)}\nshort; // kept`).split('\n');
    expect(lines.at(-2)).toBe(code);
    expect(lines.at(-1)).toBe('short; // kept');
    expect(lines.slice(0, -2).every((l) => l.startsWith('  // word'))).toBe(true);
  });

  it('never wraps a line whose // may sit in a string', () => {
    const line = `  initial $display("a // b ${words(20)}");`;
    expect(wrapComments(line)).toBe(line);
  });

  it('breaks a long declaration at spaces, hanging continuation lines', () => {
    const decl = `input  wire [${Array(20).fill('(Capacity + Lanes)').join(' * ')} - 1:0] n_i`;
    const broken = breakCode(decl, 2, 13, 1).split('\n');
    expect(broken.length).toBeGreaterThan(1);
    const spaced = (text: string) => text.replace(/\s+/g, ' ');
    expect(spaced(broken.join(' '))).toBe(spaced(decl));
    // The caller writes the first line after its indent; the others carry indent and hang.
    for (const [i, line] of broken.entries()) {
      expect((i === 0 ? 2 : 0) + line.length + 1).toBeLessThanOrEqual(MAX_COLUMNS);
      if (i > 0) expect(line.startsWith(' '.repeat(2 + 13))).toBe(true);
    }
  });

  it('names each overlong line', () => {
    expect(overlongLines('a.v', `ok\n${'x'.repeat(101)}`)).toEqual(['a.v:2: 101 columns']);
  });

  it.each(PRESET_NAMES)('holds for every emitted Verilog file at preset %s', (preset) => {
    const resolved = configWith(preset, []);
    const files = renderDesign(designModules(resolved.config), resolved);
    const verilog = files.filter((f) => f.path.endsWith('.v'));
    expect(verilog.length).toBeGreaterThan(10);
    expect(verilog.flatMap((f) => overlongLines(f.path, f.content))).toEqual([]);
  });
});
