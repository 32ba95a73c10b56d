// Checks model configs saved as JSON in the diffusers layout (`config.json` next to the weights):
// every entry of `block_out_channels` becomes the channel count of GroupNorm layers with
// `norm_num_groups` (or `resnet_groups`) groups, so each must divide. Only values the file states
// are used: no library default is assumed.
import { findNodeAtLocation, parseTree } from 'jsonc-parser';
import type { Node as JsonNode } from 'jsonc-parser';
import type { SeveritySetting } from '../analysis/lint';
import { computeLineStarts, positionAt } from '../python/pythonParser';
import type { SourceRange } from '../python/pythonParser';
import { groupDivisibility, suggestedGroupCounts } from '../rules/groupDivisibility';
import type { Finding } from '../rules/rule';

/** The keys that name the group count of the GroupNorm layers a diffusers model builds. */
const groupKeys = ['norm_num_groups', 'resnet_groups'] as const;

/** Whether a JSON file looks like a model config worth reading (cheap, before parsing). */
function mayBeModelConfig(text: string): boolean {
  return text.includes('"block_out_channels"');
}

export function lintDiffusersConfig(text: string, severities: Readonly<Record<string, SeveritySetting | undefined>> = {}): Finding[] {
  const setting = severities[groupDivisibility.name];
  if (setting === 'off' || !mayBeModelConfig(text)) return [];
  const root = parseTree(text);
  const channels = root && findNodeAtLocation(root, ['block_out_channels']);
  if (!root || channels?.type !== 'array') return [];
  const lineStarts = computeLineStarts(text);
  const rangeOf = (node: JsonNode): SourceRange => ({ start: positionAt(lineStarts, node.offset), end: positionAt(lineStarts, node.offset + node.length) });
  const findings: Finding[] = [];
  for (const key of groupKeys) {
    const groupsNode = findNodeAtLocation(root, [key]);
    if (groupsNode?.type !== 'number' || !Number.isInteger(groupsNode.value)) continue;
    const groups = groupsNode.value as number;
    (channels.children ?? []).forEach((item, index) => {
      if (item.type !== 'number' || !Number.isInteger(item.value) || item.value <= 0) return;
      const count = item.value as number;
      if (groups > 0 && count % groups === 0) return;
      findings.push({
        code: groupDivisibility.code,
        rule: groupDivisibility.name,
        severity: setting === undefined || setting === 'default' ? groupDivisibility.defaultSeverity : setting,
        message:
          `\`block_out_channels[${index}]\` = ${count} is not divisible by \`${key}\` = ${groups}: the model's GroupNorm layers get ` +
          `${count} channels in ${groups} groups, which PyTorch refuses; ${suggestedGroupCounts(count, groups).join(' or ')} groups would divide it`,
        range: rangeOf(item),
        related: [{ range: rangeOf(groupsNode), message: `\`${key}\` sets the group count` }],
      });
    });
  }
  return findings;
}
