/** Transaction-level comparison of simulated output streams with the golden model's beats. */
import type { OutputRecord } from './run';
import type { StreamBeat } from './vectors';

const hex = (value: bigint | undefined) =>
  value === undefined ? '(none)' : `0x${value.toString(16)}`;

/** Every difference, described by stream, beat index and field; at most `limit` per stream. */
export function compareStreams(
  expected: Record<string, StreamBeat[]>,
  actual: Record<string, OutputRecord[]>,
  limit = 8,
): string[] {
  const mismatches: string[] = [];
  for (const [stream, beats] of Object.entries(expected)) {
    const got = actual[stream] ?? [];
    const found: string[] = [];
    if (got.length !== beats.length)
      found.push(`${stream}: expected ${beats.length} beats, got ${got.length}`);
    for (let i = 0; i < Math.min(beats.length, got.length) && found.length < limit; i += 1) {
      const want = beats[i] as StreamBeat;
      const have = (got[i] as OutputRecord).beat;
      for (const field of Object.keys(want.fields)) {
        if (want.fields[field] !== have.fields[field]) {
          found.push(
            `${stream} beat ${i} (cycle ${got[i]?.cycle}): ${field} expected ${hex(want.fields[field])}, got ${hex(have.fields[field])}`,
          );
        }
      }
      if (want.last !== have.last)
        found.push(`${stream} beat ${i}: last expected ${want.last}, got ${have.last}`);
    }
    mismatches.push(...found.slice(0, limit));
  }
  return mismatches;
}
