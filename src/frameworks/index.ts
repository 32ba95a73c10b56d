// Every framework's normalization layers that the analyzer recognizes, by qualified name.
import { kerasNormLayers } from './keras';
import type { LayerSignature } from './layerSignature';
import { torchNormLayers } from './torch';

export const normLayerSignatures: readonly LayerSignature[] = [...torchNormLayers, ...kerasNormLayers];

export const signatureByQualifiedName: ReadonlyMap<string, LayerSignature> = new Map(
  normLayerSignatures.flatMap((signature) => signature.qualifiedNames.map((name) => [name, signature] as const)),
);
