import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { resetPortName } from '../../generator/dsl/builder';
import { PIN_WRAPPER_PINS, pinWrapper } from '../../generator/flows/pin-wrapper';
import { collectModules } from '../../generator/modules';
import { fetcherModule } from '../../generator/modules/fetcher';
import { renderDesign } from '../../generator/render/design';
import { portWidth } from '../../generator/render/package/shape';
import { configWith } from '../support/config';
import { availableSimulators } from '../support/simulators';

const tools = availableSimulators();

describe.runIf(tools.length === 2)('pin wrapper for place and route', () => {
  const resolved = configWith('tiny');
  const fetcher = fetcherModule(resolved.config);
  const wrapper = pinWrapper(fetcher, resetPortName(resolved.config));
  const dir = mkdtempSync(join(tmpdir(), 'spatten-pinwrap-'));
  const files = renderDesign(collectModules([fetcher]), resolved).filter((file) =>
    file.path.endsWith('.v'),
  );
  for (const file of files) writeFileSync(join(dir, file.path), file.content);
  writeFileSync(join(dir, `${wrapper.name}.v`), wrapper.verilog);
  const sources = [`${wrapper.name}.v`, ...files.map((file) => file.path)];

  it('shifts every data input in and every output out, through five pins', () => {
    const bits = (direction: string) =>
      fetcher.ports
        .filter(
          (port) =>
            port.direction === direction &&
            !['clk_i', resetPortName(resolved.config)].includes(port.name),
        )
        .reduce((total, port) => total + portWidth(fetcher, port), 0);
    expect(wrapper).toMatchObject({ inputBits: bits('input'), outputBits: bits('output') });
    expect(wrapper.verilog.match(/^\s+(input|output)\s+wire/gm)).toHaveLength(PIN_WRAPPER_PINS);
  });

  it('is clean under Verilator -Wall and Icarus -g2005', async () => {
    const lint = await execa(
      'verilator',
      ['--lint-only', '-Wall', '--top-module', wrapper.name, ...sources],
      { cwd: dir, reject: false },
    );
    expect(lint.exitCode, lint.stderr).toBe(0);
    const icarus = await execa(
      'iverilog',
      ['-g2005', '-o', '/dev/null', '-s', wrapper.name, ...sources],
      { cwd: dir, reject: false },
    );
    expect(icarus.exitCode, icarus.stderr).toBe(0);
  });
});
