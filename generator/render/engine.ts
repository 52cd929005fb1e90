/**
 * The one Handlebars instance: noEscape (Verilog is not HTML) and strict (a missing view value is an
 * error, not an empty string). Templates stay logic-light; views compute every value.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import { registerHelpers } from './helpers';
import { wrapComments } from './columns';

export const TEMPLATE_DIR = fileURLToPath(new URL('../../templates', import.meta.url));

function createEngine(): typeof Handlebars {
  const engine = Handlebars.create();
  registerHelpers(engine);
  const partialDir = join(TEMPLATE_DIR, 'partials');
  for (const file of readdirSync(partialDir)
    .filter((f) => f.endsWith('.hbs'))
    .sort()) {
    engine.registerPartial(basename(file, '.hbs'), readFileSync(join(partialDir, file), 'utf8'));
  }
  return engine;
}

let engine: typeof Handlebars | undefined;
const compiled = new Map<string, Handlebars.TemplateDelegate>();

/** Renders `templates/<name>.hbs` (name includes the output extension, e.g. zero_compact.v). */
export function renderTemplate(name: string, context: object): string {
  return renderTemplateFile(join(TEMPLATE_DIR, `${name}.hbs`), context);
}

/** Renders a template file anywhere (testbench templates live with the harness in sim/harness). */
export function renderTemplateFile(path: string, context: object): string {
  engine ??= createEngine();
  let template = compiled.get(path);
  if (!template) {
    template = engine.compile(readFileSync(path, 'utf8'), { noEscape: true, strict: true });
    compiled.set(path, template);
  }
  // Collapse runs of blank lines left by block tags so output is tidy and stable.
  return wrapComments(
    template(context)
      .replace(/\n{3,}/g, '\n\n')
      .replace(/\s*$/, '\n'),
  );
}
