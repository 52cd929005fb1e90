import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { toolVersion } from '../../generator/flows/tools';

const spatten = (...args: string[]) =>
  execa('nice', ['node', 'bin/spatten.mjs', ...args], { reject: false });

describe('spatten synth: bad input exits 2 before any synthesis', () => {
  it('names an unknown target and lists the allowed ones', async () => {
    const run = await spatten('synth', 'topk', '--preset', 'tiny', '--target', 'stratix');
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(
      'error: --target "stratix": unknown target (allowed: generic, gates, ice40, ecp5, xilinx)',
    );
  });

  it('names an unknown module and lists every synthesizable one', async () => {
    const run = await spatten('synth', 'nosuch', '--preset', 'tiny');
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(
      /error: synth "nosuch": unknown module \(allowed: .*zero_eliminator.*topk.*sync_ram/,
    );
  });

  it('refuses --pnr off iCE40 and an unknown Yosys', async () => {
    const pnr = await spatten('synth', 'topk', '--preset', 'tiny', '--target', 'xilinx', '--pnr');
    expect(pnr.exitCode).toBe(2);
    expect(pnr.stderr).toContain(
      'error: --pnr: place and route needs --target ice40 (got "xilinx")',
    );
    const yosys = await spatten('synth', 'topk', '--preset', 'tiny', '--yosys', 'docker');
    expect(yosys.exitCode).toBe(2);
    expect(yosys.stderr).toContain(
      'error: --yosys "docker": unknown Yosys (allowed: wasm, system)',
    );
  });
});

describe('spatten synth with WebAssembly Yosys and nextpnr (tiny preset)', () => {
  it('zero eliminator on iCE40: the synth JSON document, routed with an fmax', async () => {
    const run = await spatten(
      'synth',
      'zero_eliminator',
      '--preset',
      'tiny',
      '--target',
      'ice40',
      '--pnr',
      '--json',
    );
    expect(run.exitCode, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(Object.keys(report)).toEqual([
      'module',
      'preset',
      'configHash',
      'target',
      'tool',
      'cells',
      'luts',
      'ffs',
      'brams',
      'dsps',
      'lutLevels',
      'logicDepth',
      'estDelayNs',
      'fmaxEstMHz',
      'criticalPath',
      'timingModel',
      'fmaxMHz',
      'pnr',
    ]);
    expect(report).toMatchObject({
      module: 'spatten_zero_eliminator',
      preset: 'tiny',
      target: 'ice40',
      tool: { name: 'yowasp-yosys' },
    });
    expect(report.luts).toBeGreaterThan(50);
    expect(report.ffs).toBeGreaterThan(20);
    expect(report.cells).toBeGreaterThanOrEqual(report.luts + report.ffs);
    expect(report.logicDepth).toBeGreaterThan(1);
    expect(report.lutLevels).toBeGreaterThan(0);
    expect(report.lutLevels).toBeLessThanOrEqual(report.logicDepth);
    expect(report.fmaxEstMHz).toBeCloseTo(1000 / report.estDelayNs, 0);
    expect(report.criticalPath.from).not.toBe('');
    expect(report.criticalPath.to).toMatch(/\(SB_\w+\)$|_o(\[\d+\])?$/);
    expect(report.fmaxMHz).toBeGreaterThan(10);
  }, 300_000);

  it('the memory template maps to iCE40 block RAM, and to flip-flops on the generic target', async () => {
    const ice40 = JSON.parse(
      (await spatten('synth', 'sync_ram', '--preset', 'tiny', '--target', 'ice40', '--json'))
        .stdout,
    );
    expect(ice40.brams).toBeGreaterThanOrEqual(1);
    expect(ice40.fmaxMHz).toBeNull();
    const generic = JSON.parse(
      (await spatten('synth', 'sync_ram', '--preset', 'tiny', '--target', 'generic', '--json'))
        .stdout,
    );
    expect(generic.brams).toBe(0);
    expect(generic.ffs).toBeGreaterThan(ice40.ffs);
    // The gate flow keeps the memory an array: its Depth x Width bits, no gates for it.
    const gates = JSON.parse(
      (await spatten('synth', 'sync_ram', '--preset', 'tiny', '--target', 'gates', '--json'))
        .stdout,
    );
    expect(gates.memoryBits).toBe(256 * 32);
    expect(gates.ffs).toBe(0);
    expect(generic.gateEquivalents).toBeUndefined();
  }, 300_000);

  it('--yosys system runs the installed yosys and reports its version', async (context) => {
    if ((await toolVersion('yosys')) === undefined) {
      console.log('skipped: no system yosys on PATH');
      context.skip();
    }
    const run = await spatten(
      'synth',
      'zero_eliminator',
      '--preset',
      'tiny',
      '--target',
      'ice40',
      '--yosys',
      'system',
      '--json',
    );
    expect(run.exitCode, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.tool.name).toBe('yosys');
    expect(report.tool.version).toMatch(/^\d+\.\d+/);
    expect(report.luts).toBeGreaterThan(50);
  }, 300_000);
});
