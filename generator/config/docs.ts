/** The config reference as Markdown, read from the schema's own descriptions (one source of truth). */
import { z } from 'zod';
import { presetInput } from './presets';
import { configSchema } from './schema';

/** Per key path, the emitted modules a field reaches (as text for the table). */
export type ReachText = ReadonlyMap<string, string>;

function rows(
  schema: z.ZodTypeAny,
  path: string[],
  out: string[],
  defaults: unknown,
  reach: ReachText,
): void {
  if (schema instanceof z.ZodObject) {
    for (const [key, child] of Object.entries(schema.shape as Record<string, z.ZodTypeAny>)) {
      const value = (defaults as Record<string, unknown> | undefined)?.[key];
      rows(child, [...path, key], out, value, reach);
    }
    return;
  }
  const key = path.join('.');
  const cells = [`\`${key}\``, schema.description ?? '', `\`${JSON.stringify(defaults)}\``];
  out.push(`| ${[...cells, reach.get(key) ?? ''].join(' | ')} |`);
}

/**
 * The reference table; `reach` (measured by generator/render/docs/field-reach.ts, a layer above
 * this one) fills the column of the modules each field reaches.
 */
export function configDocs(reach: ReachText): string {
  const out = [
    '# Configuration reference',
    '',
    'Default values are those of preset `fpga`. The last column names the emitted modules whose',
    'Verilog a field changes at any preset, measured at tiny, fpga and paper by moving the field',
    'alone to its legal neighbouring values (with one partner field where the rules tie them): a',
    'field of a unit section that reaches only that unit sizes the standalone unit, and the',
    'attention core and top derive their own instance of it (ARCHITECTURE.md).',
    '',
    '| key | meaning, unit and legal range | fpga | reaches |',
    '|---|---|---|---|',
  ];
  rows(configSchema, [], out, presetInput('fpga'), reach);
  return `${out.join('\n')}\n`;
}
