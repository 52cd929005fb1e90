/**
 * IP-XACT (IEEE 1685-2014) component description of one root module, built with fast-xml-parser:
 * VLNV, one bus interface per stream (AMBA4 AXI4-Stream: valid/ready/last, payload fields packed
 * into TDATA in declaration order, first field in the low bits), for the AXI4 memory master
 * (`m_axi_*` ports) and for the AXI4-Lite register slave (`s_axil_*` ports, with the register map
 * as the memory map it serves), the clock and reset, ports with their resolved widths, parameters
 * and the RTL file set.
 */
import { XMLBuilder } from 'fast-xml-parser';
import type { ResolvedConfig } from '../../config/load';
import type { ModuleIR, Port, Stream } from '../../dsl/ir';
import { GENERATOR_NAME, GENERATOR_VERSION } from '../../version';
import type { OutputFile } from '../design';
import { REGISTER_MEMORY_MAP, registerMemoryMaps } from './ipxact-registers';
import { portWidth } from './shape';

const NS = 'http://www.accellera.org/XMLSchema/IPXACT/1685-2014';
const AMBA4 = { '@_vendor': 'amba.com', '@_library': 'AMBA4' };
const AXIS_BUS = { ...AMBA4, '@_name': 'AXI4Stream', '@_version': 'r0p0_1' };
const AXIS_RTL = { ...AMBA4, '@_name': 'AXI4Stream_rtl', '@_version': 'r0p0_1' };
const AXI4_BUS = { ...AMBA4, '@_name': 'AXI4', '@_version': 'r0p0_0' };
const AXI4_RTL = { ...AMBA4, '@_name': 'AXI4_rtl', '@_version': 'r0p0_0' };
const AXIL_BUS = { ...AMBA4, '@_name': 'AXI4Lite', '@_version': 'r0p0_0' };
const AXIL_RTL = { ...AMBA4, '@_name': 'AXI4Lite_rtl', '@_version': 'r0p0_0' };
/** `[c0_]m_axi_[name_]<signal>_[io]`: a channel prefix, or an interface name after m_axi. */
const AXI_MASTER_PORT = /^([a-z0-9_]*_)?m_axi_(?:([a-z0-9]+)_)?([a-z]+)_[io]$/;
/** `s_axil_<signal>_[io]`: the register block's slave, on soc_regs and on the shell around it. */
const AXIL_SLAVE_PORT = /^s_axil_([a-z]+)_[io]$/;

type Node = Record<string, unknown>;

interface PortMap {
  logical: string;
  physical: string;
  /** Bits of the logical port this physical port covers, [left, right]; whole port when absent. */
  range?: [number, number];
}

function portMap({ logical, physical, range }: PortMap): Node {
  return {
    'ipxact:logicalPort': {
      'ipxact:name': logical,
      ...(range ? { 'ipxact:range': { 'ipxact:left': range[0], 'ipxact:right': range[1] } } : {}),
    },
    'ipxact:physicalPort': { 'ipxact:name': physical },
  };
}

function busInterface(
  name: string,
  bus: Node,
  rtl: Node,
  mode: 'master' | 'slave',
  maps: readonly PortMap[],
  memoryMap?: string,
): Node {
  return {
    'ipxact:name': name,
    'ipxact:busType': bus,
    'ipxact:abstractionTypes': {
      'ipxact:abstractionType': {
        'ipxact:abstractionRef': rtl,
        'ipxact:portMaps': { 'ipxact:portMap': maps.map(portMap) },
      },
    },
    [`ipxact:${mode}`]: memoryMap ? { 'ipxact:memoryMapRef': { '@_memoryMapRef': memoryMap } } : '',
  };
}

function streamInterface(module: ModuleIR, stream: Stream): Node {
  const sfx = (producer: boolean) => ((stream.direction === 'in') === producer ? 'i' : 'o');
  const maps: PortMap[] = [
    { logical: 'TVALID', physical: `${stream.name}_valid_${sfx(true)}` },
    { logical: 'TREADY', physical: `${stream.name}_ready_${sfx(false)}` },
  ];
  let offset = 0;
  for (const field of stream.fields) {
    const physical = `${stream.name}_${field.name}_${sfx(true)}`;
    const port = module.ports.find((p) => p.name === physical) as Port;
    const width = portWidth(module, port);
    maps.push({ logical: 'TDATA', physical, range: [offset + width - 1, offset] });
    offset += width;
  }
  if (stream.last) maps.push({ logical: 'TLAST', physical: `${stream.name}_last_${sfx(true)}` });
  return busInterface(
    stream.name,
    AXIS_BUS,
    AXIS_RTL,
    stream.direction === 'in' ? 'slave' : 'master',
    maps,
  );
}

/**
 * One AXI4 master interface per port prefix: `m_axi_*`, on multi-channel modules `c0_m_axi_*`, ...,
 * and on the integration shell `m_axi_desc_*` and `m_axi_res_*`.
 */
function axiMasterInterfaces(module: ModuleIR): Node[] {
  const groups = new Map<string, PortMap[]>();
  for (const port of module.ports) {
    const match = AXI_MASTER_PORT.exec(port.name);
    if (!match) continue;
    const name = `${match[1] ?? ''}m_axi${match[2] ? `_${match[2]}` : ''}`;
    groups.set(name, [
      ...(groups.get(name) ?? []),
      { logical: (match[3] as string).toUpperCase(), physical: port.name },
    ]);
  }
  return [...groups].map(([name, maps]) => busInterface(name, AXI4_BUS, AXI4_RTL, 'master', maps));
}

/**
 * The AXI4-Lite slave, if the module has one: it serves the register map, so its slave element
 * names the memory map (registerMemoryMaps) as what the addresses decode.
 */
function axiLiteSlaveMaps(module: ModuleIR): PortMap[] {
  return module.ports.flatMap((port) => {
    const match = AXIL_SLAVE_PORT.exec(port.name);
    return match ? [{ logical: (match[1] as string).toUpperCase(), physical: port.name }] : [];
  });
}

function wirePort(module: ModuleIR, port: Port): Node {
  const width = portWidth(module, port);
  return {
    'ipxact:name': port.name,
    'ipxact:description': port.doc,
    'ipxact:wire': {
      'ipxact:direction': port.direction === 'input' ? 'in' : 'out',
      ...(width > 1
        ? { 'ipxact:vectors': { 'ipxact:vector': { 'ipxact:left': width - 1, 'ipxact:right': 0 } } }
        : {}),
    },
  };
}

export function renderIpxact(
  resolved: ResolvedConfig,
  module: ModuleIR,
  files: readonly string[],
): OutputFile {
  const parameterId = (name: string) => `p_${name}`;
  const liteMaps = axiLiteSlaveMaps(module);
  const slave = liteMaps.length > 0;
  const component = {
    '@_xmlns:ipxact': NS,
    '@_xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance',
    '@_xsi:schemaLocation': `${NS} ${NS}/index.xsd`,
    'ipxact:vendor': GENERATOR_NAME,
    'ipxact:library': 'spatten',
    'ipxact:name': module.name,
    'ipxact:version': GENERATOR_VERSION,
    'ipxact:busInterfaces': {
      'ipxact:busInterface': [
        ...module.streams.map((stream) => streamInterface(module, stream)),
        ...axiMasterInterfaces(module),
        ...(slave
          ? [busInterface('s_axil', AXIL_BUS, AXIL_RTL, 'slave', liteMaps, REGISTER_MEMORY_MAP)]
          : []),
      ],
    },
    // memoryMaps follows busInterfaces and precedes model in the 1685-2014 component.
    ...(slave ? { 'ipxact:memoryMaps': registerMemoryMaps(resolved.config) } : {}),
    'ipxact:model': {
      'ipxact:views': {
        'ipxact:view': { 'ipxact:name': 'rtl', 'ipxact:componentInstantiationRef': 'verilog_rtl' },
      },
      'ipxact:instantiations': {
        'ipxact:componentInstantiation': {
          'ipxact:name': 'verilog_rtl',
          'ipxact:language': 'verilog',
          'ipxact:moduleName': module.name,
          'ipxact:moduleParameters': {
            'ipxact:moduleParameter': module.params.map((param) => ({
              '@_parameterId': `m${parameterId(param.name)}`,
              '@_resolve': 'generated',
              '@_dataType': 'integer',
              'ipxact:name': param.name,
              'ipxact:value': parameterId(param.name),
            })),
          },
          'ipxact:fileSetRef': { 'ipxact:localName': 'rtl' },
        },
      },
      'ipxact:ports': { 'ipxact:port': module.ports.map((port) => wirePort(module, port)) },
    },
    'ipxact:fileSets': {
      'ipxact:fileSet': {
        'ipxact:name': 'rtl',
        'ipxact:file': files.map((file) => ({
          'ipxact:name': file,
          'ipxact:fileType': 'verilogSource',
        })),
      },
    },
    'ipxact:description': `${module.doc} Preset ${resolved.preset}, config ${resolved.hash}.`,
    'ipxact:parameters': {
      'ipxact:parameter': module.params.map((param) => ({
        '@_parameterId': parameterId(param.name),
        '@_resolve': 'user',
        '@_type': 'longint',
        'ipxact:name': param.name,
        'ipxact:description': param.doc,
        'ipxact:value': param.value,
      })),
    },
  };
  const builder = new XMLBuilder({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    format: true,
    indentBy: '  ',
    suppressEmptyNode: true,
  });
  const xml = builder.build({
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    'ipxact:component': component,
  }) as string;
  return { path: `${module.name}.component.xml`, content: xml };
}
