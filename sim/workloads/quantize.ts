/** Real values into the datapath's signed fixed-point formats (sW.F), rounded and saturated. */

const scaled = (x: number, frac: number) => Math.round(x * 2 ** frac);

/** The raw sW.F value nearest to x, saturated to the format's range. */
export function quantize(x: number, bits: number, frac: number): bigint {
  const limit = 2 ** (bits - 1);
  return BigInt(Math.max(-limit, Math.min(limit - 1, scaled(x, frac))));
}

/** Whether quantize(x) clips: x is outside the format's range. */
export function saturates(x: number, bits: number, frac: number): boolean {
  const limit = 2 ** (bits - 1);
  const raw = scaled(x, frac);
  return raw < -limit || raw > limit - 1;
}
