// redundant-bias (NL111): a convolution or linear layer's bias directly before BatchNorm.
import type { LayerInputFact, ModuleFact } from '../analysis/layerFlow';
import type { Fix, Rule, RuleFinding } from './rule';

export const redundantBias: Rule = {
  code: 'NL111',
  name: 'redundant-bias',
  defaultSeverity: 'hint',
  docs: {
    whatItDoes: 'Checks for convolution and linear layers with a bias whose output goes straight into BatchNorm.',
    whyIsThisBad:
      'BatchNorm subtracts each channel\'s mean, and a per-channel bias shifts that mean by exactly the bias: the bias ' +
      'is cancelled in training and absorbed by BatchNorm\'s own shift β. It still costs parameters, memory and an ' +
      'add per element, and its gradient is zero noise. ResNet and most reference implementations build these ' +
      'layers with `bias=False`.',
    example: 'import torch.nn as nn\n\nblock = nn.Sequential(nn.Conv2d(64, 64, 3, padding=1), nn.BatchNorm2d(64))',
    useInstead: 'import torch.nn as nn\n\nblock = nn.Sequential(nn.Conv2d(64, 64, 3, padding=1, bias=False), nn.BatchNorm2d(64))',
    references: [{ title: 'Ioffe & Szegedy, Batch Normalization (2015), section 3.2', url: 'https://arxiv.org/abs/1502.03167' }],
  },
  check: ({ facts }) => facts.layerInputs.flatMap(checkInput),
};

function checkInput(input: LayerInputFact): RuleFinding[] {
  const { consumer, producer, layersInBetween } = input;
  // Only BatchNorm subtracts a per-channel mean over the batch; anything in between (an activation) keeps the bias meaningful.
  if (consumer.signature.family !== 'BatchNorm' || layersInBetween > 0 || !producer || !('effect' in producer.signature)) return [];
  const module = producer as ModuleFact;
  const effect = module.signature.effect;
  if (effect.kind !== 'produce' || !effect.biasParameter) return [];
  const bias = module.arguments.get(effect.biasParameter);
  // `bias=False` is already right; a bias that is not known to be on is not reported.
  if (bias && !(bias.value.kind === 'bool' && bias.value.value)) return [];
  // `**kwargs` may carry `bias=False`.
  if (!bias && module.hasUnpackedArguments) return [];
  const fix = biasOffFix(module, effect.biasParameter);
  return [
    {
      message: `The bias of \`nn.${module.signature.displayName}\` is cancelled by the \`nn.${consumer.signature.displayName}\` right after it; set \`bias=False\``,
      range: module.range,
      related: [{ range: consumer.range, message: 'subtracts the per-channel batch mean' }],
      ...(fix ? { fixes: [fix] } : {}),
    },
  ];
}

function biasOffFix(module: ModuleFact, parameter: string): Fix | undefined {
  const written = module.arguments.get(parameter);
  if (written) return { title: `Set \`${parameter}=False\``, edits: [{ range: written.range, newText: 'False' }], isPreferred: true };
  if (!module.argumentsEnd) return undefined;
  return { title: `Set \`${parameter}=False\``, edits: [{ range: { start: module.argumentsEnd, end: module.argumentsEnd }, newText: `, ${parameter}=False` }], isPreferred: true };
}
