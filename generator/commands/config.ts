/** `spatten config print|docs`: the resolved config, and the reference of every field. */
import type { Command } from 'commander';
import { stringify } from 'yaml';
import { configDocs } from '../config/docs';
import { PRESET_NAMES } from '../config/presets';
import { fieldReach, reachText } from '../render/docs/field-reach';
import { type ConfigOptions, addConfigOptions, configFromOptions } from './options';

export function registerConfig(program: Command): void {
  const config = program.command('config').description('show configurations');
  addConfigOptions(config.command('print').description('print the resolved config'))
    .option('--json', 'print JSON instead of YAML')
    .action((options: ConfigOptions & { json?: boolean }) => {
      const resolved = configFromOptions(options);
      const document = { preset: resolved.preset, ...resolved.config };
      process.stdout.write(
        options.json ? `${JSON.stringify(document, null, 2)}\n` : stringify(document),
      );
    });
  config
    .command('docs')
    .description('print the reference of every config field (Markdown)')
    .action(() => {
      process.stdout.write(configDocs(reachText(fieldReach(PRESET_NAMES))));
    });
}
