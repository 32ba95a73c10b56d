// layernorm-channels-first (NL108): LayerNorm(C) applied to a channels-first (N, C, H, W) tensor.
import { channelsOf } from '../analysis/layerFlow';
import type { LayerInputFact } from '../analysis/layerFlow';
import { lastAxisSize, normalizedAxisCount } from '../analysis/values';
import type { Rule, RuleFinding } from './rule';

export const layerNormChannelsFirst: Rule = {
  code: 'NL108',
  name: 'layernorm-channels-first',
  defaultSeverity: 'warning',
  docs: {
    whatItDoes: 'Checks for `LayerNorm(C)` applied directly to the output of a convolution, whose C channels are on axis 1, not the last axis.',
    whyIsThisBad:
      '`nn.LayerNorm(normalized_shape)` normalizes over the last axes of its input. A convolution outputs (N, C, H, W), ' +
      'so `LayerNorm(C)` normalizes over W: it raises `RuntimeError: Given normalized_shape=[64], expected input with ' +
      'shape [*, 64]` unless the width happens to equal C — and then it trains silently with statistics over the ' +
      'wrong axis. ConvNeXt-style code permutes to channels-last first, or uses `GroupNorm(1, C)` to normalize over ' +
      '(C, H, W).',
    example: 'import torch.nn as nn\n\nstem = nn.Sequential(nn.Conv2d(3, 64, 4, stride=4), nn.LayerNorm(64))',
    useInstead: 'import torch.nn as nn\n\nstem = nn.Sequential(nn.Conv2d(3, 64, 4, stride=4), nn.GroupNorm(1, 64))',
    references: [{ title: 'torch.nn.LayerNorm', url: 'https://pytorch.org/docs/stable/generated/torch.nn.LayerNorm.html' }],
  },
  check: ({ facts }) => facts.layerInputs.flatMap(checkInput),
};

function checkInput(input: LayerInputFact): RuleFinding[] {
  const { consumer, producer, rank } = input;
  // Only LayerNorm over a single axis reads "the last axis" as if it were the channels.
  if (consumer.signature.family !== 'LayerNorm' || !producer || consumer.isIncomplete) return [];
  const shape = consumer.arguments.get('normalized_shape');
  // A parameter (`LayerNorm(dim)`) is taken as one axis, as channel counts are.
  if (!shape || (shape.value.kind !== 'symbol' && normalizedAxisCount(shape.value) !== 1)) return [];
  const produced = channelsOf(producer);
  // The channels must sit on axis 1 of a tensor with spatial axes (a convolution's output).
  if (!produced || produced.axis !== 'first' || !rank || rank.value < 3) return [];
  const channels = produced.channels.value;
  const size = lastAxisSize(shape.value);
  const sameCount =
    (channels.kind === 'int' && size === channels.value) || (channels.kind === 'symbol' && shape.value.kind === 'symbol' && channels.key === shape.value.key);
  // A different count is a plain mismatch, not this confusion.
  if (!sameCount) return [];
  const producerName = `nn.${producer.signature.displayName}`;
  return [
    {
      message:
        `\`nn.LayerNorm(${shape.source})\` normalizes the last axis, but \`${producerName}\` (line ${producer.range.start.line + 1}) puts its ` +
        `\`${produced.channels.source}\` channels on axis 1 of a ${rank.value}-D tensor; permute to channels-last first or use \`nn.GroupNorm(1, ${produced.channels.source})\``,
      range: consumer.range,
      layer: consumer,
      basis: [shape, produced.channels],
      related: [{ range: producer.range, message: 'outputs channels first (N, C, …)' }],
    },
  ];
}
