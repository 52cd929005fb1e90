import { describe, expect, it } from 'vitest';
import { lintDesign } from '../../generator/commands/lint';
import { PRESET_NAMES } from '../../generator/config/presets';
import { configWith } from '../support/config';
import { availableSimulators } from '../support/simulators';

const tools = availableSimulators();

describe.runIf(tools.length === 2)('generated RTL is lint-clean', () => {
  const variants = [
    ...PRESET_NAMES.map((preset) => ({ name: preset, preset, sets: [] as string[] })),
    {
      name: 'tiny, async active-high reset, no packing, other prefix',
      preset: 'tiny',
      sets: [
        'reset.style=async',
        'reset.activeLow=false',
        'zeroEliminator.pack=false',
        'design.modulePrefix=acc_',
      ],
    },
    {
      name: 'tiny, one lane',
      preset: 'tiny',
      sets: ['zeroEliminator.lanes=1', 'zeroEliminator.outLanes=1'],
    },
  ];
  it.each(variants)(
    '$name: Verilator -Wall, Icarus -g2005, Yosys without latches',
    async ({ preset, sets }) => {
      const findings = await lintDesign(configWith(preset, sets));
      expect(
        findings.filter((f) => !f.ok).map((f) => `${f.tool} ${f.module}:\n${f.output}`),
      ).toEqual([]);
      expect(new Set(findings.map((f) => f.tool))).toEqual(
        new Set(['verilator', 'iverilog', 'yosys']),
      );
    },
  );
});
