/**
 * The memory system the accelerator is measured against: the AXI memory model of the testbenches
 * and benchmarks, and the DRAM of the performance model. No emitted module reads it (the fetcher
 * takes whatever its AXI ports deliver), so it stays out of the config hash the generated files
 * carry.
 */
import type { Rule } from '../rules';
import { sectionViolation } from '../violation';
import { intField, section } from '../fields';

export const memorySection = section(
  {
    bytesPerCycle: intField(
      1,
      4096,
      'Peak DRAM bandwidth of all fetcher channels together, bytes per cycle; the memory model ' +
        'gives each channel an equal share. A channel takes at most one beat per cycle, so above ' +
        'fetcher.channels x axiDataBits / 8 the ports, not the DRAM, are the limit.',
    ),
    latency: intField(
      1,
      1000,
      'DRAM read latency of the memory model, cycles from address to first data.',
    ),
  },
  'Memory model (not RTL): the DRAM the simulations, benchmarks and performance model assume.',
);

export const memoryPresets = {
  tiny: { memory: { bytesPerCycle: 8, latency: 8 } },
  fpga: { memory: { bytesPerCycle: 32, latency: 30 } },
  paper: { memory: { bytesPerCycle: 512, latency: 50 } },
} as const;

const violation = sectionViolation('memory');

export const memoryRules: Rule[] = [
  ({ memory, fetcher }) =>
    memory.bytesPerCycle % fetcher.channels === 0
      ? []
      : violation(
          'bytesPerCycle',
          memory.bytesPerCycle,
          `must be a multiple of fetcher.channels (${fetcher.channels}): each channel gets an equal share`,
        ),
];
