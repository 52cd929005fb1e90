/** Zero eliminator (stream compaction): keeps flagged lanes, packs them down, optionally re-packs beats. */
import type { Rule } from '../rules';
import { sectionViolation } from '../violation';
import { booleanField, intField, powerOfTwoField, section } from '../fields';

export const zeroEliminatorSection = section(
  {
    lanes: powerOfTwoField(1, 64, 'Elements per input beat (N).'),
    dataBits: intField(1, 64, 'Width of one element in bits.'),
    pack: booleanField(
      'Packing mode: re-pack compacted elements across beats into full output beats (partial last beat on `last`).',
    ),
    outLanes: intField(
      1,
      256,
      'Elements per output beat. Must equal lanes without packing, at least lanes with it.',
    ),
  },
  'Standalone zero eliminator instance (the top-k engine and fetcher instantiate their own).',
);

export const zeroEliminatorPresets = {
  tiny: { zeroEliminator: { lanes: 4, dataBits: 8, pack: true, outLanes: 4 } },
  fpga: { zeroEliminator: { lanes: 8, dataBits: 12, pack: true, outLanes: 8 } },
  paper: { zeroEliminator: { lanes: 16, dataBits: 12, pack: true, outLanes: 16 } },
} as const;

const violation = sectionViolation('zeroEliminator');

export const zeroEliminatorRules: Rule[] = [
  ({ zeroEliminator: ze }) =>
    !ze.pack && ze.outLanes !== ze.lanes
      ? violation(
          'outLanes',
          ze.outLanes,
          `must equal zeroEliminator.lanes (${ze.lanes}) when pack is false`,
        )
      : [],
  ({ zeroEliminator: ze }) =>
    ze.pack && ze.outLanes < ze.lanes
      ? violation(
          'outLanes',
          ze.outLanes,
          `must be at least zeroEliminator.lanes (${ze.lanes}) when pack is true`,
        )
      : [],
];
