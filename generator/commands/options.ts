/** Options shared by every command that works on a configured design. */
import type { Command } from 'commander';
import { type ResolvedConfig, resolveConfig } from '../config/load';
import { PRESET_NAMES } from '../config/presets';
import { InputError, showValue } from '../errors';

export interface ConfigOptions {
  preset?: string;
  config?: string;
  set?: string[];
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function addConfigOptions(command: Command): Command {
  return command
    .option('--preset <name>', `named preset (${PRESET_NAMES.join(', ')}); default fpga`)
    .option('--config <file>', 'YAML or JSON config file, merged over the preset')
    .option('--set <key.path=value>', 'override one config value (repeatable)', collect);
}

export function configFromOptions(options: ConfigOptions): ResolvedConfig {
  return resolveConfig({ preset: options.preset, configFile: options.config, sets: options.set });
}

/** Parses a non-negative integer flag, or throws a usage error naming the flag. */
export function parseIntegerFlag(flag: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) {
    throw new InvalidFlag(`${flag} ${showValue(text)}: must be an integer from ${min} to ${max}`);
  }
  return value;
}

export function parseFractionFlag(flag: string, text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0 || value > 0.95) {
    throw new InvalidFlag(`${flag} ${showValue(text)}: must be a number from 0 to 0.95`);
  }
  return value;
}

/** A bad flag value (exit code 2); a subclass so the CLI reports it like any input error. */
export class InvalidFlag extends InputError {}
