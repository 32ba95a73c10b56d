// instance-norm-spatial-one (NL107): InstanceNorm (or one-channel GroupNorm groups) on 1×1 maps.
import type { LayerInputFact } from '../analysis/layerFlow';
import type { Rule, RuleFinding } from './rule';

export const instanceNormSpatialOne: Rule = {
  code: 'NL107',
  name: 'instance-norm-spatial-one',
  defaultSeverity: 'error',
  docs: {
    whatItDoes:
      'Checks for InstanceNorm layers after a global pooling (`AdaptiveAvgPool2d(1)`), and GroupNorm layers there whose groups hold one channel each.',
    whyIsThisBad:
      'InstanceNorm normalizes each sample and channel over its spatial positions. After pooling to 1×1 there is one ' +
      'position: its variance is zero and its mean is the value itself. In training PyTorch refuses with ' +
      '`ValueError: Expected more than 1 spatial element when training, got input size torch.Size([8, 64, 1, 1])`. ' +
      'GroupNorm with one channel per group has the same single value per set but does not raise: it silently ' +
      'outputs zeros (then the bias), so everything after it learns from constants.',
    example: 'import torch.nn as nn\n\nhead = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.InstanceNorm2d(512))',
    useInstead: 'import torch.nn as nn\n\nhead = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.LayerNorm(512))',
    references: [{ title: 'torch.nn.InstanceNorm2d', url: 'https://pytorch.org/docs/stable/generated/torch.nn.InstanceNorm2d.html' }],
  },
  check: ({ facts }) => facts.layerInputs.flatMap(checkInput),
};

function checkInput(input: LayerInputFact): RuleFinding[] {
  const { consumer, spatialCollapsedBy } = input;
  // Only a pool to size 1 before the layer leaves one spatial element.
  if (!spatialCollapsedBy || consumer.isIncomplete) return [];
  const pool = `\`${spatialCollapsedBy.name}(${spatialCollapsedBy.outputSize.source})\` (line ${spatialCollapsedBy.range.start.line + 1})`;
  const related = [{ range: spatialCollapsedBy.range, message: 'pools every spatial axis to 1' }];
  if (consumer.signature.family === 'InstanceNorm') {
    return [
      {
        message: `\`nn.${consumer.signature.displayName}\` after ${pool} sees one spatial element per channel; PyTorch raises \`Expected more than 1 spatial element when training\``,
        range: consumer.range,
        layer: consumer,
        related,
      },
    ];
  }
  if (consumer.signature.family !== 'GroupNorm') return [];
  const groups = consumer.arguments.get('num_groups');
  const channels = consumer.arguments.get('num_channels');
  // GroupNorm is only degenerate when each group holds a single channel.
  if (groups?.value.kind !== 'int' || channels?.value.kind !== 'int' || groups.value.value !== channels.value.value) return [];
  return [
    {
      message: `\`nn.GroupNorm(${groups.source}, ${channels.source})\` after ${pool} holds one value per group: its output is all zeros before the bias`,
      range: consumer.range,
      layer: consumer,
      basis: [groups, channels],
      related,
    },
  ];
}
