import { describe, expect, it } from 'vitest';
import { timingRows } from '../../bench/timing';
import { zeroEliminatorModule } from '../../generator/modules/zero-eliminator';
import { configWith } from '../support/config';

describe('bench timing rows', () => {
  it('carry resources, levels, the estimate, the critical path and the verdict', async () => {
    const resolved = configWith('tiny');
    const [row] = await timingRows(
      resolved,
      [zeroEliminatorModule(resolved.config)],
      'xilinx',
      () => {},
    );
    expect(row).toMatchObject({
      module: 'spatten_zero_eliminator',
      fmaxRoutedMHz: null,
      pinWrapped: 'no',
    });
    const fmax = row?.fmaxEstMHz as number;
    expect(fmax).toBeGreaterThan(0);
    expect(row?.meetsTarget).toBe(fmax >= 200 ? 'yes' : 'no');
    expect(row?.lutLevels as number).toBeGreaterThan(0);
    expect(String(row?.criticalTo)).toMatch(/\((FD[RSCP]E)\)$|_o(\[\d+\])?$/);
  }, 300_000);
});
