import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { designModules } from '../../generator/modules';
import { renderDesign } from '../../generator/render/design';
import { rootModules } from '../../generator/render/package/shape';
import { type Access, registerMap } from '../../generator/soc/register-map';
import { configWith } from '../support/config';

const resolved = configWith('tiny');
const modules = designModules(resolved.config);
const files = renderDesign(modules, resolved);
const file = (path: string) => {
  const found = files.find((f) => f.path === path);
  if (!found)
    throw new Error(`${path} was not rendered (have: ${files.map((f) => f.path).join(', ')})`);
  return found.content;
};
const asList = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

describe('FuseSoC CAPI2 core', () => {
  const text = file('tiny.core');
  const core = parse(text) as Record<string, any>;

  it('starts with the CAPI=2 tag and names the core by VLNV', () => {
    expect(text.startsWith('CAPI=2:\n')).toBe(true);
    expect(core.name).toBe('spatten-gen:spatten:tiny:0.1.0');
  });

  it('lists every Verilog file in dependency order and the constraint files', () => {
    expect(core.filesets.rtl.files).toEqual(modules.map((m) => `${m.name}.v`));
    expect(core.filesets.constraints_sdc.files).toEqual(['tiny.sdc']);
    expect(core.filesets.constraints_xdc.files).toEqual(['tiny.xdc']);
  });

  it('has default and Verilator -Wall lint targets whose parameters are vlogparams with the resolved defaults', () => {
    const top = core.targets.default.toplevel as string;
    const primary = modules.find((m) => m.name === top);
    expect(primary).toBeDefined();
    expect(core.targets.lint.toplevel).toBe(top);
    expect(core.targets.lint.tools.verilator.verilator_options).toEqual(['-Wall']);
    for (const param of primary?.params ?? []) {
      expect(core.parameters[param.name]).toMatchObject({
        datatype: 'int',
        default: param.value,
        paramtype: 'vlogparam',
      });
    }
    for (const root of rootModules(modules).filter((m) => m !== primary))
      expect(core.targets[`lint_${root.stem}`].toplevel).toBe(root.name);
  });
});

describe('IP-XACT 1685-2014 components', () => {
  const roots = rootModules(modules);
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_' });

  it('one well-formed component per root module with VLNV, model, file set and parameters', () => {
    expect(roots.length).toBeGreaterThan(0);
    for (const root of roots) {
      const xml = file(`${root.name}.component.xml`);
      expect(XMLValidator.validate(xml), root.name).toBe(true);
      const component = parser.parse(xml)['ipxact:component'];
      expect(component['@_xmlns:ipxact']).toBe(
        'http://www.accellera.org/XMLSchema/IPXACT/1685-2014',
      );
      expect([
        component['ipxact:vendor'],
        component['ipxact:library'],
        component['ipxact:name'],
        component['ipxact:version'],
      ]).toEqual(['spatten-gen', 'spatten', root.name, '0.1.0']);
      const ports = asList(component['ipxact:model']['ipxact:ports']['ipxact:port']);
      expect(ports.map((p: any) => p['ipxact:name'])).toEqual(root.ports.map((p) => p.name));
      const instantiation =
        component['ipxact:model']['ipxact:instantiations']['ipxact:componentInstantiation'];
      expect(instantiation['ipxact:moduleName']).toBe(root.name);
      const fileNames = asList(component['ipxact:fileSets']['ipxact:fileSet']['ipxact:file']).map(
        (f: any) => f['ipxact:name'],
      );
      expect(fileNames).toEqual(modules.map((m) => `${m.name}.v`));
      const params = asList(component['ipxact:parameters']?.['ipxact:parameter']);
      expect(params.map((p: any) => [p['ipxact:name'], p['ipxact:value']])).toEqual(
        root.params.map((p) => [p.name, p.value]),
      );
    }
  });

  it('maps every stream to an AXI4-Stream interface: valid, ready, last and the fields packed into TDATA', () => {
    // The attention core instantiates topk; then zero_eliminator is the root whose interfaces are all streams.
    const topk =
      roots.find((m) => m.stem === 'topk') ?? roots.find((m) => m.stem === 'zero_eliminator');
    if (!topk) throw new Error('tiny design has no topk');
    const component = parser.parse(file(`${topk.name}.component.xml`))['ipxact:component'];
    const interfaces = asList(component['ipxact:busInterfaces']['ipxact:busInterface']);
    expect(interfaces.map((b: any) => b['ipxact:name'])).toEqual(topk.streams.map((s) => s.name));
    for (const [index, stream] of topk.streams.entries()) {
      const bus = interfaces[index];
      expect(bus['ipxact:busType']['@_name']).toBe('AXI4Stream');
      expect(bus[stream.direction === 'in' ? 'ipxact:slave' : 'ipxact:master']).toBe('');
      const maps = asList(
        bus['ipxact:abstractionTypes']['ipxact:abstractionType']['ipxact:portMaps'][
          'ipxact:portMap'
        ],
      );
      const logical = maps.map((m: any) => m['ipxact:logicalPort']['ipxact:name']);
      expect(logical.slice(0, 2)).toEqual(['TVALID', 'TREADY']);
      expect(logical.filter((name: string) => name === 'TDATA')).toHaveLength(stream.fields.length);
      if (stream.last) expect(logical.at(-1)).toBe('TLAST');
      // Slices of TDATA tile it from bit 0 without gaps.
      let next = 0;
      for (const map of maps.filter(
        (m: any) => m['ipxact:logicalPort']['ipxact:name'] === 'TDATA',
      )) {
        const range = map['ipxact:logicalPort']['ipxact:range'];
        expect(range['ipxact:right']).toBe(next);
        next = range['ipxact:left'] + 1;
      }
      const physical = new Set(topk.ports.map((p) => p.name));
      for (const map of maps)
        expect(physical.has(map['ipxact:physicalPort']['ipxact:name'])).toBe(true);
    }
  });
});

describe('IP-XACT AXI4 memory masters', () => {
  it('every m_axi port (optionally channel-prefixed) is mapped in an AXI4 master interface named by its prefix', () => {
    const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_' });
    const axiRoots = rootModules(modules).filter((m) => m.ports.some((p) => /m_axi_/.test(p.name)));
    expect(axiRoots.length).toBeGreaterThan(0);
    for (const root of axiRoots) {
      const component = parser.parse(file(`${root.name}.component.xml`))['ipxact:component'];
      const axi = asList(component['ipxact:busInterfaces']['ipxact:busInterface']).filter(
        (b: any) => b['ipxact:busType']['@_name'] === 'AXI4',
      );
      const mapped = axi.flatMap((b: any) =>
        asList(
          b['ipxact:abstractionTypes']['ipxact:abstractionType']['ipxact:portMaps'][
            'ipxact:portMap'
          ],
        ),
      );
      expect(mapped.map((m: any) => m['ipxact:physicalPort']['ipxact:name']).sort()).toEqual(
        root.ports
          .filter((p) => /m_axi_/.test(p.name))
          .map((p) => p.name)
          .sort(),
      );
      for (const bus of axi) expect(bus['ipxact:master']).toBe('');
      expect(mapped.map((m: any) => m['ipxact:logicalPort']['ipxact:name'])).toContain('ARVALID');
    }
  });
});

describe('IP-XACT AXI4-Lite slave and register map of the integration shell', () => {
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_' });
  /** 1685-2014 numbers are SystemVerilog expressions: `'h1C`, or a plain decimal. */
  const number = (value: string | number) => {
    if (typeof value === 'number') return value;
    expect(value).toMatch(/^'h[0-9A-F]+$/);
    return Number.parseInt(value.slice(2), 16);
  };
  /** The encoding each access kind must have (ipxact-registers.ts says why). */
  const ENCODING: Record<Access, Record<string, unknown>> = {
    const: { 'ipxact:access': 'read-only' },
    ro: { 'ipxact:access': 'read-only', 'ipxact:volatile': true },
    rw: { 'ipxact:access': 'read-write' },
    w1c: {
      'ipxact:access': 'read-write',
      'ipxact:volatile': true,
      'ipxact:modifiedWriteValue': 'oneToClear',
    },
    w1p: { 'ipxact:access': 'write-only', 'ipxact:testable': false },
  };
  const ACCESS_KEYS = [
    'ipxact:access',
    'ipxact:volatile',
    'ipxact:modifiedWriteValue',
    'ipxact:testable',
  ];

  describe.each(['tiny', 'fpga'])('preset %s', (preset) => {
    const design = configWith(preset);
    const presetModules = designModules(design.config);
    const out = renderDesign(presetModules, design);
    const soc = presetModules.find((m) => m.stem === 'soc');
    if (!soc) throw new Error(`${preset} design has no soc`);
    const xml = out.find((f) => f.path === `${soc.name}.component.xml`)?.content ?? '';
    const component = parser.parse(xml)['ipxact:component'];
    const memoryMaps = asList(component['ipxact:memoryMaps']?.['ipxact:memoryMap']);

    it('one register per register map entry, at its offset, with its fields', () => {
      expect(memoryMaps).toHaveLength(1);
      const block = memoryMaps[0]['ipxact:addressBlock'];
      expect(number(block['ipxact:baseAddress'])).toBe(0);
      expect(block['ipxact:width']).toBe(32);
      expect(block['ipxact:usage']).toBe('register');
      const map = registerMap(design.config);
      const registers = asList(block['ipxact:register']);
      expect(
        registers.map((r: any) => [r['ipxact:name'], number(r['ipxact:addressOffset'])]),
      ).toEqual(map.map((r) => [r.name, r.offset]));
      // The range is the smallest power of two that holds every register.
      const range = number(block['ipxact:range']);
      const end = Math.max(...map.map((r) => r.offset + 4));
      expect(Number.isInteger(Math.log2(range))).toBe(true);
      expect(range >= end && range / 2 < end).toBe(true);
      for (const [index, register] of map.entries()) {
        const node = registers[index];
        expect(node['ipxact:size']).toBe(32);
        expect(node['ipxact:description']).toBe(register.doc);
        const fields = asList(node['ipxact:field']);
        expect(fields).toHaveLength(register.fields.length);
        for (const [at, field] of register.fields.entries()) {
          const f = fields[at];
          expect(
            [f['ipxact:name'], f['ipxact:bitOffset'], f['ipxact:bitWidth']],
            register.name,
          ).toEqual([field.name, field.lsb, field.width]);
          expect(number(f['ipxact:resets']['ipxact:reset']['ipxact:value'])).toBe(field.reset);
          const access = Object.fromEntries(
            ACCESS_KEYS.filter((key) => key in f).map((key) => [key, f[key]]),
          );
          expect(access, `${register.name}.${field.name}`).toEqual(ENCODING[field.access]);
        }
      }
    });

    it('the s_axil slave maps every s_axil port once and refers to the memory map', () => {
      const lite = asList(component['ipxact:busInterfaces']['ipxact:busInterface']).filter(
        (b: any) => b['ipxact:name'] === 's_axil',
      );
      expect(lite).toHaveLength(1);
      const bus = lite[0];
      expect(bus['ipxact:busType']).toEqual({
        '@_vendor': 'amba.com',
        '@_library': 'AMBA4',
        '@_name': 'AXI4Lite',
        '@_version': 'r0p0_0',
      });
      const abstraction = bus['ipxact:abstractionTypes']['ipxact:abstractionType'];
      expect(abstraction['ipxact:abstractionRef']['@_name']).toBe('AXI4Lite_rtl');
      const maps = asList(abstraction['ipxact:portMaps']['ipxact:portMap']).map((m: any) => [
        m['ipxact:logicalPort']['ipxact:name'],
        m['ipxact:physicalPort']['ipxact:name'],
      ]);
      const ports = soc.ports.filter((p) => p.name.startsWith('s_axil_')).map((p) => p.name);
      expect(ports.length).toBeGreaterThan(0);
      expect(maps.map(([, physical]) => physical)).toEqual(ports);
      for (const [logical, physical] of maps)
        expect(`s_axil_${logical.toLowerCase()}`).toBe(physical.replace(/_[io]$/, ''));
      expect(maps.map(([logical]) => logical)).toEqual(
        expect.arrayContaining(['AWVALID', 'WSTRB', 'BRESP', 'ARADDR', 'RDATA', 'RRESP']),
      );
      const ref = bus['ipxact:slave']['ipxact:memoryMapRef']['@_memoryMapRef'];
      expect(memoryMaps.map((m: any) => m['ipxact:name'])).toContain(ref);
    });
  });

  it('components without an AXI4-Lite slave have no memory map', () => {
    for (const root of rootModules(modules).filter((m) => m.stem !== 'soc')) {
      const component = parser.parse(file(`${root.name}.component.xml`))['ipxact:component'];
      expect(component['ipxact:memoryMaps'], root.name).toBeUndefined();
    }
  });
});

describe('clock constraints', () => {
  it('SDC and XDC constrain clk_i to design.clockMHz', () => {
    for (const [preset, period] of [
      ['tiny', '10.000'],
      ['fpga', '5.000'],
      ['paper', '1.000'],
    ] as const) {
      const design = configWith(preset);
      const out = renderDesign(designModules(design.config), design);
      for (const ext of ['sdc', 'xdc']) {
        const text =
          out.find((f) => f.path === `${design.config.design.name}.${ext}`)?.content ?? '';
        expect(text).toContain(`create_clock -name clk_i -period ${period} [get_ports clk_i]`);
      }
    }
  });

  it('a --set clock frequency changes the period', () => {
    const design = configWith('tiny', ['design.clockMHz=125']);
    const sdc = renderDesign(designModules(design.config), design).find((f) =>
      f.path.endsWith('.sdc'),
    )?.content;
    expect(sdc).toContain('-period 8.000');
  });
});

describe('determinism', () => {
  it('packaging renders byte-identical twice', () => {
    expect(renderDesign(modules, resolved)).toEqual(files);
  });
});
