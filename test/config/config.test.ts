import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { derive } from '../../generator/config/derive';
import { resolveConfig } from '../../generator/config/load';
import { PRESET_NAMES } from '../../generator/config/presets';
import { problemsOf } from '../support/config';

const scratch = mkdtempSync(join(tmpdir(), 'spatten-config-'));
function file(name: string, text: string): string {
  const path = join(scratch, name);
  writeFileSync(path, text);
  return path;
}

describe('presets', () => {
  it.each(PRESET_NAMES)('%s validates and derives widths', (preset) => {
    const { config, hash } = resolveConfig({ preset });
    expect(config.design.name).toBe(preset);
    expect(hash).toMatch(/^[0-9a-f]{12}$/);
    const ze = derive(config).zeroEliminator;
    expect(ze.inBeatBits).toBe(config.zeroEliminator.lanes * config.zeroEliminator.dataBits);
    expect(2 ** ze.stages).toBe(config.zeroEliminator.lanes);
  });

  it('the default preset is fpga and the hash follows the content', () => {
    expect(resolveConfig().preset).toBe('fpga');
    expect(resolveConfig({ preset: 'tiny' }).hash).toBe(resolveConfig({ preset: 'tiny' }).hash);
    expect(resolveConfig({ preset: 'tiny', sets: ['zeroEliminator.dataBits=9'] }).hash).not.toBe(
      resolveConfig({ preset: 'tiny' }).hash,
    );
  });
});

describe('field validation', () => {
  it('reports every bad field at once with key path, value and what is allowed', () => {
    const problems = problemsOf(() =>
      resolveConfig({
        preset: 'tiny',
        sets: [
          'zeroEliminator.lanes=6',
          'design.modulePrefix=9x',
          'model.headDim=abc',
          'reset.style=both',
        ],
      }),
    );
    expect(problems).toEqual([
      'config: design.modulePrefix = "9x": must be a Verilog identifier prefix ([A-Za-z_][A-Za-z0-9_]*)',
      'config: reset.style = "both": must be one of sync, async',
      'config: model.headDim = "abc": must be a power of two from 8 to 256',
      'config: zeroEliminator.lanes = 6: must be a power of two from 1 to 64',
    ]);
  });

  it('rejects unknown keys and names the allowed ones', () => {
    expect(problemsOf(() => resolveConfig({ sets: ['zeroEliminator.width=3'] }))).toEqual([
      'config: zeroEliminator.width: unknown key (allowed: lanes, dataBits, pack, outLanes)',
    ]);
  });

  it('rejects wrong types and out-of-range integers', () => {
    expect(problemsOf(() => resolveConfig({ sets: ['zeroEliminator.dataBits=0'] }))).toEqual([
      'config: zeroEliminator.dataBits = 0: must be an integer from 1 to 64',
    ]);
    expect(problemsOf(() => resolveConfig({ sets: ['zeroEliminator.pack=yes please'] }))).toEqual([
      'config: zeroEliminator.pack = "yes please": must be true or false',
    ]);
  });
});

describe('cross-field rules', () => {
  it('outLanes must equal lanes without packing', () => {
    expect(
      problemsOf(() =>
        resolveConfig({
          preset: 'tiny',
          sets: ['zeroEliminator.pack=false', 'zeroEliminator.outLanes=8'],
        }),
      ),
    ).toEqual([
      'config: zeroEliminator.outLanes = 8: must equal zeroEliminator.lanes (4) when pack is false',
    ]);
  });

  it('outLanes must be at least lanes with packing', () => {
    expect(
      problemsOf(() => resolveConfig({ preset: 'tiny', sets: ['zeroEliminator.outLanes=2'] })),
    ).toEqual([
      'config: zeroEliminator.outLanes = 2: must be at least zeroEliminator.lanes (4) when pack is true',
    ]);
  });
});

describe('config sources', () => {
  it('merges a YAML file over its preset, then --set over the file', () => {
    const path = file('ok.yaml', 'preset: tiny\nzeroEliminator:\n  dataBits: 10\n');
    const { config, preset } = resolveConfig({
      configFile: path,
      sets: ['zeroEliminator.lanes=8', 'zeroEliminator.outLanes=8'],
    });
    expect(preset).toBe('tiny');
    expect(config.zeroEliminator).toEqual({ lanes: 8, dataBits: 10, pack: true, outLanes: 8 });
  });

  it('resolves a few YAML aliases (only an alias bomb is refused)', () => {
    const text = 'preset: tiny\nzeroEliminator:\n  dataBits: &bits 8\ntopk:\n  valueBits: *bits\n';
    const path = file('alias.yaml', text);
    expect(resolveConfig({ configFile: path }).config.topk.valueBits).toBe(8);
  });

  it('reads JSON files', () => {
    const path = file('ok.json', '{ "zeroEliminator": { "dataBits": 7 } }');
    expect(resolveConfig({ configFile: path }).config.zeroEliminator.dataBits).toBe(7);
  });

  it('reports syntax errors as file:line', () => {
    const path = file('bad.yaml', 'zeroEliminator:\n  lanes: 4\n  lanes: 8\n');
    expect(problemsOf(() => resolveConfig({ configFile: path }))[0]).toMatch(
      new RegExp(`^${path}:3: `),
    );
  });

  it('rejects unreadable files, unknown extensions and non-mappings', () => {
    expect(problemsOf(() => resolveConfig({ configFile: join(scratch, 'nope.yaml') }))).toEqual([
      `${join(scratch, 'nope.yaml')}: cannot read config file (ENOENT)`,
    ]);
    const txt = file('c.txt', 'a: 1');
    expect(problemsOf(() => resolveConfig({ configFile: txt }))).toEqual([
      `${txt}: config file must end in .yaml, .yml or .json (got ".txt")`,
    ]);
    const list = file('list.yaml', '- 1\n- 2\n');
    expect(problemsOf(() => resolveConfig({ configFile: list }))).toEqual([
      `${list}:1: config file must hold a mapping of sections (got [1,2])`,
    ]);
  });

  it('rejects unknown presets and malformed --set', () => {
    expect(problemsOf(() => resolveConfig({ preset: 'huge' }))).toEqual([
      'preset "huge": unknown preset (allowed: tiny, fpga, paper)',
    ]);
    expect(problemsOf(() => resolveConfig({ sets: ['lanes'] }))).toEqual([
      '--set "lanes": expected key.path=value, e.g. zeroEliminator.lanes=8',
    ]);
    expect(problemsOf(() => resolveConfig({ sets: ['zeroEliminator.lanes.x=1'] }))).toEqual([
      '--set zeroEliminator.lanes.x=1: zeroEliminator.lanes is not a config section (allowed sections: lanes, dataBits, pack, outLanes)',
    ]);
    expect(problemsOf(() => resolveConfig({ sets: ['zeroEliminator=1'] }))).toEqual([
      '--set zeroEliminator=1: zeroEliminator is a section; set one of its keys (lanes, dataBits, pack, outLanes)',
    ]);
  });
});
