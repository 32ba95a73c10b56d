// The rule registry: every rule normlint runs, in code order. Adding a rule means adding it here.
import { deprecatedWeightNorm } from './deprecatedWeightNorm';
import { groupDivisibility } from './groupDivisibility';
import { momentumConvention } from './momentumConvention';
import type { Rule } from './rule';

export const rules: readonly Rule[] = [groupDivisibility, momentumConvention, deprecatedWeightNorm];

export function ruleByName(name: string): Rule | undefined {
  return rules.find((rule) => rule.name === name || rule.code === name);
}
