// What the batch-size rules share: which BatchNorm layers a batch reaches, and how many values
// per channel each of them then sees.
import type { DocumentFacts } from '../analysis/documentFacts';
import type { NormLayerFact } from '../analysis/normLayers';

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
    const key = `${layer.range.start.line}:${layer.range.start.character}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const reason = singleValueReason(facts, layer);
    exposures.push(reason ? { layer, singleValueReason: reason } : { layer });
  }
  return exposures;
}

/** A BatchNorm fed (N, C) vectors, or maps pooled to 1×1, has N values per channel. */
function singleValueReason(facts: DocumentFacts, layer: NormLayerFact): string | undefined {
  for (const input of facts.layerInputs) {
    if (input.consumer.range.start.line !== layer.range.start.line || input.consumer.range.start.character !== layer.range.start.character) continue;
    if (input.spatialCollapsedBy) return `after \`${input.spatialCollapsedBy.name}(${input.spatialCollapsedBy.outputSize.source})\` (line ${input.spatialCollapsedBy.range.start.line + 1})`;
    if (input.rank?.value === 2) return `after \`${input.rank.setBy.name}\` (line ${input.rank.setBy.range.start.line + 1})`;
  }
  return undefined;
}

export function describeLayer(layer: NormLayerFact): string {
  return `\`nn.${layer.signature.displayName}\` (line ${layer.range.start.line + 1})`;
}
