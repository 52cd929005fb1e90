import { it } from 'vitest';
import { writeFileSync, mkdirSync } from 'node:fs';
import { configWith } from './support/config';
import { socModule } from '../generator/modules/soc';
import { collectModules } from '../generator/modules';
import { renderModule } from '../generator/render/design';
it('x', () => {
  for (const p of ['tiny', 'fpga'] as const) {
    const r = configWith(p);
    mkdirSync(`/tmp/soc/${p}`, { recursive: true });
    for (const m of collectModules([socModule(r.config)]))
      writeFileSync(`/tmp/soc/${p}/${m.name}.v`, renderModule(m, r));
  }
});
