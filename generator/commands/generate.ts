/** `spatten generate`: render the design for a config and write it (atomically) to the output directory. */
import type { Command } from 'commander';
import { designModules } from '../modules';
import { renderDesign } from '../render/design';
import { checkOutputDir, writeOutputDir } from '../render/write';
import { type ConfigOptions, addConfigOptions, configFromOptions } from './options';

interface GenerateOptions extends ConfigOptions {
  out?: string;
}

export function registerGenerate(program: Command): void {
  addConfigOptions(
    program
      .command('generate')
      .description('emit the Verilog, files.f and manifest.json for a config'),
  )
    .option('--out <dir>', 'output directory (default rtl-out/<preset>)')
    .action((options: GenerateOptions) => {
      const resolved = configFromOptions(options);
      const outDir = options.out ?? `rtl-out/${resolved.preset}`;
      checkOutputDir(outDir, 'design');
      const files = renderDesign(designModules(resolved.config), resolved);
      writeOutputDir(outDir, 'design', files);
      process.stderr.write(
        `wrote ${files.length} files to ${outDir} (preset ${resolved.preset}, config ${resolved.hash})\n`,
      );
    });
}
