/** The config reference as Markdown, read from the schema's own descriptions (one source of truth). */
import { z } from 'zod';
import { presetInput } from './presets';
import { configSchema } from './schema';

function rows(schema: z.ZodTypeAny, path: string[], out: string[], defaults: unknown): void {
  if (schema instanceof z.ZodObject) {
    for (const [key, child] of Object.entries(schema.shape as Record<string, z.ZodTypeAny>)) {
      const value = (defaults as Record<string, unknown> | undefined)?.[key];
      rows(child, [...path, key], out, value);
    }
    return;
  }
  out.push(
    `| \`${path.join('.')}\` | ${schema.description ?? ''} | \`${JSON.stringify(defaults)}\` |`,
  );
}

export function configDocs(): string {
  const out = [
    '# Configuration reference',
    '',
    'Default values are those of preset `fpga`.',
    '',
    '| key | meaning, unit and legal range | fpga |',
    '|---|---|---|',
  ];
  rows(configSchema, [], out, presetInput('fpga'));
  return `${out.join('\n')}\n`;
}
