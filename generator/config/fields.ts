/**
 * Reusable zod field builders. Every field carries its documentation (meaning, unit, legal range) in
 * `.describe()`, which `spatten config docs` turns into the reference table, and its own error message
 * naming what is allowed.
 */
import { z } from 'zod';

/** The legal values of one field as its builder states them, for tools that walk the config space. */
export type FieldDomain =
  | { kind: 'int' | 'powerOfTwo' | 'number'; min: number; max: number }
  | { kind: 'boolean' }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'text' };

const domains = new WeakMap<z.ZodTypeAny, FieldDomain>();

function withDomain<T extends z.ZodTypeAny>(schema: T, domain: FieldDomain): T {
  domains.set(schema, domain);
  return schema;
}

/** The domain of a field built here; text fields (regex-checked strings) are `text`. */
export function fieldDomain(schema: z.ZodTypeAny): FieldDomain {
  return domains.get(schema) ?? { kind: 'text' };
}

export function intField(min: number, max: number, doc: string) {
  const schema = z
    .number({ invalid_type_error: `must be an integer from ${min} to ${max}` })
    .int({ message: `must be an integer from ${min} to ${max}` })
    .min(min, { message: `must be an integer from ${min} to ${max}` })
    .max(max, { message: `must be an integer from ${min} to ${max}` })
    .describe(`${doc} Integer, ${min}..${max}.`);
  return withDomain(schema, { kind: 'int', min, max });
}

export function isPowerOfTwo(value: number): boolean {
  return Number.isInteger(value) && value > 0 && (value & (value - 1)) === 0;
}

export function powerOfTwoField(min: number, max: number, doc: string) {
  const message = `must be a power of two from ${min} to ${max}`;
  const schema = z
    .number({ invalid_type_error: message })
    .refine((value) => isPowerOfTwo(value) && value >= min && value <= max, { message })
    .describe(`${doc} Power of two, ${min}..${max}.`);
  return withDomain(schema, { kind: 'powerOfTwo', min, max });
}

export function numberField(min: number, max: number, doc: string) {
  const message = `must be a number from ${min} to ${max}`;
  const schema = z
    .number({ invalid_type_error: message })
    .min(min, { message })
    .max(max, { message })
    .describe(`${doc} Number, ${min}..${max}.`);
  return withDomain(schema, { kind: 'number', min, max });
}

export function booleanField(doc: string) {
  const schema = z
    .boolean({ invalid_type_error: 'must be true or false' })
    .describe(`${doc} Boolean.`);
  return withDomain(schema, { kind: 'boolean' });
}

export function enumField<const T extends readonly [string, ...string[]]>(values: T, doc: string) {
  const schema = z
    .enum(values, { errorMap: () => ({ message: `must be one of ${values.join(', ')}` }) })
    .describe(`${doc} One of: ${values.join(', ')}.`);
  return withDomain(schema, { kind: 'enum', values });
}

/** A Verilog-2005 identifier (or prefix of one): letters, digits, underscore, not starting with a digit. */
export const VERILOG_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function section<T extends z.ZodRawShape>(shape: T, doc: string) {
  return z.object(shape).strict().describe(doc);
}
