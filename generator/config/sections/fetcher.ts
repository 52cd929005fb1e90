/**
 * DRAM fetcher (AXI4 read master per channel) and the DRAM it reads. Keys are stored as two bit planes
 * (MSBs and LSBs, merged as (MSB << lsbBits) | LSB with no hole); values and unsplit keys as one full
 * plane of msbBits + lsbBits per element. The layout is documented in `sim/golden/fetcher.ts`. A row
 * of any plane is a whole number of bytes because model.headDim is a power of two of at least 8.
 */
import type { Rule } from '../rules';
import { sectionViolation } from '../violation';
import { clog2 } from '../derive';
import { intField, powerOfTwoField, section } from '../fields';

export const fetcherSection = section(
  {
    channels: intField(
      1,
      16,
      'Independent fetcher channels, each with its own AXI4 read port and request stream (no lockstep).',
    ),
    axiDataBits: powerOfTwoField(64, 512, 'AXI data width of each channel, bits.'),
    axiAddrBits: intField(16, 64, 'AXI address width, bits (byte addresses).'),
    axiIdBits: intField(
      1,
      8,
      'AXI ID width, bits. Each outstanding burst of a channel has its own ID.',
    ),
    maxBurst: powerOfTwoField(
      2,
      256,
      'Longest AXI4 INCR burst issued, beats (bursts also stop at 4 KB boundaries).',
    ),
    outstanding: powerOfTwoField(
      2,
      64,
      'Bursts in flight per channel, each with its own AXI ID (so at most 2^axiIdBits).',
    ),
    bufferBeats: powerOfTwoField(
      8,
      512,
      'Reorder-buffer beats per channel: data in flight is bounded by it (a burst reserves its beats when issued). At least maxBurst.',
    ),
    msbBits: intField(
      1,
      16,
      'Bits per element of the key MSB plane (the high part of a key element).',
    ),
    lsbBits: intField(
      1,
      16,
      'Bits per element of the key LSB plane (the low part). msbBits + lsbBits is the full element width.',
    ),
  },
  'DRAM fetcher: AXI4 burst reads of selected token rows from bit-plane layouts.',
);

export const fetcherPresets = {
  tiny: {
    fetcher: {
      channels: 1,
      axiDataBits: 64,
      axiAddrBits: 32,
      axiIdBits: 2,
      maxBurst: 4,
      outstanding: 4,
      bufferBeats: 16,
      msbBits: 4,
      lsbBits: 4,
    },
  },
  fpga: {
    fetcher: {
      channels: 4,
      axiDataBits: 64,
      axiAddrBits: 32,
      axiIdBits: 4,
      maxBurst: 16,
      outstanding: 16,
      bufferBeats: 64,
      msbBits: 8,
      lsbBits: 4,
    },
  },
  paper: {
    // 16 channels x 32 B = 512 B per cycle: 8 key rows of 64 B, what 512 multipliers score at D = 64
    // (docs/paper-scale.md). 32-byte beats also hold a 96-byte value row in exactly three.
    fetcher: {
      channels: 16,
      axiDataBits: 256,
      axiAddrBits: 32,
      axiIdBits: 6,
      maxBurst: 16,
      outstanding: 64,
      bufferBeats: 128,
      msbBits: 8,
      lsbBits: 4,
    },
  },
} as const;

const violation = sectionViolation('fetcher');

export const fetcherRules: Rule[] = [
  ({ fetcher: f }) =>
    f.outstanding > 2 ** f.axiIdBits
      ? violation(
          'outstanding',
          f.outstanding,
          `must be at most 2^fetcher.axiIdBits (${2 ** f.axiIdBits}): each outstanding burst needs its own ID`,
        )
      : [],
  ({ fetcher: f, datapath }) =>
    f.msbBits + f.lsbBits === datapath.keyBits
      ? []
      : violation(
          'lsbBits',
          f.lsbBits,
          `fetcher.msbBits + fetcher.lsbBits must equal datapath.keyBits (${datapath.keyBits}): the merged key has no hole`,
        ),
  ({ fetcher: f }) =>
    f.maxBurst * (f.axiDataBits / 8) <= 4096
      ? []
      : violation(
          'maxBurst',
          f.maxBurst,
          `maxBurst × axiDataBits/8 must be at most 4096 bytes (an AXI burst never crosses 4 KB); at most ${4096 / (f.axiDataBits / 8)} here`,
        ),
  ({ fetcher: f }) =>
    f.bufferBeats >= f.maxBurst
      ? []
      : violation(
          'bufferBeats',
          f.bufferBeats,
          `must be at least fetcher.maxBurst (${f.maxBurst}): a whole burst must fit`,
        ),
  ({ fetcher: f, model }) => {
    const need = clog2(model.maxTokens) + clog2(f.axiDataBits / 8) + 1;
    return f.axiAddrBits >= need
      ? []
      : violation(
          'axiAddrBits',
          f.axiAddrBits,
          `must be at least ${need}: clog2(model.maxTokens) + log2(axiDataBits/8) + 1, so a token index fits a word address`,
        );
  },
];
