/**
 * `spatten config docs` says which emitted modules each field reaches; the figures are measured
 * (generator/render/docs/field-reach.ts). These tests hold the measurement to what the sections
 * claim: the model sections reach no RTL, the core's derived units follow the fields that reach
 * them, and every field was measured.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { configDocs } from '../../generator/config/docs';
import { PRESET_NAMES } from '../../generator/config/presets';
import { type FieldReach, fieldReach, reachText } from '../../generator/render/docs/field-reach';

describe('field reach at every preset', () => {
  let reach: Map<string, FieldReach>;
  beforeAll(() => {
    reach = new Map(fieldReach(PRESET_NAMES).map((field) => [field.path, field]));
  });
  const modulesOf = (path: string) => reach.get(path)?.modules;

  it('measures every field with at least one legal move', () => {
    const unmeasured = [...reach.values()].filter((field) => field.moves.length === 0);
    expect(unmeasured.map((field) => field.path)).toEqual([]);
  });

  it('finds no module reached by the memory model or the performance model calibration', () => {
    const model = [...reach.values()].filter((f) => /^(memory|perfModel)\./.test(f.path));
    expect(model.length).toBeGreaterThan(0);
    for (const field of model) expect(field.modules, field.path).toEqual([]);
  });

  it('moves tied fields with a partner: key bits with a plane width', () => {
    const keyBits = reach.get('datapath.keyBits');
    expect(Object.keys(keyBits?.moves[0] ?? {})).toHaveLength(2);
    expect(keyBits?.modules).toEqual(expect.arrayContaining(['qk_array', 'attention_core']));
  });

  it('separates the standalone units from the instances the core derives', () => {
    expect(modulesOf('topk.parallelism')).toEqual(['quick_select', 'topk']);
    expect(modulesOf('softmax.capacity')).toEqual(['softmax']);
    expect(modulesOf('topk.radixBits')).toEqual(
      expect.arrayContaining(['topk', 'attention_core', 'top']),
    );
    expect(modulesOf('softmax.lanes')).toEqual(
      expect.arrayContaining(['softmax', 'attention_core', 'top']),
    );
  });

  it('gives every row of the reference a reach cell', () => {
    const table = configDocs(reachText([...reach.values()]))
      .split('\n')
      .filter((line) => line.startsWith('| `'));
    expect(table).toHaveLength(reach.size);
    for (const row of table) expect(row).toMatch(/ \| (no module|every module|`[a-z_]+`.*) \|$/);
  });
});
