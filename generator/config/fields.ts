/**
 * Reusable zod field builders. Every field carries its documentation (meaning, unit, legal range) in
 * `.describe()`, which `spatten config docs` turns into the reference table, and its own error message
 * naming what is allowed.
 */
import { z } from 'zod';

export function intField(min: number, max: number, doc: string) {
  return z
    .number({ invalid_type_error: `must be an integer from ${min} to ${max}` })
    .int({ message: `must be an integer from ${min} to ${max}` })
    .min(min, { message: `must be an integer from ${min} to ${max}` })
    .max(max, { message: `must be an integer from ${min} to ${max}` })
    .describe(`${doc} Integer, ${min}..${max}.`);
}

export function isPowerOfTwo(value: number): boolean {
  return Number.isInteger(value) && value > 0 && (value & (value - 1)) === 0;
}

export function powerOfTwoField(min: number, max: number, doc: string) {
  const message = `must be a power of two from ${min} to ${max}`;
  return z
    .number({ invalid_type_error: message })
    .refine((value) => isPowerOfTwo(value) && value >= min && value <= max, { message })
    .describe(`${doc} Power of two, ${min}..${max}.`);
}

export function numberField(min: number, max: number, doc: string) {
  const message = `must be a number from ${min} to ${max}`;
  return z
    .number({ invalid_type_error: message })
    .min(min, { message })
    .max(max, { message })
    .describe(`${doc} Number, ${min}..${max}.`);
}

export function booleanField(doc: string) {
  return z.boolean({ invalid_type_error: 'must be true or false' }).describe(`${doc} Boolean.`);
}

export function enumField<const T extends readonly [string, ...string[]]>(values: T, doc: string) {
  return z
    .enum(values, { errorMap: () => ({ message: `must be one of ${values.join(', ')}` }) })
    .describe(`${doc} One of: ${values.join(', ')}.`);
}

/** A Verilog-2005 identifier (or prefix of one): letters, digits, underscore, not starting with a digit. */
export const VERILOG_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function section<T extends z.ZodRawShape>(shape: T, doc: string) {
  return z.object(shape).strict().describe(doc);
}
