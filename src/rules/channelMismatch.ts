// channel-mismatch (NL102): a norm layer's feature count differs from the channels arriving from the layer before it.
import { channelsOf } from '../analysis/layerFlow';
import type { LayerInputFact } from '../analysis/layerFlow';
import { lastAxisSize } from '../analysis/values';
import type { Rule, RuleFinding } from './rule';

export const channelMismatch: Rule = {
  code: 'NL102',
  name: 'channel-mismatch',
  defaultSeverity: 'error',
  docs: {
    whatItDoes:
      'Checks for normalization layers whose `num_features`, `num_channels` or `normalized_shape` differs from the channels produced by the layer before them in `nn.Sequential` or `forward`.',
    whyIsThisBad:
      'A norm layer keeps one mean, variance, weight and bias per channel, sized when it is built. When the previous ' +
      'layer produces a different number of channels, the first forward pass fails with ' +
      '`RuntimeError: running_mean should contain 64 elements not 32` (BatchNorm), `Expected weight to be a vector ' +
      'of size equal to the number of channels in input` (GroupNorm) or `Given normalized_shape=[256], expected input ' +
      'with shape [*, 256]` (LayerNorm) — usually after the data pipeline has already spent its start-up time.',
    example: 'import torch.nn as nn\n\nblock = nn.Sequential(nn.Conv2d(3, 64, 3), nn.BatchNorm2d(32), nn.ReLU())',
    useInstead: 'import torch.nn as nn\n\nblock = nn.Sequential(nn.Conv2d(3, 64, 3), nn.BatchNorm2d(64), nn.ReLU())',
    references: [{ title: 'torch.nn.BatchNorm2d', url: 'https://pytorch.org/docs/stable/generated/torch.nn.BatchNorm2d.html' }],
  },
  check: ({ facts }) => facts.layerInputs.flatMap(checkInput),
};

function checkInput(input: LayerInputFact): RuleFinding[] {
  const { consumer, producer } = input;
  // Without a known producer there is nothing to compare with.
  if (!producer || consumer.isIncomplete) return [];
  const expected = channelsOf(consumer);
  const produced = channelsOf(producer);
  if (!expected || !produced) return [];
  // LayerNorm reads the last axis; the others read axis 1. A producer whose channels sit elsewhere is another rule's business.
  const readsLastAxis = expected.axis === 'last';
  if (readsLastAxis ? produced.axis === 'first' : produced.axis === 'last') return [];
  // InstanceNorm without weight or running statistics accepts any channel count.
  if (consumer.signature.family === 'InstanceNorm' && !isTrue(consumer, 'affine') && !isTrue(consumer, 'track_running_stats')) return [];
  const expectedCount = readsLastAxis ? lastAxisSize(expected.channels.value) : expected.channels.value.kind === 'int' ? expected.channels.value.value : undefined;
  const producedCount = produced.channels.value.kind === 'int' ? produced.channels.value.value : undefined;
  // Both numbers must be known and differ; symbols that are equal, or unknown, say nothing.
  if (expectedCount === undefined || producedCount === undefined || expectedCount === producedCount) return [];
  const producerName = `nn.${producer.signature.displayName}`;
  const line = producer.range.start.line + 1;
  const parameter = expected.channels.parameter;
  const newText = readsLastAxis && expected.channels.value.kind === 'sequence' ? `[${producedCount}]` : String(producedCount);
  return [
    {
      message:
        `\`nn.${consumer.signature.displayName}\` expects ${expectedCount} ${readsLastAxis ? 'features' : 'channels'}` +
        ` but \`${producerName}\` (line ${line}) produces ${producedCount}`,
      range: expected.channels.range,
      layer: consumer,
      basis: [expected.channels, produced.channels],
      related: [{ range: producer.range, message: `\`${producerName}\` produces ${producedCount}` }],
      fixes: [{ title: `Set \`${parameter}\` to ${producedCount}`, edits: [{ range: expected.channels.range, newText }], isPreferred: true }],
    },
  ];
}

function isTrue(layer: LayerInputFact['consumer'], parameter: string): boolean {
  const value = layer.arguments.get(parameter)?.value;
  return value?.kind === 'bool' && value.value;
}
