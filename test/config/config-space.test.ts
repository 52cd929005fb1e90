/**
 * The config-space fuzz without tools: raw draws over every field's whole range hit every
 * cross-field rule, repair accepts most draws (so the RTL fuzz is not vacuous), repaired configs
 * are legal, a draw pinned to each end of every range repairs around it, and these configs generate
 * (the IR checker included). Each run draws a fresh seed (printed); SPATTEN_FUZZ_SEED=N reproduces.
 */
import { describe, expect, it } from 'vitest';
import { configHash, validateConfig } from '../../generator/config/load';
import { RULES } from '../../generator/config/rules';
import type { Config } from '../../generator/config/schema';
import { designModules } from '../../generator/modules';
import { renderDesign } from '../../generator/render/design';
import { drawRawConfigs, endDraws, repairConfig } from '../../sim/fuzz/config-space';
import { violations } from '../../sim/fuzz/config-space';
import { fuzzSeed } from '../support/fuzz';

const DRAWS = 400;
/** Rendering costs ~0.1 s per config: a quarter of the draws keeps the test within seconds. */
const GENERATED = 100;
const seed = fuzzSeed('config space');
const raws = drawRawConfigs('full', seed, DRAWS);
const repaired = raws.map((raw) => repairConfig(raw, 'full'));
const accepted = repaired.flatMap((r) => ('config' in r ? [r.config] : []));
const ends = endDraws('full', seed);

function valueAt(config: Config, path: string): unknown {
  const [section, key] = path.split('.') as [keyof Config, string];
  return (config[section] as Record<string, unknown>)[key];
}

describe(`config space (seed ${seed}, ${DRAWS} draws)`, () => {
  it('raw draws violate every cross-field rule at least once', () => {
    const hits = RULES.map(() => 0);
    for (const hit of raws.flatMap(violations)) hits[hit.rule] = (hits[hit.rule] ?? 0) + 1;
    const missed = hits.flatMap((count, rule) => (count === 0 ? [rule] : []));
    expect(missed, `rules (index in RULES) never violated, seed ${seed}`).toEqual([]);
  });

  it('repair accepts most draws, and every accepted config passes the schema and the rules', () => {
    const blocked = repaired.flatMap((r) => ('blocked' in r ? [r.blocked] : []));
    const reasons = blocked.slice(0, 5).map((v) => `${v.path}: ${v.message}`);
    const why = `seed ${seed}; blocked by: ${reasons.join('; ')}`;
    expect(accepted.length, why).toBeGreaterThanOrEqual(DRAWS * 0.8);
    for (const config of accepted) expect(() => validateConfig(config as never)).not.toThrow();
  });

  it('a draw pinned to each end of every range and each choice is repaired around it', () => {
    const missed = ends.flatMap(({ path, end, repair }) =>
      'config' in repair && valueAt(repair.config, path) === end ? [] : [`${path}=${String(end)}`],
    );
    expect(missed, `seed ${seed}`).toEqual([]);
  });

  it(`the first ${GENERATED} accepted configs and the end draws generate and render`, () => {
    const endConfigs = ends.flatMap(({ repair }) => ('config' in repair ? [repair.config] : []));
    const failures = [...accepted.slice(0, GENERATED), ...endConfigs].flatMap((config, i) => {
      try {
        renderDesign(designModules(config), { config, preset: 'tiny', hash: configHash(config) });
        return [];
      } catch (error) {
        return [`draw ${i}: ${(error as Error).message.split('\n')[0]}`];
      }
    });
    expect(failures, `seed ${seed}`).toEqual([]);
  });
});
