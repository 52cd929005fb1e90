/**
 * nextpnr-ice40 behind a typed wrapper (WebAssembly build from npm, @yowasp/nextpnr-ice40, pinned), for
 * an fmax figure of a design synthesized with `synth_ice40`. I/Os are left unconstrained: the figure is
 * the core's internal register-to-register timing, not a board's.
 */
import { importToolPackage } from './tools';

type Yowasp = typeof import('@yowasp/nextpnr-ice40');
const yowasp = () => importToolPackage<Yowasp>('@yowasp/nextpnr-ice40');

export interface Ice40Device {
  /** nextpnr device flag without dashes, e.g. hx8k. */
  device: 'hx8k' | 'up5k';
  package: string;
  luts: number;
  brams: number;
  dsps: number;
  ios: number;
}

/** The largest HX part (most LUTs, many pins) and the UltraPlus part (the only one with SB_MAC16 DSPs). */
export const ICE40_DEVICES: readonly Ice40Device[] = [
  { device: 'hx8k', package: 'ct256', luts: 7680, brams: 32, dsps: 0, ios: 206 },
  { device: 'up5k', package: 'sg48', luts: 5280, brams: 30, dsps: 8, ios: 39 },
];

export interface Ice40Need {
  luts: number;
  brams: number;
  dsps: number;
  ioBits: number;
}

/** The first device the design fits, or a sentence saying why none does. */
export function pickIce40Device(need: Ice40Need): Ice40Device | string {
  const fits = ICE40_DEVICES.find(
    (d) =>
      need.luts <= d.luts && need.brams <= d.brams && need.dsps <= d.dsps && need.ioBits <= d.ios,
  );
  if (fits) return fits;
  return (
    `does not fit an iCE40 (${need.luts} LUTs, ${need.brams} block RAMs, ${need.dsps} DSPs, ${need.ioBits} I/O bits; ` +
    `largest parts: ${ICE40_DEVICES.map((d) => `${d.device} ${d.luts} LUTs/${d.brams} BRAMs/${d.dsps} DSPs/${d.ios} I/Os`).join(', ')})`
  );
}

export interface PnrRun {
  ok: boolean;
  /** Achieved post-route fmax of the slowest clock, in MHz; null when routing failed. */
  fmaxMHz: number | null;
  log: string;
}

export async function nextpnrToolVersion(): Promise<{ name: string; version: string }> {
  return { name: 'yowasp-nextpnr-ice40', version: (await yowasp()).version };
}

interface PnrReport {
  fmax?: Record<string, { achieved: number; constraint: number }>;
}

/** Places and routes a `synth_ice40` netlist on `device`, aiming at `clockMHz`. Never throws for a failed run. */
export async function placeAndRouteIce40(
  netlist: string,
  device: Ice40Device,
  clockMHz: number,
  seed = 1,
): Promise<PnrRun> {
  const chunks: string[] = [];
  const decoder = new TextDecoder();
  const sink = (bytes: Uint8Array | null) => {
    if (bytes) chunks.push(decoder.decode(bytes, { stream: true }));
  };
  const args = [
    `--${device.device}`,
    '--package',
    device.package,
    '--json',
    'netlist.json',
    '--freq',
    String(clockMHz),
    '--report',
    'report.json',
    '--seed',
    String(seed),
    '--pcf-allow-unconstrained',
    // The figure asked for is the achieved fmax, met or not; without this nextpnr exits 1 on a miss.
    '--timing-allow-fail',
  ];
  try {
    const { runNextpnrIce40 } = await yowasp();
    const tree = await runNextpnrIce40(
      args,
      { 'netlist.json': netlist },
      { stdout: sink, stderr: sink },
    );
    const raw = tree?.['report.json'];
    const report = JSON.parse(
      typeof raw === 'string' ? raw : decoder.decode(raw as Uint8Array),
    ) as PnrReport;
    const achieved = Object.values(report.fmax ?? {}).map((clock) => clock.achieved);
    const fmaxMHz = achieved.length > 0 ? Math.round(Math.min(...achieved) * 100) / 100 : null;
    return { ok: true, fmaxMHz, log: chunks.join('') };
  } catch (error) {
    if ((error as { code?: number }).code === undefined) throw error;
    return { ok: false, fmaxMHz: null, log: chunks.join('') };
  }
}
