/** Design-wide settings: naming, clock, reset style and the attention problem size. */
import { z } from 'zod';
import {
  VERILOG_IDENTIFIER,
  booleanField,
  enumField,
  intField,
  numberField,
  powerOfTwoField,
  section,
} from '../fields';

export const designSection = section(
  {
    name: z
      .string({ invalid_type_error: 'must be a string of lower-case letters, digits, "-" or "_"' })
      .regex(/^[a-z][a-z0-9_-]{0,39}$/, {
        message:
          'must start with a lower-case letter and contain only a-z, 0-9, "-" or "_" (at most 40 characters)',
      })
      .describe(
        'Design name: the default output folder, the FuseSoC core name and the constraint file names. Text, [a-z][a-z0-9_-]*.',
      ),
    modulePrefix: z
      .string({ invalid_type_error: 'must be a Verilog identifier prefix' })
      .regex(VERILOG_IDENTIFIER, {
        message: 'must be a Verilog identifier prefix ([A-Za-z_][A-Za-z0-9_]*)',
      })
      .max(24, { message: 'must be at most 24 characters' })
      .describe('Prefix of every emitted module name. Verilog identifier, at most 24 characters.'),
    clockMHz: numberField(
      1,
      2000,
      'Target clock frequency in MHz, used for constraints and for reporting time.',
    ),
  },
  'Design-wide naming and clock.',
);

export const resetSection = section(
  {
    style: enumField(['sync', 'async'] as const, 'Reset kind of every register with a reset.'),
    activeLow: booleanField(
      'Reset polarity: true gives port rst_ni (active low), false gives rst_i (active high).',
    ),
  },
  'Reset style, implemented once in the register-block partial.',
);

export const modelSection = section(
  {
    headDim: powerOfTwoField(8, 256, 'Head dimension D: elements per query, key and value row.'),
    maxTokens: intField(1, 65536, 'Longest context (tokens per request) the hardware holds.'),
  },
  'Size of the attention problem the accelerator is built for.',
);

/** Preset values of the sections above (DESIGN §7). */
export const corePresets = {
  tiny: {
    design: { name: 'tiny', modulePrefix: 'spatten_', clockMHz: 100 },
    reset: { style: 'sync', activeLow: true },
    model: { headDim: 8, maxTokens: 64 },
  },
  fpga: {
    design: { name: 'fpga', modulePrefix: 'spatten_', clockMHz: 200 },
    reset: { style: 'sync', activeLow: true },
    model: { headDim: 64, maxTokens: 2048 },
  },
  paper: {
    design: { name: 'paper', modulePrefix: 'spatten_', clockMHz: 1000 },
    reset: { style: 'async', activeLow: true },
    model: { headDim: 64, maxTokens: 2048 },
  },
} as const;
