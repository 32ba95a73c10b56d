/**
 * The engine's single entry point for the CLI and the preview panel: `runNormalization` runs one
 * layer, described in PyTorch's (or Keras') own vocabulary, on one tensor. Weight norm, .npy
 * reading and writing and synthetic tensors are exported beside it.
 */
import { batchNorm, type BatchNormSpec } from './batchNorm';
import { NormalizationError } from './errors';
import { groupNorm, type GroupNormSpec } from './groupNorm';
import { instanceNorm, type InstanceNormSpec } from './instanceNorm';
import {
  kerasBatchNormalization,
  kerasGroupNormalization,
  kerasLayerNormalization,
  type KerasBatchNormalizationSpec,
  type KerasGroupNormalizationSpec,
  type KerasLayerNormalizationSpec,
} from './keras';
import { layerNorm, type LayerNormSpec } from './layerNorm';
import { rmsNorm, type RmsNormSpec } from './rmsNorm';
import { elementCount, formatShape, type Tensor } from './tensor';
import type { NormalizationOptions, NormalizationResult } from './types';

export type LayerSpec =
  | BatchNormSpec
  | InstanceNormSpec
  | LayerNormSpec
  | GroupNormSpec
  | RmsNormSpec
  | KerasBatchNormalizationSpec
  | KerasLayerNormalizationSpec
  | KerasGroupNormalizationSpec;

/**
 * Runs `spec` on `input` in train or eval mode and returns the output, the statistics of every
 * normalization set and, for layers with running statistics, their updated values. Throws a
 * NormalizationError, with PyTorch's wording and the numbers, for anything PyTorch would reject.
 */
export function runNormalization(spec: LayerSpec, input: Tensor, options: NormalizationOptions): NormalizationResult {
  if (input.data.length !== elementCount(input.shape)) {
    throw new NormalizationError(`input of shape ${formatShape(input.shape)} needs ${elementCount(input.shape)} values but has ${input.data.length}`);
  }
  if (options.numBatchesTracked !== undefined && !(Number.isInteger(options.numBatchesTracked) && options.numBatchesTracked >= 0)) {
    throw new NormalizationError(`numBatchesTracked must be a non-negative integer, got ${options.numBatchesTracked}`);
  }
  switch (spec.kind) {
    case 'BatchNorm':
      return batchNorm(input, spec, options);
    case 'InstanceNorm':
      return instanceNorm(input, spec, options);
    case 'LayerNorm':
      return layerNorm(input, spec, options);
    case 'GroupNorm':
      return groupNorm(input, spec, options);
    case 'RMSNorm':
      return rmsNorm(input, spec, options);
    case 'KerasBatchNormalization':
      return kerasBatchNormalization(input, spec, options);
    case 'KerasLayerNormalization':
      return kerasLayerNormalization(input, spec, options);
    case 'KerasGroupNormalization':
      return kerasGroupNormalization(input, spec, options);
  }
}

export type { BatchNormSpec, GroupNormSpec, InstanceNormSpec, KerasBatchNormalizationSpec, KerasGroupNormalizationSpec, KerasLayerNormalizationSpec, LayerNormSpec, RmsNormSpec };
export type { NormalizationMode, NormalizationOptions, NormalizationResult, SetStatistics } from './types';
export { NormalizationError, NpyFormatError } from './errors';
export { createTensor, elementCount, formatShape, transposeTensor, type Tensor } from './tensor';
export { weightNorm } from './weightNorm';
export { float32MachineEpsilon } from './rmsNorm';
export { defaultMaxNpyElements, readNpy, writeNpy, type NpyDtype, type NpyFile, type ReadNpyOptions, type WriteNpyOptions } from './npy';
export { createSeededRandom, createSyntheticTensor, type SyntheticTensorOptions } from './synthetic';
