// The rule registry: every rule normlint runs, in code order. Adding a rule means adding it here.
import { groupDivisibility } from './groupDivisibility';
import type { Rule } from './rule';

export const rules: readonly Rule[] = [groupDivisibility];

export function ruleByName(name: string): Rule | undefined {
  return rules.find((rule) => rule.name === name || rule.code === name);
}
