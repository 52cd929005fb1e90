import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type FlaggedBeat,
  streamPack,
  zeroCompact,
  zeroEliminator,
} from '../../sim/golden/zero-eliminator';

const beatArb = (lanes: number) =>
  fc.record({
    elements: fc.array(fc.bigInt({ min: 0n, max: 4095n }), { minLength: lanes, maxLength: lanes }),
    keep: fc.array(fc.boolean(), { minLength: lanes, maxLength: lanes }),
    last: fc.boolean(),
  });

/** Packets: arrays of beats whose final beat has last set. */
const packetsArb = fc.integer({ min: 1, max: 8 }).chain((lanes) =>
  fc.tuple(
    fc.constant(lanes),
    fc
      .array(beatArb(lanes), { minLength: 1, maxLength: 12 })
      .map((beats) => beats.map((b, i) => ({ ...b, last: b.last || i === beats.length - 1 }))),
    fc.integer({ min: 0, max: 8 }),
  ),
);

const keptOf = (beats: readonly FlaggedBeat[]) =>
  beats.flatMap((b) => b.elements.filter((_, lane) => b.keep[lane]));

describe('zeroCompact', () => {
  it('keeps exactly the flagged elements, in order, from lane 0, zeros above', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 16 }).chain(beatArb), (beat) => {
        const out = zeroCompact(beat);
        const kept = keptOf([beat]);
        expect(out.count).toBe(kept.length);
        expect(out.elements.slice(0, out.count)).toEqual(kept);
        expect(out.elements.slice(out.count).every((e) => e === 0n)).toBe(true);
        expect(out.elements).toHaveLength(beat.elements.length);
      }),
    );
  });

  it('handles all kept and none kept', () => {
    expect(zeroCompact({ elements: [1n, 2n, 3n], keep: [true, true, true], last: false })).toEqual({
      elements: [1n, 2n, 3n],
      count: 3,
      last: false,
    });
    expect(
      zeroCompact({ elements: [1n, 2n, 3n], keep: [false, false, false], last: true }),
    ).toEqual({ elements: [0n, 0n, 0n], count: 0, last: true });
  });
});

describe('zeroEliminator in packing mode', () => {
  it('emits the kept elements of each packet in order, in full beats, one last beat per packet', () => {
    fc.assert(
      fc.property(packetsArb, ([lanes, beats, extra]) => {
        const outLanes = lanes + extra;
        const out = zeroEliminator(beats, { outLanes, pack: true });
        // Split both sides into packets and compare contents packet by packet.
        const packetsIn: FlaggedBeat[][] = [[]];
        for (const beat of beats) {
          packetsIn[packetsIn.length - 1]?.push(beat);
          if (beat.last) packetsIn.push([]);
        }
        packetsIn.pop();
        const lastBeats = out.filter((b) => b.last);
        expect(lastBeats).toHaveLength(packetsIn.length);
        let cursor = 0;
        for (const packet of packetsIn) {
          const elements: bigint[] = [];
          for (;;) {
            const beat = out[cursor++];
            if (!beat) throw new Error('ran out of output beats');
            expect(beat.elements).toHaveLength(outLanes);
            if (!beat.last) expect(beat.count).toBe(outLanes);
            elements.push(...beat.elements.slice(0, beat.count));
            expect(beat.elements.slice(beat.count).every((e) => e === 0n)).toBe(true);
            if (beat.last) break;
          }
          expect(elements).toEqual(keptOf(packet));
        }
        expect(cursor).toBe(out.length);
      }),
    );
  });

  it('sends an overflowing remainder as a second, partial last beat', () => {
    const out = streamPack(
      [
        { elements: [1n, 2n, 3n, 0n], count: 3, last: false },
        { elements: [4n, 5n, 6n, 7n], count: 4, last: true },
      ],
      4,
    );
    expect(out).toEqual([
      { elements: [1n, 2n, 3n, 4n], count: 4, last: false },
      { elements: [5n, 6n, 7n, 0n], count: 3, last: true },
    ]);
  });

  it('ends an empty packet with an empty last beat', () => {
    expect(streamPack([{ elements: [0n, 0n], count: 0, last: true }], 2)).toEqual([
      { elements: [0n, 0n], count: 0, last: true },
    ]);
  });
});
