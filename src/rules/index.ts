// The rule registry: every rule normlint runs, in code order. Adding a rule means adding it here.
import { batchSizeOne } from './batchSizeOne';
import { channelMismatch } from './channelMismatch';
import { deprecatedWeightNorm } from './deprecatedWeightNorm';
import { groupDivisibility } from './groupDivisibility';
import { instanceNormSpatialOne } from './instanceNormSpatialOne';
import { lastBatchOne } from './lastBatchOne';
import { layerNormChannelsFirst } from './layerNormChannelsFirst';
import { momentumConvention } from './momentumConvention';
import { normRankMismatch } from './normRankMismatch';
import { redundantBias } from './redundantBias';
import { smallBatch } from './smallBatch';
import type { Rule } from './rule';

export const rules: readonly Rule[] = [
  groupDivisibility,
  channelMismatch,
  normRankMismatch,
  batchSizeOne,
  lastBatchOne,
  smallBatch,
  instanceNormSpatialOne,
  layerNormChannelsFirst,
  momentumConvention,
  deprecatedWeightNorm,
  redundantBias,
];

export function ruleByName(name: string): Rule | undefined {
  return rules.find((rule) => rule.name === name || rule.code === name);
}
