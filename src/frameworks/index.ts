// Every framework's normalization layers that the analyzer recognizes, by qualified name.
import { kerasNormLayers } from './keras';
import type { LayerSignature, ModuleSignature } from './layerSignature';
import { torchModules, torchNormLayers } from './torch';

const normLayerSignatures: readonly LayerSignature[] = [...torchNormLayers, ...kerasNormLayers];

export const signatureByQualifiedName: ReadonlyMap<string, LayerSignature> = new Map(
  normLayerSignatures.flatMap((signature) => signature.qualifiedNames.map((name) => [name, signature] as const)),
);

export const moduleSignatureByQualifiedName: ReadonlyMap<string, ModuleSignature> = new Map(
  torchModules.flatMap((signature) => signature.qualifiedNames.map((name) => [name, signature] as const)),
);

export const sequentialNames: ReadonlyMap<string, true> = new Map([
  ['torch.nn.Sequential', true],
  ['torch.nn.modules.Sequential', true],
  ['torch.nn.modules.container.Sequential', true],
]);
