// Explains a batch size for hover: which BatchNorm layers it reaches (in this file, or in the
// files whose models this file builds) and how many values per channel each then normalizes over.
import type { LintResult } from '../analysis/lint';
import { contains } from '../python/pythonParser';
import type { Position, SourceRange } from '../python/pythonParser';
import { batchNormsIn, describeLayer, layersRunBy, layersTrainedByLoader } from '../rules/batchStatistics';

export interface BatchSizeExplanation {
  range: SourceRange;
  markdown: string;
}

export function explainBatchSizeAt(result: LintResult, position: Position): BatchSizeExplanation | undefined {
  const { facts } = result;
  const loader = facts.dataLoaders.find((candidate) => contains(candidate.range, position));
  const call = loader ? undefined : facts.modelCalls.find((candidate) => contains(candidate.range, position));
  const batchSize = loader ? loader.batchSizeValue : call?.batchSize;
  if ((!loader && !call) || batchSize === undefined) return undefined;
  const layers = call ? layersRunBy(facts, call) : layersTrainedByLoader(facts);
  const exposures = batchNormsIn(facts, layers);
  const origin = loader?.batchSize ? `\`batch_size=${loader.batchSize.source}\`` : loader ? "DataLoader's default `batch_size=1`" : `\`${call!.source}\``;
  const heading = `**Batch size ${batchSize}** — from ${origin}${loader && !loader.looksLikeTraining ? ' (an evaluation loader: BatchNorm uses its running statistics there)' : ''}`;
  if (exposures.length === 0) return { range: loader?.batchSize?.range ?? loader?.range ?? call!.range, markdown: `${heading}\n\nNo BatchNorm layer this file builds depends on it.` };
  const rows = exposures.map(({ layer, singleValueReason }) => {
    const channels = layer.arguments.get('num_features')?.value;
    const perChannel = singleValueReason ? `${batchSize} (one per sample, ${singleValueReason})` : `${batchSize} × H×W`;
    return `| ${describeLayer(layer)} | ${channels?.kind === 'int' ? channels.value : '?'} | ${perChannel} |`;
  });
  return {
    range: loader?.batchSize?.range ?? loader?.range ?? call!.range,
    markdown: [heading, 'In training, each BatchNorm takes its statistics over the whole batch:', '| layer | channels | values per channel |', '|---|---|---|', ...rows].join('\n'),
  };
}
