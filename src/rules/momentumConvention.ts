// momentum-convention (NL109): a BatchNorm momentum written in the other framework's convention.
import type { NormLayerFact } from '../analysis/normLayers';
import type { Rule, RuleFinding } from './rule';

export const momentumConvention: Rule = {
  code: 'NL109',
  name: 'momentum-convention',
  defaultSeverity: 'warning',
  docs: {
    whatItDoes: 'Checks for BatchNorm momentum values that follow the other framework\'s convention: `momentum` ≥ 0.5 in PyTorch, ≤ 0.5 in Keras.',
    whyIsThisBad:
      'The two frameworks use the word for opposite things. PyTorch updates running statistics as ' +
      '`running = (1 − momentum)·running + momentum·batch` (default 0.1), Keras as ' +
      '`running = momentum·running + (1 − momentum)·batch` (default 0.99). Porting `momentum=0.99` from Keras to ' +
      'PyTorch makes the running mean and variance follow almost only the last batch, so evaluation-mode outputs ' +
      'jump with every batch and validation accuracy can collapse while training looks fine; the reverse makes ' +
      'Keras running statistics crawl. Nothing raises an error.',
    example: 'import torch.nn as nn\n\nbn = nn.BatchNorm2d(64, momentum=0.99)  # Keras-style: keeps 1% of the history',
    useInstead: 'import torch.nn as nn\n\nbn = nn.BatchNorm2d(64, momentum=0.01)  # PyTorch-style: 1% of each new batch',
    references: [
      { title: 'torch.nn.BatchNorm2d', url: 'https://pytorch.org/docs/stable/generated/torch.nn.BatchNorm2d.html' },
      { title: 'keras.layers.BatchNormalization', url: 'https://keras.io/api/layers/normalization_layers/batch_normalization/' },
    ],
  },
  check: ({ facts }) => facts.normLayers.flatMap(checkLayer),
};

function checkLayer(layer: NormLayerFact): RuleFinding[] {
  // Only layers with running statistics have a momentum.
  if (layer.signature.family !== 'BatchNorm' && layer.signature.family !== 'InstanceNorm') return [];
  const momentum = layer.arguments.get('momentum');
  // Unwritten or unknown momentum is the framework's own default.
  if (!momentum || (momentum.value.kind !== 'float' && momentum.value.kind !== 'int')) return [];
  const value = momentum.value.value;
  const isTorch = layer.qualifiedName.startsWith('torch.');
  // Values inside the framework's own range are fine.
  if (isTorch ? value < 0.5 : value > 0.5) return [];
  // 0 and 1 are deliberate (frozen or last-batch statistics), not a convention mix-up.
  if (value <= 0 || value >= 1) return [];
  const converted = Number((1 - value).toPrecision(6));
  const message = isTorch
    ? `\`momentum=${momentum.source}\` looks like Keras' convention: PyTorch weights the new batch by ${value}, keeping only ${Number((1 - value).toPrecision(6))} of the running statistics; \`momentum=${converted}\` is the PyTorch equivalent`
    : `\`momentum=${momentum.source}\` looks like PyTorch's convention: Keras weights the old average by ${value}; \`momentum=${converted}\` is the Keras equivalent`;
  return [
    {
      message,
      range: momentum.range,
      layer,
      basis: [momentum],
      fixes: [{ title: `Set \`momentum=${converted}\``, edits: [{ range: momentum.range, newText: String(converted) }], isPreferred: true }],
    },
  ];
}
