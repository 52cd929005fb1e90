import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { availableSimulators } from '../support/simulators';

const scratch = mkdtempSync(join(tmpdir(), 'spatten-cli-'));
const spatten = (...args: string[]) =>
  execa('node', ['bin/spatten.mjs', ...args], { reject: false });

describe('spatten generate', () => {
  it('writes the Verilog, files.f and manifest.json, byte-identical on a second run', async () => {
    const a = join(scratch, 'a');
    const b = join(scratch, 'b');
    expect((await spatten('generate', '--preset', 'fpga', '--out', a)).exitCode).toBe(0);
    expect((await spatten('generate', '--preset', 'fpga', '--out', b)).exitCode).toBe(0);
    const files = readdirSync(a).sort();
    expect(files).toContain('files.f');
    expect(files).toContain('manifest.json');
    expect(files.filter((f) => f.endsWith('.v')).length).toBeGreaterThanOrEqual(3);
    for (const file of files)
      expect(readFileSync(join(b, file)), file).toEqual(readFileSync(join(a, file)));
  });

  it('a bad --set value exits 2, names the key path and writes nothing', async () => {
    const out = join(scratch, 'never');
    const run = await spatten('generate', '--set', 'zeroEliminator.lanes=3', '--out', out);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(
      'error: config: zeroEliminator.lanes = 3: must be a power of two from 1 to 64',
    );
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(scratch).filter((f) => f.includes('never'))).toEqual([]);
  });

  it('rejects an output path that is a file, a bad prefix, an unknown preset, a malformed config file', async () => {
    const file = join(scratch, 'afile');
    writeFileSync(file, 'x');
    const onFile = await spatten('generate', '--preset', 'tiny', '--out', file);
    expect(onFile.exitCode).toBe(2);
    expect(onFile.stderr).toContain(`--out ${file}: is a file, not a folder`);
    const prefix = await spatten(
      'generate',
      '--set',
      'design.modulePrefix=my-prefix',
      '--out',
      join(scratch, 'p'),
    );
    expect(prefix.exitCode).toBe(2);
    expect(prefix.stderr).toContain(
      'design.modulePrefix = "my-prefix": must be a Verilog identifier prefix',
    );
    const preset = await spatten('generate', '--preset', 'huge', '--out', join(scratch, 'q'));
    expect(preset.exitCode).toBe(2);
    expect(preset.stderr).toContain('preset "huge": unknown preset (allowed: tiny, fpga, paper)');
    const bad = join(scratch, 'bad.yaml');
    writeFileSync(bad, 'zeroEliminator:\n  lanes: [4\n');
    const config = await spatten('generate', '--config', bad, '--out', join(scratch, 'r'));
    expect(config.exitCode).toBe(2);
    expect(config.stderr).toMatch(new RegExp(`${bad}:\\d+: `));
    for (const dir of ['p', 'q', 'r']) expect(existsSync(join(scratch, dir))).toBe(false);
  });

  it('unknown commands and options are usage errors (exit 2)', async () => {
    expect((await spatten('frobnicate')).exitCode).toBe(2);
    expect((await spatten('generate', '--bogus')).exitCode).toBe(2);
  });
});

describe('spatten config print', () => {
  it('prints the resolved config as YAML, or JSON with --json', async () => {
    const yaml = await spatten(
      'config',
      'print',
      '--preset',
      'tiny',
      '--set',
      'zeroEliminator.dataBits=9',
    );
    expect(yaml.exitCode).toBe(0);
    const doc = parse(yaml.stdout);
    expect(doc.preset).toBe('tiny');
    expect(doc.zeroEliminator.dataBits).toBe(9);
    const json = await spatten('config', 'print', '--json');
    expect(JSON.parse(json.stdout).design.name).toBe('fpga');
  });

  it('documents every field with its range', async () => {
    const docs = await spatten('config', 'docs');
    expect(docs.stdout).toContain(
      '| `zeroEliminator.lanes` | Elements per input beat (N). Power of two, 1..64. | `8` |',
    );
  });
});

const simulators = availableSimulators();

describe.each(simulators)('spatten sim on %s', (simulator) => {
  it('passes, printing the seed and a one-line result', async () => {
    const run = await spatten(
      'sim',
      'zero_eliminator',
      '--preset',
      'tiny',
      '--simulator',
      simulator,
      '--seed',
      '42',
      '--count',
      '100',
      '--stall',
      '0.3',
    );
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toContain(`seed 42`);
    expect(run.stderr).toMatch(
      new RegExp(
        `PASS zero_eliminator ${simulator} seed=42: \\d+ output beats in \\d+ cycles, 0 problem\\(s\\)`,
      ),
    );
  });
});

describe.each(simulators)('spatten sim soc on %s', (simulator) => {
  it('runs a decode step through registers and memory, golden-checked', async () => {
    const run = await spatten(
      'sim',
      'soc',
      '--preset',
      'tiny',
      '--simulator',
      simulator,
      '--seed',
      '7',
      '--json',
    );
    expect(run.exitCode, run.stderr).toBe(0);
    const host = simulator === 'verilator' ? 'c' : 'verilog';
    expect(run.stderr).toContain(`host ${host}, seed 7, 1 decode step(s)`);
    const summary = JSON.parse(run.stdout) as { pass: boolean; host: string; problems: number };
    expect(summary).toMatchObject({ pass: true, host, problems: 0 });
    if (host === 'c') expect(run.stderr).toMatch(/HOST status=0 results=\d+ cycles=\d+/);
  }, 600_000);
});

describe('spatten calibrate', () => {
  it('prints per-layer thresholds and how they fare on held-out cases', async () => {
    const run = await spatten(
      'calibrate',
      '--mode',
      'leopard',
      '--preset',
      'tiny',
      '--layers',
      '3',
      '--cases',
      '4',
      '--json',
    );
    expect(run.exitCode, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as {
      keepMass: number;
      layers: { layer: number; keptMassMean: number; planeShare: number; prunedShare: number }[];
    };
    expect(report.keepMass).toBe(0.99);
    expect(report.layers.map((l) => l.layer)).toEqual([0, 1, 2]);
    for (const l of report.layers) {
      expect(l.keptMassMean).toBeGreaterThan(0.9);
      expect(l.prunedShare).toBeGreaterThan(0);
      expect(l.planeShare).toBeGreaterThan(0);
      expect(l.planeShare).toBeLessThanOrEqual(1);
    }
  });

  it('threshold mode: the pre-score passes every kept key, and fewer bits pass more', async () => {
    const flags = ['--preset', 'tiny', '--layers', '2', '--cases', '4', '--json'];
    const run = (bits: string) =>
      spatten('calibrate', '--mode', 'threshold', '--prescore-bits', bits, ...flags);
    type Layer = { threshold: string; prunedShare: number; preScoreShare: number };
    const reports: { mode: string; preScoreBits: number; layers: Layer[] }[] = [];
    for (const bits of ['2', '5', '8']) {
      const result = await run(bits);
      expect(result.exitCode, result.stderr).toBe(0);
      reports.push(JSON.parse(result.stdout));
    }
    expect(reports.map((r) => [r.mode, r.preScoreBits])).toEqual([
      ['threshold', 2],
      ['threshold', 5],
      ['threshold', 8],
    ]);
    for (const [layer, l] of (reports[0]?.layers ?? []).entries()) {
      const shares = reports.map((r) => r.layers[layer]?.preScoreShare ?? Number.NaN);
      // Every kept key passes; reading more bits lets fewer through; all bits are the exact set.
      expect(shares[0]).toBeGreaterThanOrEqual(shares[1] ?? 0);
      expect(shares[1]).toBeGreaterThanOrEqual(shares[2] ?? 0);
      expect(shares[2]).toBeCloseTo(1 - l.prunedShare, 12);
    }
  });

  it('head workload: a threshold per layer on whole heads, later layers sharper', async () => {
    const result = await spatten(
      'calibrate',
      ...['--mode', 'threshold', '--workload', 'head', '--preset', 'tiny'],
      ...['--layers', '2', '--tokens', '32', '--json'],
    );
    expect(result.exitCode, result.stderr).toBe(0);
    type Layer = { checkCases: number; keptMassMin: number; headStrength: number[] };
    const report: { workload: string; layers: Layer[] } = JSON.parse(result.stdout);
    expect(report.workload).toBe('head');
    expect(report.layers.map((l) => [l.checkCases, l.headStrength])).toEqual([
      [32, [16, 20]],
      [32, [20, 24]],
    ]);
    for (const l of report.layers) expect(l.keptMassMin).toBeGreaterThan(0.9);
  });

  it('rejects an unknown mode or workload and a keep-mass outside (0, 1) with exit 2', async () => {
    const mode = await spatten('calibrate', '--mode', 'sprint');
    expect(mode.exitCode).toBe(2);
    expect(mode.stderr).toContain('--mode "sprint": unknown mode (allowed: leopard, threshold)');
    const bits = await spatten('calibrate', '--mode', 'leopard', '--prescore-bits', '4');
    expect(bits.exitCode).toBe(2);
    expect(bits.stderr).toContain('--prescore-bits "4": for --mode threshold only');
    const wide = await spatten(
      'calibrate',
      ...['--mode', 'threshold', '--preset', 'tiny', '--prescore-bits', '9'],
    );
    expect(wide.exitCode).toBe(2);
    expect(wide.stderr).toContain('--prescore-bits "9": must be an integer from 1 to 8');
    const workload = await spatten('calibrate', '--mode', 'leopard', '--workload', 'bert.npy');
    expect(workload.exitCode).toBe(2);
    expect(workload.stderr).toContain(
      '--workload "bert.npy": neither structured, head nor a folder',
    );
    const cases = await spatten(
      'calibrate',
      '--mode',
      'leopard',
      '--workload',
      'head',
      '--cases',
      '3',
    );
    expect(cases.exitCode).toBe(2);
    expect(cases.stderr).toContain("--cases: shapes the structured workload only (a head's");
    const mass = await spatten('calibrate', '--mode', 'leopard', '--keep-mass', '1.5');
    expect(mass.exitCode).toBe(2);
    expect(mass.stderr).toContain('--keep-mass "1.5": must be a number above 0 and below 1');
  });
});

describe('spatten sim bad input', () => {
  it('rejects unknown units, simulators and out-of-range flags with exit 2', async () => {
    const unit = await spatten('sim', 'warp_drive');
    expect(unit.exitCode).toBe(2);
    expect(unit.stderr).toMatch(/sim "warp_drive": unknown unit \(allowed: .*zero_eliminator/);
    const sim = await spatten('sim', 'zero_eliminator', '--simulator', 'modelsim');
    expect(sim.exitCode).toBe(2);
    expect(sim.stderr).toContain(
      '--simulator "modelsim": unknown simulator (allowed: icarus, verilator)',
    );
    const stall = await spatten('sim', 'zero_eliminator', '--stall', '1.5');
    expect(stall.exitCode).toBe(2);
    expect(stall.stderr).toContain('--stall "1.5": must be a number from 0 to 0.95');
    const host = await spatten('sim', 'soc', '--simulator', 'icarus', '--host', 'c');
    expect(host.exitCode).toBe(2);
    expect(host.stderr).toContain('--host c: the C driver runs on Verilator only');
    const unknownHost = await spatten('sim', 'soc', '--host', 'python');
    expect(unknownHost.exitCode).toBe(2);
    expect(unknownHost.stderr).toContain('--host "python": unknown host (allowed: verilog, c)');
    const hostElsewhere = await spatten('sim', 'topk', '--host', 'c');
    expect(hostElsewhere.exitCode).toBe(2);
    expect(hostElsewhere.stderr).toContain('--host: only for sim soc (got sim topk)');
    const waves = await spatten('sim', 'soc', '--simulator', 'verilator', '--waves');
    expect(waves.exitCode).toBe(2);
    expect(waves.stderr).toContain('--waves: the C host writes none (allowed with --host verilog)');
  });
});
