/**
 * Yosys behind a typed wrapper. By default the WebAssembly build from npm (@yowasp/yosys), so no system
 * install is needed and every machine runs the same version; it works on an in-memory file tree.
 */
import { runYosys, version as yowaspVersion } from '@yowasp/yosys';

export interface YosysRun {
  ok: boolean;
  /** Everything Yosys printed (stdout and stderr interleaved). */
  log: string;
  /** Text files the script wrote (e.g. `tee -q -o stat.txt stat`), by name; inputs excluded. */
  files: Record<string, string>;
}

export function yosysVersion(): { name: string; version: string } {
  return { name: 'yowasp-yosys', version: yowaspVersion };
}

/** Runs a Yosys script over `files` (name -> Verilog text). Never throws for a failing script. */
export async function runYosysScript(files: Record<string, string>, script: string): Promise<YosysRun> {
  const chunks: string[] = [];
  const decoder = new TextDecoder();
  const sink = (bytes: Uint8Array | null) => {
    if (bytes) chunks.push(decoder.decode(bytes, { stream: true }));
  };
  const written = (tree: Record<string, unknown> | undefined) =>
    Object.fromEntries(
      Object.entries(tree ?? {})
        .filter(([name, content]) => !(name in files) && (typeof content === 'string' || content instanceof Uint8Array))
        .map(([name, content]) => [name, typeof content === 'string' ? content : decoder.decode(content as Uint8Array)]),
    );
  try {
    const tree = await runYosys(['-q', '-p', script], files, { stdout: sink, stderr: sink });
    return { ok: true, log: chunks.join(''), files: written(tree) };
  } catch (error) {
    const code = (error as { code?: number }).code;
    if (code === undefined) throw error;
    return { ok: false, log: chunks.join(''), files: written((error as { files?: Record<string, unknown> }).files) };
  }
}

/**
 * Synthesizes `top` generically and fails if any latch was inferred or the netlist has problems
 * (`check -assert`: multiple drivers, combinational loops, undriven wires).
 */
export async function checkNoLatches(files: Record<string, string>, top: string): Promise<YosysRun> {
  const reads = Object.keys(files).map((name) => `read_verilog ${name}`).join('; ');
  return runYosysScript(files, `${reads}; synth -top ${top}; check -assert; select -assert-none t:$_DLATCH* t:$dlatch t:$adlatch t:$dlatchsr`);
}
