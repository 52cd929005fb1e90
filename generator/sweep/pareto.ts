/**
 * The Pareto front of two metrics and its scatter plot as SVG (written by hand: no plotting
 * dependency). Each axis is lower-is-better (LUTs, cycles) or higher-is-better (tokens per second).
 */

export interface ParetoPoint {
  id: string;
  label: string;
  x: number;
  y: number;
  /**
   * Points of one series (a sweep's points that differ only in its first axis) are joined by a line
   * in `order`, so a plot shows where one knob stops paying.
   */
  series?: { name: string; order: number };
}

/** Which way each coordinate improves. */
export interface ParetoSense {
  xHigherIsBetter: boolean;
  yHigherIsBetter: boolean;
}

/** How a report names an axis's direction. */
export const betterWord = (higherIsBetter: boolean) =>
  higherIsBetter ? 'higher is better' : 'lower is better';

export const LOWER_IS_BETTER: ParetoSense = { xHigherIsBetter: false, yHigherIsBetter: false };

/** Points no other point beats on both coordinates (equal points are all kept). */
export function paretoFront(
  points: readonly ParetoPoint[],
  sense: ParetoSense = LOWER_IS_BETTER,
): Set<string> {
  // Flip the higher-is-better coordinates so "better" is "smaller" on both.
  const cost = (p: ParetoPoint) => ({
    id: p.id,
    x: sense.xHigherIsBetter ? -p.x : p.x,
    y: sense.yHigherIsBetter ? -p.y : p.y,
  });
  const costs = points.map(cost);
  return new Set(
    costs
      .filter((p) => !costs.some((q) => q.x <= p.x && q.y <= p.y && (q.x < p.x || q.y < p.y)))
      .map((p) => p.id),
  );
}

/** Each series' points in order, for the lines that join them (series of one point draw none). */
function seriesRuns(points: readonly ParetoPoint[]): { name: string; run: ParetoPoint[] }[] {
  const groups = new Map<string, ParetoPoint[]>();
  for (const p of points) {
    if (p.series === undefined) continue;
    groups.set(p.series.name, [...(groups.get(p.series.name) ?? []), p]);
  }
  const order = (p: ParetoPoint) => p.series?.order ?? 0;
  return [...groups.entries()]
    .filter(([, run]) => run.length > 1)
    .map(([name, run]) => ({ name, run: [...run].sort((a, b) => order(a) - order(b)) }));
}

const escapeXml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const W = 640;
const H = 420;
const M = { left: 70, right: 20, top: 40, bottom: 50 };

function scale(values: readonly number[], from: number, to: number): (v: number) => number {
  const low = Math.min(...values);
  const high = Math.max(...values);
  const span = high - low || 1;
  return (v) => from + ((v - low) / span) * (to - from);
}

export function paretoSvg(
  title: string,
  xLabel: string,
  yLabel: string,
  points: readonly ParetoPoint[],
  front: ReadonlySet<string>,
): string {
  const sx = scale(
    points.map((p) => p.x),
    M.left + 10,
    W - M.right - 10,
  );
  const sy = scale(
    points.map((p) => p.y),
    H - M.bottom - 10,
    M.top + 10,
  );
  const f = (v: number) => v.toFixed(1);
  const frontier = points.filter((p) => front.has(p.id)).sort((a, b) => a.x - b.x || b.y - a.y);
  const labelsAt = new Map<string, number>();
  const path = (run: readonly ParetoPoint[]) =>
    run.map((p, i) => `${i === 0 ? 'M' : 'L'}${f(sx(p.x))} ${f(sy(p.y))}`).join(' ');
  const ticks = (values: number[]) => [Math.min(...values), Math.max(...values)];
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">`,
    '<style>text{font-family:sans-serif;font-size:12px}.p{fill:#888}.f{fill:#d62728}.l{fill:none;stroke:#d62728;stroke-width:1.5}.a{stroke:#000}' +
      '.s{fill:none;stroke:#1f77b4;stroke-width:1;stroke-dasharray:4 3}.n{fill:#1f77b4}</style>',
    `<text x="${W / 2}" y="20" text-anchor="middle">${escapeXml(title)}</text>`,
    `<path d="M${M.left} ${M.top} V${H - M.bottom} H${W - M.right}" class="a" fill="none"/>`,
    `<text x="${W / 2}" y="${H - 12}" text-anchor="middle">${escapeXml(xLabel)}</text>`,
    `<text x="16" y="${H / 2}" text-anchor="middle" transform="rotate(-90 16 ${H / 2})">${escapeXml(yLabel)}</text>`,
    ...(points.length > 0
      ? [
          ...ticks(points.map((p) => p.x)).map(
            (v) =>
              `<text x="${f(sx(v))}" y="${H - M.bottom + 16}" text-anchor="middle">${v}</text>`,
          ),
          ...ticks(points.map((p) => p.y)).map(
            (v) => `<text x="${M.left - 6}" y="${f(sy(v) + 4)}" text-anchor="end">${v}</text>`,
          ),
        ]
      : [`<text x="${W / 2}" y="${H / 2}" text-anchor="middle">no measured points</text>`]),
    ...seriesRuns(points).flatMap(({ name, run }) => {
      const last = run[run.length - 1] as ParetoPoint;
      // Series that end on the same point (a knob that changes nothing) list their names downward.
      const at = `${last.x},${last.y}`;
      const below = labelsAt.get(at) ?? 0;
      labelsAt.set(at, below + 1);
      return [
        `<path d="${path(run)}" class="s"/>`,
        `<text x="${f(sx(last.x))}" y="${f(sy(last.y) - 9 + 14 * below)}" text-anchor="end" class="n">${escapeXml(name)}</text>`,
      ];
    }),
    ...(frontier.length > 1 ? [`<path d="${path(frontier)}" class="l"/>`] : []),
    ...points.map(
      (p) =>
        `<circle cx="${f(sx(p.x))}" cy="${f(sy(p.y))}" r="${front.has(p.id) ? 5 : 3.5}" class="${front.has(p.id) ? 'f' : 'p'}"><title>${escapeXml(p.label)}</title></circle>`,
    ),
    '</svg>',
    '',
  ].join('\n');
}
