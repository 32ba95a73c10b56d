// Checks model configs in the diffusers layout — the `config.json` next to the weights, or the
// same keys in a training YAML: every entry of `block_out_channels` becomes the channel count of
// GroupNorm layers with `norm_num_groups` (or `resnet_groups`) groups, so each must divide. Only
// values the file states are used: no library default is assumed.
import type { SeveritySetting } from '../analysis/lint';
import { groupDivisibility, suggestedGroupCounts } from '../rules/groupDivisibility';
import type { Finding } from '../rules/rule';
import { forEachConfigValue, parseConfigTree } from './configTree';
import type { ConfigFormat, ConfigTree } from './configTree';

/** The keys that name the group count of the GroupNorm layers a diffusers model builds. */
const groupKeys = ['norm_num_groups', 'resnet_groups'] as const;

/** Whether a file looks like a model config worth reading (cheap, before parsing). */
export function mayBeDiffusersConfig(text: string): boolean {
  return text.includes('block_out_channels');
}

export function lintDiffusersConfig(text: string, severities: Readonly<Record<string, SeveritySetting | undefined>> = {}, format: ConfigFormat = 'json'): Finding[] {
  if (severities[groupDivisibility.name] === 'off' || !mayBeDiffusersConfig(text)) return [];
  return lintDiffusersConfigTree(parseConfigTree(text, format), severities);
}

/**
 * The check on a parsed config. Any mapping with `block_out_channels` is a model: at the top of a
 * diffusers `config.json`, or nested in a training config (`unet: {block_out_channels: …}`).
 */
export function lintDiffusersConfigTree(tree: ConfigTree, severities: Readonly<Record<string, SeveritySetting | undefined>> = {}): Finding[] {
  const setting = severities[groupDivisibility.name];
  if (setting === 'off') return [];
  const findings: Finding[] = [];
  forEachConfigValue(tree.root, (model, _path, label) => {
    const channels = model.kind === 'mapping' ? model.entries.get('block_out_channels') : undefined;
    if (model.kind !== 'mapping' || channels?.kind !== 'sequence') return;
    const prefix = label === '' ? '' : `${label}.`;
    for (const key of groupKeys) {
      const groupsValue = model.entries.get(key);
      if (groupsValue?.kind !== 'int') continue;
      const groups = groupsValue.value;
      channels.items.forEach((item, index) => {
        if (item.kind !== 'int' || item.value <= 0) return;
        const count = item.value;
        if (groups > 0 && count % groups === 0) return;
        findings.push({
          code: groupDivisibility.code,
          rule: groupDivisibility.name,
          severity: setting === undefined || setting === 'default' ? groupDivisibility.defaultSeverity : setting,
          message:
            `\`${prefix}block_out_channels[${index}]\` = ${count} is not divisible by \`${prefix}${key}\` = ${groups}: the model's GroupNorm layers get ` +
            `${count} channels in ${groups} groups, which PyTorch refuses; ${suggestedGroupCounts(count, groups).join(' or ')} groups would divide it`,
          range: item.range,
          related: [{ range: groupsValue.range, message: `\`${key}\` sets the group count` }],
        });
      });
    }
  });
  return findings;
}
