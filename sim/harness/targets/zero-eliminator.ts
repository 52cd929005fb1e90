/** Simulation target `zero_eliminator`: random packets with mixed keep densities through the unit. */
import type { Config } from '../../../generator/config/schema';
import { zeroEliminatorModule } from '../../../generator/modules/zero-eliminator';
import { type CountedBeat, type FlaggedBeat, zeroEliminator } from '../../golden/zero-eliminator';
import type { Rng } from '../random';
import { type StreamBeat, packLanes } from '../vectors';
import type { SimPlan, SimTarget } from './types';

/**
 * Random packets: mostly 1..6 beats, some up to 24; keep density drawn per packet, including
 * all-kept and none-kept (empty beats, empty packets); elements random, or all zeros or all ones.
 */
export function randomPackets(
  rng: Rng,
  count: number,
  lanes: number,
  dataBits: number,
): FlaggedBeat[] {
  const beats: FlaggedBeat[] = [];
  const ones = (1n << BigInt(dataBits)) - 1n;
  for (let packet = 0; packet < count; packet += 1) {
    const length = rng.chance(0.1) ? rng.int(7, 24) : rng.int(1, 6);
    const density = rng.pick([0, 0.1, 0.5, 0.9, 1]);
    const random = () => rng.bits(dataBits);
    const element = rng.pick([random, random, () => 0n, () => ones]);
    for (let i = 0; i < length; i += 1) {
      beats.push({
        elements: Array.from({ length: lanes }, element),
        keep: Array.from({ length: lanes }, () => rng.chance(density)),
        last: i === length - 1,
      });
    }
  }
  return beats;
}

export function flaggedToStream(beat: FlaggedBeat, dataBits: number): StreamBeat {
  const keep = beat.keep.reduceRight((word, kept) => (word << 1n) | (kept ? 1n : 0n), 0n);
  return { fields: { data: packLanes(beat.elements, dataBits), keep }, last: beat.last };
}

export function countedToStream(beat: CountedBeat, dataBits: number): StreamBeat {
  return {
    fields: { data: packLanes(beat.elements, dataBits), count: BigInt(beat.count) },
    last: beat.last,
  };
}

/** The plan for given input beats: the unit as configured, golden output from the model. */
export function zeroEliminatorPlan(config: Config, beats: readonly FlaggedBeat[]): SimPlan {
  const ze = config.zeroEliminator;
  const expected = zeroEliminator(beats, { outLanes: ze.outLanes, pack: ze.pack });
  return {
    top: zeroEliminatorModule(config),
    inputs: { in: beats.map((beat) => flaggedToStream(beat, ze.dataBits)) },
    expected: { out: expected.map((beat) => countedToStream(beat, ze.dataBits)) },
  };
}

export const zeroEliminatorTarget: SimTarget = {
  description: 'zero eliminator: random packets with keep densities 0..1',
  plan(resolved, rng, count) {
    const ze = resolved.config.zeroEliminator;
    return zeroEliminatorPlan(resolved.config, randomPackets(rng, count, ze.lanes, ze.dataBits));
  },
};
