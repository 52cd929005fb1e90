import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { checkDesignDir, saveSynthReport } from '../../generator/commands/synth-out';
import { designModules } from '../../generator/modules';
import { renderDesign } from '../../generator/render/design';
import { renderWaveSvg } from '../../generator/render/docs/wave-svg';
import { writeOutputDir } from '../../generator/render/write';
import { configWith, problemsOf } from '../support/config';

const resolved = configWith('tiny');
const modules = designModules(resolved.config);
const files = renderDesign(modules, resolved);
const topk = modules.find((m) => m.stem === 'topk');
if (!topk) throw new Error('tiny design has no topk');

describe('module docs', () => {
  it('one Markdown page and one handshake SVG per module', () => {
    for (const module of modules) {
      expect(
        files.some((f) => f.path === `${module.name}.md`),
        module.name,
      ).toBe(true);
      const svg = files.find((f) => f.path === `${module.name}.handshake.svg`)?.content ?? '';
      expect(XMLValidator.validate(svg), module.name).toBe(true);
    }
  });

  it('lists every parameter with its value and every port with its resolved width', () => {
    const page = files.find((f) => f.path === `${topk.name}.md`)?.content ?? '';
    for (const param of topk.params)
      expect(page).toContain(`| \`${param.name}\` | ${param.value} |`);
    for (const port of topk.ports)
      expect(page).toContain(`| \`${port.name}\` | ${port.direction} |`);
    expect(page).toContain('| `in_data_i` | input | 32 | `Lanes * ValueWidth` |');
    expect(page).toContain(`![handshake](${topk.name}.handshake.svg)`);
    expect(page).toContain('Not synthesized in this output folder');
  });

  it('the handshake diagram draws every stream signal of the module', () => {
    const svg = files.find((f) => f.path === `${topk.name}.handshake.svg`)?.content ?? '';
    for (const port of topk.ports.filter((p) => p.bundle))
      expect(svg).toContain(`>${port.name}</text>`);
  });
});

describe('wave renderer', () => {
  it('draws one path per cycle, labels data values and escapes names', () => {
    const svg = renderWaveSvg('a<b', [
      { name: 'x&y', wave: 'p..' },
      { name: 'd', wave: 'x=.=', data: ['A', 'B'] },
    ]);
    expect(XMLValidator.validate(svg)).toBe(true);
    expect(svg).toContain('a&lt;b');
    expect(svg).toContain('>x&amp;y</text>');
    expect(svg.match(/class="d">[AB]</g)).toEqual(['class="d">A<', 'class="d">B<']);
    expect(svg.match(/<path d="M\d+ \d+ V\d+ H\d+ V\d+ H\d+" class="w"\/>/g)).toHaveLength(3);
  });
});

describe('synth reports kept beside a design', () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'spatten-docs-')), 'tiny');
  writeOutputDir(dir, 'design', files);
  const report = {
    target: 'ice40',
    tool: { name: 'yowasp-yosys', version: '0' },
    cells: 10,
    luts: 7,
    ffs: 3,
    brams: 1,
    dsps: 0,
    lutLevels: 3,
    logicDepth: 4,
    fmaxEstMHz: 120.5,
    fmaxMHz: 99.5,
  };

  it('refreshes the Resources table of the module page', () => {
    checkDesignDir(dir, resolved);
    saveSynthReport(dir, resolved, topk, report);
    saveSynthReport(dir, resolved, topk, {
      ...report,
      target: 'generic',
      fmaxEstMHz: null,
      fmaxMHz: null,
    });
    const page = readFileSync(join(dir, `${topk.name}.md`), 'utf8');
    expect(page).toContain('| generic | 10 | 7 | 3 | 1 | 0 | 3 | 4 | - | - | yowasp-yosys 0 |');
    expect(page).toContain(
      '| ice40 | 10 | 7 | 3 | 1 | 0 | 3 | 4 | 120.5 | 99.5 | yowasp-yosys 0 |',
    );
    expect(JSON.parse(readFileSync(join(dir, `synth/${topk.name}.ice40.json`), 'utf8'))).toEqual(
      report,
    );
  });

  it('refuses a folder of another config or without a design', () => {
    const other = configWith('tiny', ['design.clockMHz=50']);
    expect(problemsOf(() => checkDesignDir(dir, other))).toEqual([
      `--out ${dir}: holds config ${resolved.hash}, not ${other.hash} (give the same --preset/--config/--set as generate)`,
    ]);
    expect(problemsOf(() => checkDesignDir(tmpdir(), resolved))[0]).toContain(
      'no manifest.json there',
    );
  });
});
