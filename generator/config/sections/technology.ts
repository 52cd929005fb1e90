/**
 * Energy per event for the estimates of `spatten replay` and `spatten sweep` (sim/perf/energy.ts).
 * No emitted module reads them, so they stay out of the config hash the generated files carry.
 *
 * Two named sets, both from the 45 nm per-operation energies of M. Horowitz, "Computing's energy
 * problem (and what we can do about it)", ISSCC 2014 (0.9 V): integer add 8 bit 0.03 pJ, 32 bit
 * 0.1 pJ; integer multiply 8 bit 0.2 pJ, 32 bit 3.1 pJ; SRAM read of 64 bits 10 pJ (8 KB), 20 pJ
 * (32 KB), 100 pJ (1 MB); DRAM 1.3-2.6 nJ per 64-bit access. They differ in the DRAM:
 * - `ddr45` (presets tiny, fpga): Horowitz's DRAM at its low end, 1.3 nJ / 64 bits = 20 pJ/bit;
 * - `hbm45` (preset paper, whose 512 GB/s is HBM class): 3.9 pJ/bit, the HBM2 access energy of
 *   M. O'Connor et al., "Fine-Grained DRAM", MICRO 2017.
 */
import { numberField, section } from '../fields';

export const technologySection = section(
  {
    addPjPerBit: numberField(
      0,
      10,
      'Energy of an integer add per bit of width, pJ (45 nm: 0.1 pJ / 32 bits, 0.03 pJ / 8 bits; Horowitz, ISSCC 2014).',
    ),
    multiplyPjPerBit2: numberField(
      0,
      10,
      'Energy of an integer multiply per bit of one operand times bit of the other, pJ (45 nm: 3.1 pJ at 32 x 32, 0.2 pJ at 8 x 8: about 0.003 pJ per bit pair; Horowitz, ISSCC 2014).',
    ),
    sramPjPer64Bits: numberField(
      0,
      1000,
      'Energy of reading (or writing) 64 bits of an 8 KB SRAM, pJ (45 nm: 10 pJ; Horowitz, ISSCC 2014). Larger arrays cost more by technology.sramSizeExponent.',
    ),
    sramSizeExponent: numberField(
      0,
      1,
      'How SRAM access energy grows with the array: (size / 8 KB)^exponent (0.5 fits Horowitz: 10 pJ at 8 KB, 20 pJ at 32 KB, 100 pJ at 1 MB gives 0.46). Arrays under 8 KB cost the 8 KB figure.',
    ),
    dramPjPerBit: numberField(
      0,
      1000,
      "DRAM energy per bit read, pJ (DDR3-class 20: Horowitz, ISSCC 2014, 1.3 nJ per 64 bits; HBM2 3.9: O'Connor et al., MICRO 2017).",
    ),
    controlPjPerCycle: numberField(
      0,
      1e6,
      'Clock, control and leakage per cycle of the accelerator, pJ: an estimate (not from a published table) to set from a power report of the target; the reports show it as its own component.',
    ),
  },
  'Energy per event (not RTL): the technology the energy estimates assume. The presets use 45 nm figures (Horowitz, ISSCC 2014) with DDR (tiny, fpga) or HBM (paper) DRAM; see docs/energy.md.',
);

const horowitz45 = {
  addPjPerBit: 0.003,
  multiplyPjPerBit2: 0.003,
  sramPjPer64Bits: 10,
  sramSizeExponent: 0.5,
};
const ddr45 = { ...horowitz45, dramPjPerBit: 20 };
const hbm45 = { ...horowitz45, dramPjPerBit: 3.9 };

export const technologyPresets = {
  tiny: { technology: { ...ddr45, controlPjPerCycle: 2 } },
  fpga: { technology: { ...ddr45, controlPjPerCycle: 20 } },
  paper: { technology: { ...hbm45, controlPjPerCycle: 200 } },
} as const;
