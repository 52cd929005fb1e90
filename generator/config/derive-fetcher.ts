/** Derived sizes of the DRAM fetcher and its memory layout, from the `fetcher` section. */
import { clog2 } from './derive';
import type { Config } from './schema';

/** Bit planes of the DRAM layout, by their code on the fetch stream's `plane` field. */
export const PLANES = { msb: 0, lsb: 1, full: 2 } as const;
export type PlaneName = keyof typeof PLANES;
export const PLANE_NAMES = Object.keys(PLANES) as PlaneName[];

export interface FetcherDerived {
  /** Bytes of one AXI data beat. */
  busBytes: number;
  /** log2(busBytes): the AXI ARSIZE and the shift from word to byte address. */
  sizeLog2: number;
  /** Width of a word (beat) address: axiAddrBits - sizeLog2. */
  wordAddrBits: number;
  /** Bits per element of each plane: msb, lsb and full = msb + lsb. */
  planeBits: Record<PlaneName, number>;
  /** Row stride of each plane in beats: ceil(D × bits / axiDataBits) (rows start on a beat). */
  strideBeats: Record<PlaneName, number>;
  /** Bytes of a row actually holding elements: D × bits / 8. */
  rowBytes: Record<PlaneName, number>;
}

export function deriveFetcher(config: Config): FetcherDerived {
  const f = config.fetcher;
  const D = config.model.headDim;
  const busBytes = f.axiDataBits / 8;
  const sizeLog2 = clog2(busBytes);
  const planeBits = { msb: f.msbBits, lsb: f.lsbBits, full: f.msbBits + f.lsbBits };
  const stride = (bits: number) => Math.ceil((D * bits) / f.axiDataBits);
  return {
    busBytes,
    sizeLog2,
    wordAddrBits: f.axiAddrBits - sizeLog2,
    planeBits,
    strideBeats: {
      msb: stride(planeBits.msb),
      lsb: stride(planeBits.lsb),
      full: stride(planeBits.full),
    },
    rowBytes: {
      msb: (D * planeBits.msb) / 8,
      lsb: (D * planeBits.lsb) / 8,
      full: (D * planeBits.full) / 8,
    },
  };
}
