/**
 * Grouped bar chart as a standalone SVG (no dependencies, deterministic text): one group per category,
 * one bar per stack of series (a series without a stack is a bar of its own), a y axis with round
 * ticks, a legend entry per series name. Pure: returns the SVG text.
 */
export interface BarSeries {
  name: string;
  color: string;
  values: readonly number[];
  /** Series of one stack are drawn on top of each other in one bar, in series order. */
  stack?: string;
}

export interface BarChart {
  title: string;
  yLabel: string;
  categories: readonly string[];
  series: readonly BarSeries[];
}

const WIDTH = 720;
const HEIGHT = 320;
const MARGIN = { left: 80, right: 20, top: 40, bottom: 50 };

function niceStep(max: number): number {
  const raw = max / 5;
  const power = 10 ** Math.floor(Math.log10(raw || 1));
  return [1, 2, 5, 10].map((m) => m * power).find((step) => step >= raw) ?? power * 10;
}

function formatTick(value: number): string {
  if (value >= 1e9) return `${value / 1e9}G`;
  if (value >= 1e6) return `${value / 1e6}M`;
  if (value >= 1e3) return `${value / 1e3}k`;
  return String(value);
}

const escapeXml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The bars of a group: each stack's series in order (a series without a stack alone). */
function stacksOf(series: readonly BarSeries[]): BarSeries[][] {
  const stacks = new Map<string, BarSeries[]>();
  series.forEach((s, i) => {
    const key = s.stack ?? `#${i}`;
    stacks.set(key, [...(stacks.get(key) ?? []), s]);
  });
  return [...stacks.values()];
}

export function barChartSvg(chart: BarChart): string {
  const stacks = stacksOf(chart.series);
  const heights = chart.categories.flatMap((_, c) =>
    stacks.map((stack) => stack.reduce((sum, s) => sum + (s.values[c] ?? 0), 0)),
  );
  const max = Math.max(1, ...heights);
  const step = niceStep(max);
  const top = Math.ceil(max / step) * step;
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const y = (value: number) => MARGIN.top + plotHeight - (value / top) * plotHeight;
  const groupWidth = plotWidth / Math.max(1, chart.categories.length);
  const barWidth = (groupWidth * 0.8) / Math.max(1, stacks.length);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="11">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="white"/>`,
    `<text x="${WIDTH / 2}" y="20" text-anchor="middle" font-size="14">${escapeXml(chart.title)}</text>`,
    `<text transform="translate(16 ${MARGIN.top + plotHeight / 2}) rotate(-90)" text-anchor="middle">${escapeXml(chart.yLabel)}</text>`,
  ];
  for (let tick = 0; tick <= top; tick += step) {
    parts.push(
      `<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y(tick).toFixed(1)}" y2="${y(tick).toFixed(1)}" stroke="#ddd"/>`,
    );
    parts.push(
      `<text x="${MARGIN.left - 6}" y="${(y(tick) + 4).toFixed(1)}" text-anchor="end">${formatTick(tick)}</text>`,
    );
  }
  chart.categories.forEach((category, c) => {
    const x0 = MARGIN.left + c * groupWidth + groupWidth * 0.1;
    stacks.forEach((stack, b) => {
      const x = x0 + b * barWidth;
      let base = 0;
      for (const series of stack) {
        const value = series.values[c] ?? 0;
        const name = series.stack === undefined ? series.name : `${series.stack} ${series.name}`;
        parts.push(
          `<rect x="${x.toFixed(1)}" y="${y(base + value).toFixed(1)}" width="${barWidth.toFixed(1)}" height="${(y(base) - y(base + value)).toFixed(1)}" fill="${series.color}"><title>${escapeXml(`${name} ${category}: ${value}`)}</title></rect>`,
        );
        base += value;
      }
    });
    parts.push(
      `<text x="${(x0 + groupWidth * 0.4).toFixed(1)}" y="${HEIGHT - MARGIN.bottom + 16}" text-anchor="middle">${escapeXml(category)}</text>`,
    );
  });
  const legend = chart.series.filter(
    (series, i) => chart.series.findIndex((other) => other.name === series.name) === i,
  );
  const spacing = Math.floor(Math.min(140, (WIDTH - MARGIN.left) / Math.max(1, legend.length)));
  legend.forEach((series, s) => {
    const x = MARGIN.left + s * spacing;
    parts.push(`<rect x="${x}" y="${HEIGHT - 18}" width="12" height="12" fill="${series.color}"/>`);
    parts.push(`<text x="${x + 16}" y="${HEIGHT - 8}">${escapeXml(series.name)}</text>`);
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
