/**
 * FuseSoC CAPI2 core file: the RTL and constraint filesets, a default target on the primary toplevel
 * with its Verilog parameters as vlogparams (defaults = the config-resolved values), and Verilator
 * lint targets (-Wall, as `spatten lint` runs it) for every root module.
 */
import { stringify } from 'yaml';
import type { ResolvedConfig } from '../../config/load';
import type { ModuleIR } from '../../dsl/ir';
import { GENERATOR_NAME, GENERATOR_VERSION } from '../../version';
import type { OutputFile } from '../design';
import { primaryModule } from './shape';

export function coreName(resolved: ResolvedConfig): string {
  return `${GENERATOR_NAME}:spatten:${resolved.config.design.name}:${GENERATOR_VERSION}`;
}

export function renderFusesocCore(
  resolved: ResolvedConfig,
  modules: readonly ModuleIR[],
  roots: readonly ModuleIR[],
  constraints: readonly OutputFile[],
): OutputFile {
  const primary = primaryModule(roots);
  const lint = (module: ModuleIR) => ({
    default_tool: 'verilator',
    filesets: ['rtl'],
    toplevel: module.name,
    tools: { verilator: { mode: 'lint-only', verilator_options: ['-Wall'] } },
  });
  const core = {
    name: coreName(resolved),
    description: `SpAtten sparse-attention accelerator RTL, preset ${resolved.preset}, config ${resolved.hash}`,
    filesets: {
      rtl: { files: modules.map((module) => `${module.name}.v`), file_type: 'verilogSource-2005' },
      constraints_sdc: {
        files: constraints.filter((f) => f.path.endsWith('.sdc')).map((f) => f.path),
        file_type: 'SDC',
      },
      constraints_xdc: {
        files: constraints.filter((f) => f.path.endsWith('.xdc')).map((f) => f.path),
        file_type: 'xdc',
      },
    },
    targets: {
      default: {
        filesets: ['rtl'],
        toplevel: primary.name,
        parameters: primary.params.map((param) => param.name),
      },
      lint: { ...lint(primary), parameters: primary.params.map((param) => param.name) },
      ...Object.fromEntries(
        roots
          .filter((module) => module !== primary)
          .map((module) => [`lint_${module.stem}`, lint(module)]),
      ),
    },
    parameters: Object.fromEntries(
      primary.params.map((param) => [
        param.name,
        { datatype: 'int', default: param.value, description: param.doc, paramtype: 'vlogparam' },
      ]),
    ),
  };
  return {
    path: `${resolved.config.design.name}.core`,
    content: `CAPI=2:\n${stringify(core, { lineWidth: 0 })}`,
  };
}
