// last-batch-one (NL105): a training DataLoader whose last batch holds a single sample.
import type { DataLoaderFact } from '../analysis/batchSizes';
import type { DocumentFacts } from '../analysis/documentFacts';
import { atLayer, batchNormsIn, batchSizeOrigins, describeLayer, layersTrainedByLoader } from './batchStatistics';
import type { Fix, Rule, RuleFinding } from './rule';

export const lastBatchOne: Rule = {
  code: 'NL105',
  name: 'last-batch-one',
  defaultSeverity: 'warning',
  docs: {
    whatItDoes:
      'Checks for training DataLoaders over a dataset of known length whose last batch holds one sample (`len(dataset) % batch_size == 1`) without `drop_last=True`, in a file with BatchNorm layers.',
    whyIsThisBad:
      'Every epoch ends with a batch of one. A BatchNorm that sees one value per channel there (after `Linear` or ' +
      'global pooling) raises `ValueError: Expected more than 1 value per channel when training` — at the end of the ' +
      'first epoch, after all the time it took to get there; the others normalize that batch with a single ' +
      'sample\'s statistics.',
    example: 'loader = DataLoader(TensorDataset(torch.randn(1001, 16)), batch_size=100, shuffle=True)',
    useInstead: 'loader = DataLoader(TensorDataset(torch.randn(1001, 16)), batch_size=100, shuffle=True, drop_last=True)',
    references: [{ title: 'torch.utils.data.DataLoader', url: 'https://pytorch.org/docs/stable/data.html#torch.utils.data.DataLoader' }],
  },
  check: ({ facts }) => facts.dataLoaders.flatMap((loader) => checkLoader(facts, loader)),
};

function checkLoader(facts: DocumentFacts, loader: DataLoaderFact): RuleFinding[] {
  const batchSize = loader.batchSizeValue;
  const length = loader.datasetLength;
  // Both the length and the batch size must be known, and the loader must train.
  if (!length || batchSize === undefined || batchSize < 2 || !loader.looksLikeTraining) return [];
  // Only a remainder of exactly one leaves a single sample.
  if (length.value % batchSize !== 1) return [];
  const dropLast = loader.dropLast?.value;
  // `drop_last=True` discards it; an unknown value is not second-guessed.
  if (loader.dropLast && !(dropLast?.kind === 'bool' && !dropLast.value)) return [];
  const exposures = batchNormsIn(facts, layersTrainedByLoader(facts));
  if (exposures.length === 0) return [];
  const crashing = exposures.find((exposure) => exposure.singleValueReason);
  const consequence = crashing
    ? `${describeLayer(crashing.layer)} gets one value per channel ${crashing.singleValueReason} and PyTorch raises \`Expected more than 1 value per channel when training\``
    : `${describeLayer(exposures[0]!.layer)} normalizes it with one sample's statistics`;
  const fix = dropLastFix(loader);
  return [
    {
      message: `The last batch holds 1 sample (${length.value} = ${Math.floor(length.value / batchSize)} × ${batchSize} + 1): ${consequence}; set \`drop_last=True\``,
      range: loader.range,
      related: [...batchSizeOrigins(loader), ...exposures.map((exposure) => atLayer(exposure.layer, 'computes statistics over the batch'))],
      ...(fix ? { fixes: [fix] } : {}),
    },
  ];
}

function dropLastFix(loader: DataLoaderFact): Fix | undefined {
  if (loader.dropLast) return { title: 'Set `drop_last=True`', edits: [{ range: loader.dropLast.range, newText: 'True' }], isPreferred: true };
  if (!loader.argumentsEnd) return undefined;
  return { title: 'Set `drop_last=True`', edits: [{ range: { start: loader.argumentsEnd, end: loader.argumentsEnd }, newText: ', drop_last=True' }], isPreferred: true };
}
