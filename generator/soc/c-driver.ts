/**
 * `<prefix>driver.h` and `<prefix>driver.c`: the host driver of the integration shell, rendered
 * from templates/software with the design's prefix and the generated parameters it checks the
 * hardware against (the PARAM_* registers of the header), so a driver built for one config
 * refuses hardware generated from another.
 */
import type { Config } from '../config/schema';
import { renderTemplate } from '../render/engine';
import type { OutputFile } from '../render/design';
import { GENERATOR_NAME, GENERATOR_VERSION } from '../version';
import { regsHeaderName } from './c-header';
import { registerMap } from './register-map';

export function renderDriver(config: Config, configHash: string): OutputFile[] {
  const p = config.design.modulePrefix;
  const P = p.toUpperCase();
  const view = {
    p,
    P,
    header: regsHeaderName(config),
    generatedBy: `${GENERATOR_NAME} ${GENERATOR_VERSION} from config ${configHash}`,
    params: registerMap(config)
      .filter((r) => r.name.startsWith('PARAM_'))
      .map((r) => ({ offset: `${P}${r.name}_OFFSET`, value: `${P}${r.name}_RESET` })),
  };
  return ['h', 'c'].map((ext) => ({
    path: `${p}driver.${ext}`,
    content: renderTemplate(`software/driver.${ext}`, view),
  }));
}
