/** Violations of one section's rules, named by the section's key paths. */
import type { RuleViolation } from './rules';

/** `violation(key, value, message)`: the one violation of `section.key`, for a rule's result. */
export function sectionViolation(section: string) {
  return (key: string, value: unknown, message: string): RuleViolation[] => [
    { path: `${section}.${key}`, value, message },
  ];
}
