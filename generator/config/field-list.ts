/** Every leaf field of the config schema with its legal values, for tools that walk the space. */
import type { z } from 'zod';
import { type FieldDomain, fieldDomain } from './fields';
import { configSchema } from './schema';

export interface Field {
  /** Dotted key path, e.g. `fetcher.axiAddrBits`. */
  path: string;
  domain: FieldDomain;
}

/** Every leaf field of the schema, in schema order. */
export function configFields(): Field[] {
  const sections = configSchema.shape as Record<string, z.AnyZodObject>;
  return Object.entries(sections).flatMap(([section, schema]) =>
    Object.entries(schema.shape as Record<string, z.ZodTypeAny>).map(([key, field]) => ({
      path: `${section}.${key}`,
      domain: fieldDomain(field),
    })),
  );
}
