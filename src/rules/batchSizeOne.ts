// batch-size-one (NL104): BatchNorm trained on batches of one sample.
import type { DataLoaderFact, ModelCallFact } from '../analysis/batchSizes';
import type { DocumentFacts } from '../analysis/documentFacts';
import { atLayer, batchNormsIn, batchSizeOrigins, describeLayer, layersRunBy, layersTrainedByLoader } from './batchStatistics';
import type { BatchNormExposure } from './batchStatistics';
import type { RelatedLocation, Rule, RuleFinding } from './rule';

export const batchSizeOne: Rule = {
  code: 'NL104',
  name: 'batch-size-one',
  defaultSeverity: 'error',
  docs: {
    whatItDoes:
      'Checks for BatchNorm layers in training mode on batches of one sample: a model of this file called on `torch.randn(1, …)` before `.eval()`, or a training `DataLoader` with `batch_size=1`.',
    whyIsThisBad:
      'In training mode BatchNorm normalizes with the statistics of the current batch. Where a channel then holds a ' +
      'single value — a `BatchNorm1d` after `Linear`, or any BatchNorm after global pooling — PyTorch raises ' +
      '`ValueError: Expected more than 1 value per channel when training, got input size torch.Size([1, 128])`; this ' +
      'is the most reported normalization crash, typically from a model summary or tracing call with a dummy input ' +
      'right after construction. Where a channel still has H×W values the call runs, but normalizes with one ' +
      'sample\'s statistics and folds them into the running averages used at evaluation.',
    example: 'model = Net()\nsummary = model(torch.randn(1, 3, 224, 224))  # still in training mode',
    useInstead: 'model = Net()\nmodel.eval()\nsummary = model(torch.randn(1, 3, 224, 224))',
    references: [{ title: 'torch.nn.BatchNorm1d', url: 'https://pytorch.org/docs/stable/generated/torch.nn.BatchNorm1d.html' }],
  },
  check: ({ facts }) => [
    ...facts.modelCalls.filter((call) => call.batchSize === 1).flatMap((call) => checkModelCall(facts, call)),
    ...facts.dataLoaders.filter((loader) => loader.batchSizeValue === 1 && loader.looksLikeTraining).flatMap((loader) => checkLoader(facts, loader)),
  ],
};

function checkModelCall(facts: DocumentFacts, call: ModelCallFact): RuleFinding[] {
  const exposures = batchNormsIn(facts, layersRunBy(facts, call));
  // A model without BatchNorm is indifferent to the batch size.
  if (exposures.length === 0) return [];
  return [finding(`\`${call.source}\` runs \`${call.className}\` in training mode on a batch of 1`, call.range, exposures, 'call `.eval()` on the model first or use a batch of 2 or more')];
}

function checkLoader(facts: DocumentFacts, loader: DataLoaderFact): RuleFinding[] {
  const exposures = batchNormsIn(facts, layersTrainedByLoader(facts));
  if (exposures.length === 0) return [];
  const written = loader.batchSize ? `\`batch_size=${loader.batchSize.source}\`` : '`batch_size` left at its default of 1';
  return [finding(`This training DataLoader has ${written}`, loader.batchSize?.range ?? loader.range, exposures, 'use a batch of 2 or more', batchSizeOrigins(loader))];
}

function finding(what: string, range: RuleFinding['range'], exposures: BatchNormExposure[], remedy: string, origins: RelatedLocation[] = []): RuleFinding {
  const crashing = exposures.find((exposure) => exposure.singleValueReason);
  const related = [
    ...origins,
    ...exposures.map((exposure) =>
      exposure.singleValueReason
        ? atLayer(exposure.layer, `one value per channel ${exposure.singleValueReason}`)
        : { ...atLayer(exposure.layer, 'normalizes with one sample\'s statistics'), severity: 'warning' as const },
    ),
  ];
  if (crashing) {
    return {
      message: `${what}: ${describeLayer(crashing.layer)} gets one value per channel ${crashing.singleValueReason} and PyTorch raises \`Expected more than 1 value per channel when training\`; ${remedy}`,
      range,
      related,
      severity: 'error',
    };
  }
  const count = exposures.length === 1 ? `${describeLayer(exposures[0]!.layer)} normalizes` : `its ${exposures.length} BatchNorm layers normalize`;
  return {
    message: `${what}: ${count} with the statistics of a single sample and fold them into the running averages; ${remedy}`,
    range,
    related,
    severity: 'warning',
  };
}
