/**
 * A small renderer of WaveDrom-style wave strings to SVG, enough for handshake diagrams:
 * one character per clock cycle, `p` a rising-edge clock, `0`/`1` levels, `=` a new data value
 * (labelled from `data` in order), `x` don't care, `.` the previous value continued.
 * Deterministic text output (fixed coordinates, no fonts measured).
 */
export interface WaveSignal {
  name: string;
  wave: string;
  data?: readonly string[];
}

const CYCLE = 40;
const ROW = 28;
const HIGH = 6;
const LOW = 22;
const LABEL = 150;

const escapeXml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Expands `.` so every cycle names its own state; data cells remember whether they start a new value. */
function cycles(wave: string): { state: string; fresh: boolean }[] {
  const out: { state: string; fresh: boolean }[] = [];
  for (const char of wave) {
    const previous = out[out.length - 1];
    out.push(
      char === '.' && previous
        ? { state: previous.state, fresh: false }
        : { state: char, fresh: true },
    );
  }
  return out;
}

function signalShapes(signal: WaveSignal, top: number): string[] {
  const shapes: string[] = [];
  const labels = [...(signal.data ?? [])];
  let level: number | undefined;
  cycles(signal.wave).forEach(({ state, fresh }, index) => {
    const x = LABEL + index * CYCLE;
    const y = (v: number) => top + v;
    if (state === 'p') {
      shapes.push(
        `<path d="M${x} ${y(LOW)} V${y(HIGH)} H${x + CYCLE / 2} V${y(LOW)} H${x + CYCLE}" class="w"/>`,
      );
      return;
    }
    if (state === '0' || state === '1') {
      const v = state === '1' ? HIGH : LOW;
      const from = level ?? v;
      shapes.push(
        `<path d="M${x} ${y(from)} L${x + (from === v ? 0 : 3)} ${y(v)} H${x + CYCLE}" class="w"/>`,
      );
      level = v;
      return;
    }
    level = undefined;
    const edge = fresh ? 3 : 0;
    const body = `M${x + edge} ${y(HIGH)} H${x + CYCLE} M${x + edge} ${y(LOW)} H${x + CYCLE}`;
    const cross = fresh
      ? ` M${x} ${y((HIGH + LOW) / 2)} L${x + edge} ${y(HIGH)} M${x} ${y((HIGH + LOW) / 2)} L${x + edge} ${y(LOW)}`
      : '';
    shapes.push(`<path d="${body}${cross}" class="${state === 'x' ? 'w x' : 'w'}"/>`);
    if (state === '=' && fresh) {
      shapes.push(
        `<text x="${x + 6}" y="${y(18)}" class="d">${escapeXml(labels.shift() ?? '')}</text>`,
      );
    }
  });
  return shapes;
}

export function renderWaveSvg(title: string, signals: readonly WaveSignal[]): string {
  const length = Math.max(...signals.map((s) => s.wave.length));
  const width = LABEL + length * CYCLE + 10;
  const height = 30 + signals.length * ROW + 10;
  const grid = Array.from(
    { length: length + 1 },
    (_, i) => `<path d="M${LABEL + i * CYCLE} 24 V${height - 6}" class="g"/>`,
  );
  const rows = signals.flatMap((signal, index) => {
    const top = 30 + index * ROW;
    return [
      `<text x="6" y="${top + 18}" class="n">${escapeXml(signal.name)}</text>`,
      ...signalShapes(signal, top),
    ];
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    '<style>.w{fill:none;stroke:#000;stroke-width:1.5}.x{stroke:#999;stroke-dasharray:3 2}.g{stroke:#ddd;stroke-width:1}' +
      'text{font-family:monospace;font-size:12px}.d{font-size:10px}</style>',
    `<text x="6" y="16">${escapeXml(title)}</text>`,
    ...grid,
    ...rows,
    '</svg>',
    '',
  ].join('\n');
}
