import { it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { configWith } from './support/config';
import { socRegsModule } from '../generator/modules/soc-regs';
import { renderModule } from '../generator/render/design';
it('x', () => {
  for (const p of ['tiny', 'fpga'] as const) {
    const r = configWith(p);
    writeFileSync(`/tmp/regs/spatten_soc_regs_${p}.v`, renderModule(socRegsModule(r.config), r));
  }
});
