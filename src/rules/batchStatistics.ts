// What the batch-size rules share: which BatchNorm layers a batch reaches, and how many values
// per channel each of them then sees.
import type { DataLoaderFact, ModelCallFact } from '../analysis/batchSizes';
import type { DocumentFacts } from '../analysis/documentFacts';
import { fileLabel } from '../analysis/fileLabel';
import type { NormLayerFact } from '../analysis/normLayers';
import type { RelatedLocation } from './rule';

export interface BatchNormExposure {
  layer: NormLayerFact;
  /** Why the layer sees one value per channel at batch size 1, e.g. "after `nn.Linear` (line 7)"; absent when it has spatial positions. */
  singleValueReason?: string;
}

/**
 * The BatchNorm layers among `layers`, once each; none when the file converts them with
 * `nn.SyncBatchNorm.convert_sync_batchnorm`, whose statistics pool every device's batch.
 */
export function batchNormsIn(facts: DocumentFacts, layers: readonly NormLayerFact[]): BatchNormExposure[] {
  if (facts.convertsToSyncBatchNorm) return [];
  const seen = new Set<string>();
  const exposures: BatchNormExposure[] = [];
  for (const layer of layers) {
    if (layer.signature.family !== 'BatchNorm' || layer.signature.displayName === 'SyncBatchNorm') continue;
    const key = `${layer.uri ?? ''}:${layer.range.start.line}:${layer.range.start.character}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const reason = singleValueReason(facts, layer);
    exposures.push(reason ? { layer, singleValueReason: reason } : { layer });
  }
  return exposures;
}

/** A BatchNorm fed (N, C) vectors, or maps pooled to 1×1, has N values per channel. */
function singleValueReason(facts: DocumentFacts, layer: NormLayerFact): string | undefined {
  const inputs = layer.uri === undefined ? facts.layerInputs : facts.importedLayerInputs;
  for (const input of inputs) {
    if (input.uri !== layer.uri || input.consumer.range.start.line !== layer.range.start.line || input.consumer.range.start.character !== layer.range.start.character) continue;
    if (input.spatialCollapsedBy) return `after \`${input.spatialCollapsedBy.name}(${input.spatialCollapsedBy.outputSize.source})\` (${lineIn(layer.uri, input.spatialCollapsedBy.range.start.line)})`;
    if (input.rank?.value === 2) return `after \`${input.rank.setBy.name}\` (${lineIn(layer.uri, input.rank.setBy.range.start.line)})`;
  }
  return undefined;
}

export function describeLayer(layer: NormLayerFact): string {
  return `\`nn.${layer.signature.displayName}\` (${lineIn(layer.uri, layer.range.start.line)})`;
}

/** `line 7`, or `unet.py line 7` for a line of another file. */
function lineIn(uri: string | undefined, line: number): string {
  return uri === undefined ? `line ${line + 1}` : `${fileLabel(uri)} line ${line + 1}`;
}

/** The layers a training loader's batches reach: the file's own, and those its code builds in other files. */
export function layersTrainedByLoader(facts: DocumentFacts): NormLayerFact[] {
  return [...facts.normLayers, ...facts.importedLayers];
}

/** The layers a model call runs: its class's, in this file or (for an imported class) built by its constructor call. */
export function layersRunBy(facts: DocumentFacts, call: ModelCallFact): NormLayerFact[] {
  const own = facts.normLayers.filter((layer) => layer.functionId !== undefined && call.functionIds.has(layer.functionId));
  const constructor = call.constructorRange;
  const imported = constructor
    ? facts.importedLayers.filter((layer) => layer.callChain[0]?.range.start.line === constructor.start.line && layer.callChain[0].range.start.character === constructor.start.character)
    : [];
  return [...own, ...imported];
}

/** A related location on a layer, naming its file when it is another one. */
export function atLayer(layer: NormLayerFact, message: string): RelatedLocation {
  return { range: layer.range, message, ...(layer.uri === undefined ? {} : { uri: layer.uri }) };
}

/** Where a loader's batch size is written when that is in another file (a config): the finding is reported there too. */
export function batchSizeOrigins(loader: DataLoaderFact): RelatedLocation[] {
  const value = loader.batchSize?.value;
  if (!value || value.kind === 'unknown') return [];
  return value.origins.flatMap((origin) => (origin.uri === undefined ? [] : [{ range: origin.range, message: `\`${origin.name}\` sets the batch size`, uri: origin.uri }]));
}
