/**
 * Fixed-point requantization exactly as `templates/partials/round_saturate.hbs` does it: round half to
 * even by `shift` bits (a shift <= 0 is an exact left shift), then saturate to a signed width.
 */

/** round_half_even(value / 2^shift) for shift > 0, value × 2^-shift otherwise. */
export function roundHalfEven(value: bigint, shift: number): bigint {
  if (shift <= 0) return value << BigInt(-shift);
  const kept = value >> BigInt(shift); // floor: BigInt >> is arithmetic
  const rest = value - (kept << BigInt(shift));
  const half = 1n << BigInt(shift - 1);
  return rest > half || (rest === half && (kept & 1n) === 1n) ? kept + 1n : kept;
}

/** Clamps to the range of a `bits`-wide two's complement number. */
export function saturateSigned(value: bigint, bits: number): bigint {
  const max = (1n << BigInt(bits - 1)) - 1n;
  const min = -(1n << BigInt(bits - 1));
  return value > max ? max : value < min ? min : value;
}

export function requantize(value: bigint, shift: number, bits: number): bigint {
  return saturateSigned(roundHalfEven(value, shift), bits);
}
