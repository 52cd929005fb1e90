/**
 * Bit-exact golden model of the zero eliminator: the compaction core (zero_compact), the stream packer
 * (stream_packer) and their composition, exactly as the RTL composes them. Elements are opaque
 * unsigned words; no arithmetic, so no rounding or overflow points.
 */

/** One input beat: `lanes` elements, a keep flag per lane. */
export interface FlaggedBeat {
  elements: bigint[];
  keep: boolean[];
  last: boolean;
}

/** A beat of `elements.length` lanes of which the first `count` are valid and the rest zero. */
export interface CountedBeat {
  elements: bigint[];
  count: number;
  last: boolean;
}

/** zero_compact: kept elements move down to lane 0 in their original order; zeros above. */
export function zeroCompact(beat: FlaggedBeat): CountedBeat {
  const kept = beat.elements.filter((_, lane) => beat.keep[lane]);
  const elements = beat.elements.map((_, lane) => kept[lane] ?? 0n);
  return { elements, count: kept.length, last: beat.last };
}

/**
 * stream_packer: appends each beat's elements to a pending list; whenever it holds outLanes elements, a
 * full beat leaves. On a last input beat the rest leaves as the packet's last beat: in the same output
 * beat when it fits (even if empty), otherwise as a second, partial last beat.
 */
export function streamPack(beats: readonly CountedBeat[], outLanes: number): CountedBeat[] {
  const out: CountedBeat[] = [];
  const pad = (elements: bigint[]) =>
    Array.from({ length: outLanes }, (_, lane) => elements[lane] ?? 0n);
  let pending: bigint[] = [];
  for (const beat of beats) {
    const joined = [...pending, ...beat.elements.slice(0, beat.count)];
    if (joined.length >= outLanes) {
      const rest = joined.slice(outLanes);
      out.push({
        elements: pad(joined.slice(0, outLanes)),
        count: outLanes,
        last: beat.last && rest.length === 0,
      });
      if (beat.last && rest.length > 0)
        out.push({ elements: pad(rest), count: rest.length, last: true });
      pending = beat.last ? [] : rest;
    } else if (beat.last) {
      out.push({ elements: pad(joined), count: joined.length, last: true });
      pending = [];
    } else {
      pending = joined;
    }
  }
  return out;
}

export interface ZeroEliminatorShape {
  outLanes: number;
  pack: boolean;
}

/** zero_eliminator: compaction, then (in packing mode) re-packing into outLanes-wide beats. */
export function zeroEliminator(
  beats: readonly FlaggedBeat[],
  shape: ZeroEliminatorShape,
): CountedBeat[] {
  const compacted = beats.map(zeroCompact);
  return shape.pack ? streamPack(compacted, shape.outLanes) : compacted;
}
