/**
 * Cross-field rules: constraints that involve more than one field. Each section contributes its
 * rules; `checkRules` runs all of them so the user sees every problem at once.
 */
import type { Config } from './schema';

export interface RuleViolation {
  /** Dotted key path of the field to change. */
  path: string;
  value: unknown;
  message: string;
}

export type Rule = (config: Config) => RuleViolation[];

const zeroEliminatorRules: Rule[] = [
  ({ zeroEliminator: ze }) =>
    !ze.pack && ze.outLanes !== ze.lanes
      ? [{ path: 'zeroEliminator.outLanes', value: ze.outLanes, message: `must equal zeroEliminator.lanes (${ze.lanes}) when pack is false` }]
      : [],
  ({ zeroEliminator: ze }) =>
    ze.pack && ze.outLanes < ze.lanes
      ? [{ path: 'zeroEliminator.outLanes', value: ze.outLanes, message: `must be at least zeroEliminator.lanes (${ze.lanes}) when pack is true` }]
      : [],
  ({ zeroEliminator: ze }) =>
    ze.lanes * ze.dataBits > 4096
      ? [{ path: 'zeroEliminator.dataBits', value: ze.dataBits, message: `lanes × dataBits must be at most 4096 bits per beat (is ${ze.lanes * ze.dataBits})` }]
      : [],
];

export const RULES: Rule[] = [...zeroEliminatorRules];

export function checkRules(config: Config): RuleViolation[] {
  return RULES.flatMap((rule) => rule(config));
}
