/**
 * The energy section of `spatten replay`'s report and its per-layer chart (dense versus pruned,
 * stacked by component). Events and prices are in sim/perf/energy.ts.
 */
import type { Config } from '../config/schema';
import {
  type Activity,
  COMPONENTS,
  type Component,
  type Energy,
  type EnergyShape,
  energyOf,
  requestActivities,
  sumActivity,
  totalEnergy,
} from '../../sim/perf/energy';
import type { PerfResult, RequestWork } from '../../sim/perf/model';
import { barChartSvg } from '../render/svg/bar-chart';

/** Picojoules as the report gives them: nanojoules, three decimals. */
const nj = (pj: number) => Math.round(pj) / 1000;

export interface EnergyReport {
  events: Activity;
  nj: Record<Component | 'total', number>;
  njPerRequest: number;
  njPerToken: number;
  /** DRAM's share of the total. */
  dramShare: number;
  technology: Config['technology'];
}

export interface EnergyRun {
  events: Activity;
  requests: number;
  tokens: number;
}

export function energyReport(
  run: EnergyRun,
  shape: EnergyShape,
  technology: Config['technology'],
): EnergyReport {
  const energy = energyOf(run.events, shape, technology);
  const total = totalEnergy(energy);
  return {
    events: run.events,
    nj: {
      ...(Object.fromEntries(COMPONENTS.map((c) => [c, nj(energy[c])])) as Record<
        Component,
        number
      >),
      total: nj(total),
    },
    njPerRequest: nj(total / Math.max(1, run.requests)),
    njPerToken: nj(total / Math.max(1, run.tokens)),
    dramShare: total === 0 ? 0 : Math.round((energy.dram / total) * 10000) / 10000,
    technology,
  };
}

/** Energy per layer: the layer's requests' events and its share of the cycles. */
function layerEnergies(
  work: readonly RequestWork[],
  result: PerfResult,
  shape: EnergyShape,
  technology: Config['technology'],
): Energy[] {
  const activities = requestActivities(work, shape);
  return result.perLayer.map((row) => {
    const inLayer = activities.filter((_, i) => work[i]?.layer === row.layer);
    return energyOf(sumActivity(inLayer, row.cycles), shape, technology);
  });
}

const COLORS: Record<Component, string> = {
  dram: '#d1495b',
  qk: '#00798c',
  pv: '#30638e',
  softmax: '#edae49',
  topk: '#66a182',
  sram: '#8d96a3',
  control: '#2e4057',
};

export function layerEnergySvg(
  trace: string,
  runs: Record<'dense' | 'pruned', { work: readonly RequestWork[]; result: PerfResult }>,
  shape: EnergyShape,
  technology: Config['technology'],
): string {
  const dense = layerEnergies(runs.dense.work, runs.dense.result, shape, technology);
  const pruned = layerEnergies(runs.pruned.work, runs.pruned.result, shape, technology);
  return barChartSvg({
    title: `Energy per layer (left bar dense, right pruned): ${trace}`,
    yLabel: 'nJ',
    categories: runs.pruned.result.perLayer.map((row) => String(row.layer)),
    series: (['dense', 'pruned'] as const).flatMap((stack) =>
      COMPONENTS.map((c) => ({
        name: c,
        color: COLORS[c],
        stack,
        values: (stack === 'dense' ? dense : pruned).map((e) => nj(e[c])),
      })),
    ),
  });
}
