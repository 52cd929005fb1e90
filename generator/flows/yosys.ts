/**
 * Yosys behind a typed wrapper. By default the WebAssembly build from npm (@yowasp/yosys), so no system
 * install is needed and every machine runs the same version; it works on an in-memory file tree.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importToolPackage, requireTool, runTool } from './tools';

type Yowasp = typeof import('@yowasp/yosys');
const yowasp = () => importToolPackage<Yowasp>('@yowasp/yosys');

export interface YosysRun {
  ok: boolean;
  /** Everything Yosys printed (stdout and stderr interleaved). */
  log: string;
  /** Text files the script wrote (e.g. `tee -q -o stat.txt stat`), by name; inputs excluded. */
  files: Record<string, string>;
}

export async function yosysVersion(): Promise<{ name: string; version: string }> {
  return { name: 'yowasp-yosys', version: (await yowasp()).version };
}

/** Runs a Yosys script over `files` (name -> Verilog text). Never throws for a failing script. */
export async function runYosysScript(
  files: Record<string, string>,
  script: string,
): Promise<YosysRun> {
  const chunks: string[] = [];
  const decoder = new TextDecoder();
  const sink = (bytes: Uint8Array | null) => {
    if (bytes) chunks.push(decoder.decode(bytes, { stream: true }));
  };
  const written = (tree: Record<string, unknown> | undefined) =>
    Object.fromEntries(
      Object.entries(tree ?? {})
        .filter(
          ([name, content]) =>
            !(name in files) && (typeof content === 'string' || content instanceof Uint8Array),
        )
        .map(([name, content]) => [
          name,
          typeof content === 'string' ? content : decoder.decode(content as Uint8Array),
        ]),
    );
  try {
    const { runYosys } = await yowasp();
    const tree = await runYosys(['-q', '-p', script], files, { stdout: sink, stderr: sink });
    return { ok: true, log: chunks.join(''), files: written(tree) };
  } catch (error) {
    const code = (error as { code?: number }).code;
    if (code === undefined) throw error;
    return {
      ok: false,
      log: chunks.join(''),
      files: written((error as { files?: Record<string, unknown> }).files),
    };
  }
}

/**
 * Elaborates `top` (hierarchy, proc) and fails if any latch was inferred or the netlist has problems
 * (`check -assert`: multiple drivers, combinational loops, undriven wires).
 */
export async function checkNoLatches(
  files: Record<string, string>,
  top: string,
): Promise<YosysRun> {
  const reads = Object.keys(files)
    .map((name) => `read_verilog ${name}`)
    .join('; ');
  // Latches are made by `proc` (proc_dlatch) and nowhere later, so elaboration is enough: a full
  // `synth` of the wide arrays of the larger presets takes the WebAssembly Yosys tens of minutes.
  return runYosysScript(
    files,
    `${reads}; hierarchy -check -top ${top}; proc; opt_clean; check -assert; select -assert-none t:$_DLATCH* t:$dlatch t:$adlatch t:$dlatchsr`,
  );
}

/** Where Yosys comes from: the WebAssembly build (default, same version everywhere) or the system's `yosys`. */
export type YosysTool = 'wasm' | 'system';

/**
 * Synthesis targets: vendor families with their own techmap, generic logic mapped to 4-input LUTs,
 * or `gates` (technology-independent area: NAND, NOR and NOT gates and flip-flops, memories kept).
 */
export const SYNTH_TARGETS = ['generic', 'gates', 'ice40', 'ecp5', 'xilinx'] as const;
export type SynthTarget = (typeof SYNTH_TARGETS)[number];

/**
 * The synthesis command per target. Every one flattens, so `stat` and the netlist describe one module.
 * `generic` has no block RAM or DSP: memories become flip-flops and multipliers become gates; the final
 * `abc -lut 4` gives a technology-neutral LUT count. `gates` keeps each memory an array (`$mem_v2`,
 * counted in bits apart) and maps the logic to two-input CMOS gates for a gate-equivalent area. `ice40 -dsp` maps multipliers to SB_MAC16 (UltraPlus).
 * Xilinx runs out of context (no I/O or clock buffers): a generated module is a core inside a larger design.
 */
const SYNTH_COMMANDS: Record<SynthTarget, (top: string) => string> = {
  generic: (top) => `synth -top ${top} -flatten; abc -lut 4; opt_clean`,
  // synth up to its fine mapping (memories inferred, not yet mapped to flip-flops), then gates.
  gates: (top) =>
    `synth -top ${top} -flatten -run begin:fine; opt -fast -full; techmap; opt -fast; ` +
    'abc -g cmos2; opt_clean',
  ice40: (top) => `synth_ice40 -top ${top} -dsp`,
  ecp5: (top) => `synth_ecp5 -top ${top}`,
  xilinx: (top) => `synth_xilinx -top ${top} -flatten -family xc7 -noiopad -noclkbuf`,
};

export interface SynthRun extends YosysRun {
  /** Output of `stat -json` after synthesis (undefined when synthesis failed). */
  stat?: string;
  /** Output of `write_json`: the flattened netlist, for logic depth and place and route. */
  netlist?: string;
}

/** Synthesizes `top` from `files` (name -> Verilog) for `target` with the chosen Yosys. Never throws for a failing script. */
export async function synthesize(
  files: Record<string, string>,
  top: string,
  target: SynthTarget,
  tool: YosysTool = 'wasm',
): Promise<SynthRun> {
  const reads = Object.keys(files)
    .map((name) => `read_verilog ${name}`)
    .join('; ');
  const script = `${reads}; ${SYNTH_COMMANDS[target](top)}; tee -q -o stat.json stat -json; write_json netlist.json`;
  const run =
    tool === 'wasm'
      ? await runYosysScript(files, script)
      : await runSystemYosysScript(files, script);
  return { ...run, stat: run.files['stat.json'], netlist: run.files['netlist.json'] };
}

/** Version of the Yosys that `tool` selects, for reports (Yosys versions differ by ~30% in area). */
export async function yosysToolVersion(
  tool: YosysTool,
): Promise<{ name: string; version: string }> {
  if (tool === 'wasm') return yosysVersion();
  const line = await requireTool('yosys');
  return { name: 'yosys', version: /Yosys (\S+)/.exec(line)?.[1] ?? line };
}

/** Same contract as runYosysScript, with the system `yosys` working in a scratch directory. */
export async function runSystemYosysScript(
  files: Record<string, string>,
  script: string,
): Promise<YosysRun> {
  const dir = mkdtempSync(join(tmpdir(), 'spatten-yosys-'));
  try {
    for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
    const result = await runTool('yosys', ['-q', '-p', script], dir);
    const written = Object.fromEntries(
      readdirSync(dir)
        .filter((name) => !(name in files))
        .map((name) => [name, readFileSync(join(dir, name), 'utf8')]),
    );
    return { ok: result.ok, log: result.output, files: written };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
