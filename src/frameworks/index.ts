// Every framework's normalization layers that the analyzer recognizes, by qualified name.
import type { LayerSignature } from './layerSignature';
import { torchNormLayers } from './torch';

export const normLayerSignatures: readonly LayerSignature[] = [...torchNormLayers];

export const signatureByQualifiedName: ReadonlyMap<string, LayerSignature> = new Map(
  normLayerSignatures.flatMap((signature) => signature.qualifiedNames.map((name) => [name, signature] as const)),
);
