import { describe, expect, it } from 'vitest';
import { XMLValidator } from 'fast-xml-parser';
import {
  type GridPoint,
  checkAxes,
  expandGrid,
  parseAxis,
  parseShard,
  pointAssignments,
  shardPoints,
} from '../../generator/sweep/grid';
import {
  combinedMetrics,
  modelMetrics,
  parseMetrics,
  wholeStepRows,
} from '../../generator/sweep/metrics';
import { perfParams } from '../../sim/perf/params';
import { runPerfModel } from '../../sim/perf/model';
import { requestWork } from '../../sim/perf/workload';
import { decodeWorkloadFor } from '../../sim/workloads/decode-workload';
import type { TraceRow } from '../../sim/workloads/trace';
import { paretoFront, paretoSvg } from '../../generator/sweep/pareto';
import { type PointResult, resultsCsv } from '../../generator/sweep/results';
import { configWith, problemsOf } from '../support/config';

const tiny = configWith('tiny');
const config = tiny.config;

describe('grid', () => {
  it('parses an axis over a config key path', () => {
    expect(parseAxis('topk.parallelism=2,4, 8', config)).toEqual({
      path: 'topk.parallelism',
      paths: ['topk.parallelism'],
      values: ['2', '4', '8'],
    });
  });

  it('links keys a rule keeps equal: one axis, every key set to its value', () => {
    const axis = parseAxis('topk.parallelism,softmax.lanes=2,4', config);
    expect(axis.paths).toEqual(['topk.parallelism', 'softmax.lanes']);
    const points = expandGrid([axis], 'x');
    expect(pointAssignments([axis], points[1] as GridPoint)).toEqual([
      'topk.parallelism=4',
      'softmax.lanes=4',
    ]);
    expect(problemsOf(() => checkAxes([axis, parseAxis('softmax.lanes=8', config)]))).toEqual([
      '--grid softmax.lanes: axis given twice (list all its values in one --grid)',
    ]);
  });

  it('rejects keys that are not config paths, sections and repeated values', () => {
    expect(problemsOf(() => parseAxis('topk.lanes=2,4', config))[0]).toMatch(
      /^--grid topk\.lanes: not a config key path \(sections: design, reset, model, /,
    );
    expect(problemsOf(() => parseAxis('topk=2', config))[0]).toMatch(
      /^--grid topk: not a config key path/,
    );
    expect(problemsOf(() => parseAxis('topk.parallelism', config))).toEqual([
      '--grid "topk.parallelism": expected key.path=v1,v2,... e.g. topk.parallelism=2,4,8',
    ]);
    expect(problemsOf(() => parseAxis('topk.parallelism=2,2', config))).toEqual([
      '--grid topk.parallelism: value 2 is listed twice',
    ]);
  });

  it('expands the cartesian product, first axis slowest, with ids stable across runs and distinct per context', () => {
    const axes = [
      parseAxis('topk.parallelism=2,4', config),
      parseAxis('datapath.multipliers=4,8,16', config),
    ];
    const points = expandGrid(axes, 'a');
    expect(points.map((p) => p.settings)).toEqual([
      { 'topk.parallelism': '2', 'datapath.multipliers': '4' },
      { 'topk.parallelism': '2', 'datapath.multipliers': '8' },
      { 'topk.parallelism': '2', 'datapath.multipliers': '16' },
      { 'topk.parallelism': '4', 'datapath.multipliers': '4' },
      { 'topk.parallelism': '4', 'datapath.multipliers': '8' },
      { 'topk.parallelism': '4', 'datapath.multipliers': '16' },
    ]);
    expect(expandGrid(axes, 'a')).toEqual(points);
    expect(new Set(points.map((p) => p.id)).size).toBe(6);
    expect(expandGrid(axes, 'b')[0]?.id).not.toBe(points[0]?.id);
  });

  it('shards round robin; the shards of n cover the grid exactly once', () => {
    const points = expandGrid(
      [
        parseAxis('topk.parallelism=1,2,4', config),
        parseAxis('datapath.multipliers=2,4,8,16', config),
      ],
      'x',
    );
    const shards = [1, 2, 3, 4, 5].map((i) =>
      shardPoints(points, parseShard(`${i}/5`)).map((p) => p.index),
    );
    expect(shards[0]).toEqual([0, 5, 10]);
    expect(shards.flat().sort((a, b) => a - b)).toEqual(points.map((p) => p.index));
    for (const bad of ['0/4', '5/4', '1/0', 'x', '1-4']) {
      expect(problemsOf(() => parseShard(bad))).toEqual([
        `--shard ${JSON.stringify(bad)}: expected i/n with 1 <= i <= n, e.g. 2/4`,
      ]);
    }
  });

  it('metrics are checked by name', () => {
    expect(parseMetrics('luts,cycles,luts')).toEqual(['luts', 'cycles']);
    expect(problemsOf(() => parseMetrics('luts,area'))[0]).toMatch(
      /^--metrics "luts,area": unknown metric area \(allowed: cells, luts, ffs, brams, dsps, lutLevels, logicDepth, fmaxEstMHz, gateEquivalents, memoryBits, cycles, dramBytes, usPerRequest, cyclesPerToken, energyPerTokenNj, usPerRequestAtFmaxEst, tokensPerSecAtFmaxEst\)$/,
    );
  });

  it('wall clock at the estimated fmax needs both the cycles and the fmax of a point', () => {
    expect(combinedMetrics({ cycles: 500, fmaxEstMHz: 250, luts: 9 })).toEqual({
      usPerRequestAtFmaxEst: 2,
    });
    expect(combinedMetrics({ cyclesPerToken: 4000, fmaxEstMHz: 250 })).toEqual({
      tokensPerSecAtFmaxEst: 62_500,
    });
    expect(combinedMetrics({ cycles: 500 })).toEqual({});
    expect(combinedMetrics({ fmaxEstMHz: 250 })).toEqual({});
  });
});

describe('cycles per token', () => {
  const step = (s: number) => ({ step: s }) as TraceRow;
  const rows = [step(0), step(0), step(1), step(1), step(2), step(2)];

  it('counts whole decode steps only: the step the trace limit cuts is left out', () => {
    expect(wholeStepRows(rows, 5).map((r) => r.step)).toEqual([0, 0, 1, 1]);
    expect(wholeStepRows(rows, 4).map((r) => r.step)).toEqual([0, 0, 1, 1]);
    expect(wholeStepRows(rows, 6)).toHaveLength(6);
    expect(wholeStepRows(rows, 1)).toEqual([]);
  });

  it('is the time of the whole steps, layer after layer, per step', () => {
    const first = decodeWorkloadFor(config).rows.filter((r) => r.step === 0);
    const repeated = [0, 1, 2].flatMap((s) => first.map((r) => ({ ...r, step: s })));
    const trace = { file: 'three equal steps', rows: repeated, footer: undefined };
    const params = perfParams(config);
    const decode = (rows: readonly TraceRow[]) =>
      runPerfModel(
        rows.map((r) => requestWork(r, params.fullPrecisionBits)),
        params,
        { layerBarrier: true },
      ).cycles;
    // Two and a half steps replayed: the half step is no token.
    const limit = Math.floor(first.length * 2.5);
    const perToken = modelMetrics(tiny, trace, limit).cyclesPerToken as number;
    expect(perToken).toBeCloseTo(decode(repeated.slice(0, 2 * first.length)) / 2, 1);
    // Steps run in sequence (a step's first layer waits for the previous step's last): about one
    // step alone each.
    expect(Math.abs(perToken / decode(first) - 1)).toBeLessThan(0.05);
    expect(modelMetrics(tiny, trace, 1).cyclesPerToken).toBeUndefined();
    expect(modelMetrics(tiny, trace, 1).energyPerTokenNj).toBeUndefined();
    // Energy per token: the same whole steps' events, priced.
    const twoSteps = modelMetrics(tiny, trace, 2 * first.length).energyPerTokenNj as number;
    expect(modelMetrics(tiny, trace, limit).energyPerTokenNj).toBe(twoSteps);
    expect(twoSteps).toBeGreaterThan(0);
  });
});

describe('Pareto front', () => {
  const points = [
    { id: 'a', label: 'a', x: 1, y: 10 },
    { id: 'b', label: 'b', x: 2, y: 5 },
    { id: 'c', label: 'c', x: 3, y: 6 },
    { id: 'd', label: 'd', x: 4, y: 1 },
    { id: 'e', label: 'e', x: 4, y: 1 },
    { id: 'f', label: 'f', x: 5, y: 1 },
  ];

  it('keeps exactly the points no other point beats on both metrics', () => {
    expect([...paretoFront(points)].sort()).toEqual(['a', 'b', 'd', 'e']);
  });

  it('maximizes a higher-is-better coordinate (fewest LUTs, most tokens per second)', () => {
    const sense = { xHigherIsBetter: false, yHigherIsBetter: true };
    expect([...paretoFront(points, sense)].sort()).toEqual(['a']);
    const rising = [...points, { id: 'g', label: 'g', x: 3, y: 12 }];
    expect([...paretoFront(rising, sense)].sort()).toEqual(['a', 'g']);
  });

  it('joins the points of a series in order, one line per series of more than one point', () => {
    const inSeries = points.map((p, i) => ({
      ...p,
      series: { name: i < 3 ? 'first' : i < 5 ? 'second' : 'alone', order: -i },
    }));
    const svg = paretoSvg('t', 'luts', 'cycles', inSeries, paretoFront(inSeries));
    expect(XMLValidator.validate(svg)).toBe(true);
    expect(svg.match(/class="s"/g)).toHaveLength(2);
    expect(svg).toContain('>first</text>');
    expect(svg).not.toContain('>alone</text>');
  });

  it('plots every point, front marked, as well-formed SVG', () => {
    const svg = paretoSvg('t', 'luts', 'cycles', points, paretoFront(points));
    expect(XMLValidator.validate(svg)).toBe(true);
    expect(svg.match(/<circle /g)).toHaveLength(6);
    expect(svg.match(/class="f"/g)).toHaveLength(4);
    expect(XMLValidator.validate(paretoSvg('none', 'x', 'y', [], new Set()))).toBe(true);
  });
});

describe('results.csv', () => {
  it('one row per point with axes, metrics and quoted errors', () => {
    const results: PointResult[] = [
      {
        index: 0,
        id: 'p-1',
        settings: { 'topk.parallelism': '2' },
        status: 'ok',
        metrics: { luts: 10, cycles: 5.5 },
        errors: [],
        seconds: 1,
      },
      {
        index: 1,
        id: 'p-2',
        settings: { 'topk.parallelism': '3' },
        status: 'invalid',
        metrics: {},
        errors: ['config: topk.parallelism = 3: must be a power of two, from 1'],
        seconds: 0,
      },
    ];
    expect(resultsCsv(['topk.parallelism'], ['luts', 'cycles'], results)).toBe(
      'index,id,status,topk.parallelism,luts,cycles,seconds,errors\n' +
        '0,p-1,ok,2,10,5.5,1,\n' +
        '1,p-2,invalid,3,,,0,"config: topk.parallelism = 3: must be a power of two, from 1"\n',
    );
  });
});
