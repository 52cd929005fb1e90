/**
 * Cross-field rules: constraints that involve more than one field. Each section file exports its
 * rules; `checkRules` runs all of them so the user sees every problem at once.
 */
import type { Config } from './schema';
import { zeroEliminatorRules } from './sections/zero-eliminator';
import { datapathRules } from './sections/datapath';
import { topkRules } from './sections/topk';
import { softmaxRules } from './sections/softmax';
import { fetcherRules } from './sections/fetcher';
import { topRules } from './sections/top';
import { memoryRules } from './sections/memory';

export interface RuleViolation {
  /** Dotted key path of the field to change. */
  path: string;
  value: unknown;
  message: string;
}

export type Rule = (config: Config) => RuleViolation[];

export const RULES: Rule[] = [
  ...zeroEliminatorRules,
  ...datapathRules,
  ...topkRules,
  ...softmaxRules,
  ...fetcherRules,
  ...topRules,
  ...memoryRules,
];

export function checkRules(config: Config): RuleViolation[] {
  return RULES.flatMap((rule) => rule(config));
}
