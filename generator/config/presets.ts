/**
 * Named presets (DESIGN §7). Each section file owns its preset values; a preset is their union.
 * Presets are raw input, validated like any user config.
 */
import { corePresets } from './sections/core';
import { zeroEliminatorPresets } from './sections/zero-eliminator';
import { datapathPresets } from './sections/datapath';
import { topkPresets } from './sections/topk';
import { softmaxPresets } from './sections/softmax';
import { fetcherPresets } from './sections/fetcher';
import { attentionCorePresets } from './sections/attention-core';
import { topPresets } from './sections/top';
import { memoryPresets } from './sections/memory';
import { perfModelPresets } from './sections/perf-model';
import { technologyPresets } from './sections/technology';

export const PRESET_NAMES = ['tiny', 'fpga', 'paper'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];
export const DEFAULT_PRESET: PresetName = 'fpga';

const sectionPresets = [
  corePresets,
  zeroEliminatorPresets,
  datapathPresets,
  topkPresets,
  softmaxPresets,
  fetcherPresets,
  attentionCorePresets,
  topPresets,
  memoryPresets,
  perfModelPresets,
  technologyPresets,
];

export function presetInput(name: PresetName): Record<string, unknown> {
  // structuredClone so callers can merge overrides into the result freely.
  return structuredClone(Object.assign({}, ...sectionPresets.map((presets) => presets[name])));
}

export function isPresetName(name: string): name is PresetName {
  return (PRESET_NAMES as readonly string[]).includes(name);
}
