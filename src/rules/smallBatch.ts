// small-batch (NL106): BatchNorm trained with few samples per batch.
import type { DataLoaderFact } from '../analysis/batchSizes';
import type { DocumentFacts } from '../analysis/documentFacts';
import { atLayer, batchNormsIn, batchSizeOrigins, describeLayer, layersTrainedByLoader } from './batchStatistics';
import type { Rule, RuleContext, RuleFinding } from './rule';

export const smallBatch: Rule = {
  code: 'NL106',
  name: 'small-batch',
  defaultSeverity: 'warning',
  docs: {
    whatItDoes:
      'Checks for training DataLoaders whose batch size is below 8 (warning) or 16 (information) in a file with BatchNorm layers; both thresholds are settings.',
    whyIsThisBad:
      'BatchNorm\'s batch statistics get noisier as the batch shrinks, and the model trains on that noise. In the ' +
      'Group Normalization paper\'s ImageNet ResNet-50 experiments, BatchNorm\'s error was 23.6% at 32 images per GPU, ' +
      '24.8% at 8, 27.3% at 4 and 34.7% at 2, while GroupNorm stayed near 24% throughout. Nothing raises an error: ' +
      'accuracy just ends up worse.',
    example: 'loader = DataLoader(train_set, batch_size=4, shuffle=True)  # with nn.BatchNorm2d in the model',
    useInstead: 'loader = DataLoader(train_set, batch_size=32, shuffle=True)  # or nn.GroupNorm(32, C) in the model',
    references: [{ title: 'Wu & He, Group Normalization (2018), figure 1 and table 3', url: 'https://arxiv.org/abs/1803.08494' }],
  },
  check: ({ facts, thresholds }) => facts.dataLoaders.flatMap((loader) => checkLoader(facts, loader, thresholds)),
};

function checkLoader(facts: DocumentFacts, loader: DataLoaderFact, thresholds: RuleContext['thresholds']): RuleFinding[] {
  const batchSize = loader.batchSizeValue;
  // Batches of one are batch-size-one's; evaluation loaders do not train BatchNorm.
  if (batchSize === undefined || batchSize < 2 || batchSize >= thresholds.smallBatchInformation || !loader.looksLikeTraining) return [];
  const exposures = batchNormsIn(facts, layersTrainedByLoader(facts));
  if (exposures.length === 0) return [];
  const first = exposures[0]!.layer;
  return [
    {
      message:
        `Batch size ${batchSize} is small for BatchNorm (${describeLayer(first)}${exposures.length > 1 ? ` and ${exposures.length - 1} more` : ''}): ` +
        'its batch statistics get noisy (ResNet-50 on ImageNet: 23.6% error at 32 images per GPU, 27.3% at 4, 34.7% at 2); ' +
        'use a larger batch, `nn.SyncBatchNorm` across devices, or `nn.GroupNorm`',
      range: loader.batchSize?.range ?? loader.range,
      related: [...batchSizeOrigins(loader), atLayer(first, 'computes statistics over the batch')],
      severity: batchSize < thresholds.smallBatchWarning ? 'warning' : 'information',
    },
  ];
}
