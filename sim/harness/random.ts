/** Seeded randomness for stimulus (pure-rand's xoroshiro128+): the same seed gives the same vectors. */
import { unsafeUniformIntDistribution, xoroshiro128plus } from 'pure-rand';

export class Rng {
  private readonly generator;

  constructor(readonly seed: number) {
    this.generator = xoroshiro128plus(seed);
  }

  /** Uniform integer in [min, max] (both inclusive, safe integers). */
  int(min: number, max: number): number {
    return unsafeUniformIntDistribution(min, max, this.generator);
  }

  /** Uniform unsigned integer of `bits` bits as a bigint (any width). */
  bits(bits: number): bigint {
    let value = 0n;
    for (let done = 0; done < bits; done += 16) {
      const chunk = Math.min(16, bits - done);
      value |= BigInt(this.int(0, 2 ** chunk - 1)) << BigInt(done);
    }
    return value;
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.int(0, 1_000_000 - 1) < p * 1_000_000;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[this.int(0, items.length - 1)] as T;
  }
}
