// norm-rank-mismatch (NL103): a BatchNorm or InstanceNorm fed a tensor of the wrong rank.
import type { LayerInputFact } from '../analysis/layerFlow';
import type { Rule, RuleFinding } from './rule';

export const normRankMismatch: Rule = {
  code: 'NL103',
  name: 'norm-rank-mismatch',
  defaultSeverity: 'error',
  docs: {
    whatItDoes: 'Checks for BatchNorm and InstanceNorm layers fed a tensor of another rank than their 1d/2d/3d variant takes, such as `BatchNorm2d` after `Linear` or `Flatten`.',
    whyIsThisBad:
      'The number in the class name is the number of spatial axes: `BatchNorm1d` takes (N, C) or (N, C, L), ' +
      '`BatchNorm2d` (N, C, H, W), `BatchNorm3d` (N, C, D, H, W). Fed anything else, the first forward pass raises ' +
      '`ValueError: expected 4D input (got 2D input)`. It happens when a convolutional block is reused after ' +
      '`Flatten`/`Linear`, or a 1d norm is copied into an image model.',
    example: 'import torch.nn as nn\n\nhead = nn.Sequential(nn.Flatten(), nn.Linear(512, 256), nn.BatchNorm2d(256))',
    useInstead: 'import torch.nn as nn\n\nhead = nn.Sequential(nn.Flatten(), nn.Linear(512, 256), nn.BatchNorm1d(256))',
    references: [{ title: 'torch.nn.BatchNorm1d', url: 'https://pytorch.org/docs/stable/generated/torch.nn.BatchNorm1d.html' }],
  },
  check: ({ facts }) => facts.layerInputs.flatMap(checkInput),
};

function checkInput(input: LayerInputFact): RuleFinding[] {
  const { consumer, rank } = input;
  const accepted = consumer.signature.inputRanks;
  // Only layers with a fixed set of ranks, fed a tensor of known rank, can be judged.
  if (!accepted || !rank || consumer.isIncomplete) return [];
  // A rank the layer takes is fine.
  if (accepted.includes(rank.value)) return [];
  const name = `nn.${consumer.signature.displayName}`;
  const expected = accepted.map((value) => `${value}-D`).join(' or ');
  const suggestion = variantFor(consumer.signature.displayName, rank.value);
  return [
    {
      message:
        `\`${name}\` expects ${expected} input but receives the ${rank.value}-D output of \`${rank.setBy.name}\` (line ${rank.setBy.range.start.line + 1})` +
        (suggestion ? `; \`nn.${suggestion}\` takes ${rank.value}-D input` : ''),
      range: consumer.range,
      layer: consumer,
      related: [{ range: rank.setBy.range, message: `\`${rank.setBy.name}\` outputs ${rank.value}-D tensors` }],
    },
  ];
}

/** The sibling class that takes `rank`-D input: BatchNorm1d for 2-D, BatchNorm2d for 4-D. */
function variantFor(displayName: string, rank: number): string | undefined {
  const match = /^(BatchNorm|InstanceNorm)[123]d$/.exec(displayName);
  if (!match) return undefined;
  const spatialAxes = match[1] === 'BatchNorm' ? (rank === 2 ? 1 : rank - 2) : rank - 2;
  return spatialAxes >= 1 && spatialAxes <= 3 ? `${match[1]}${spatialAxes}d` : undefined;
}
