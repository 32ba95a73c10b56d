/**
 * GroupNorm with PyTorch's semantics. The C channels of an input [N, C, *spatial] are split into
 * numGroups consecutive groups of C/G channels; each (sample n, group g) is one set, reduced over
 * its C/G channels and every spatial axis (C/G·H·W values for NCHW):
 *
 *   y = (x − mean_ng) / sqrt(var_ng + eps) · weight_c + bias_c
 *
 * where var_ng is the biased variance and weight, bias are per channel (affine defaults to true).
 * There are no running statistics, so train and eval modes compute the same thing.
 */
import { NormalizationError } from './errors';
import { normalizeChannelSets } from './kernels';
import { rejectRunningStatistics, requirePositiveInteger, resolveAffineParameter, resolveOutputBuffer } from './parameters';
import { formatShape, productOfSizes, type Tensor } from './tensor';
import type { NormalizationOptions, NormalizationResult } from './types';

export interface GroupNormSpec {
  kind: 'GroupNorm';
  numGroups: number;
  numChannels: number;
  /** Defaults to 1e-5. */
  eps?: number;
  /** Defaults to true. */
  affine?: boolean;
}

export function groupNorm(input: Tensor, spec: GroupNormSpec, options: NormalizationOptions): NormalizationResult {
  const { numGroups, numChannels } = spec;
  const layerName = `GroupNorm(${numGroups}, ${numChannels})`;
  requirePositiveInteger(numGroups, 'num_groups', layerName);
  requirePositiveInteger(numChannels, 'num_channels', layerName);
  if (numChannels % numGroups !== 0) {
    throw new NormalizationError(
      `${layerName}: num_channels must be divisible by num_groups, got num_channels=${numChannels} and num_groups=${numGroups}`,
    );
  }
  if (input.shape.length < 2) {
    throw new NormalizationError(`${layerName}: Expected at least 2 dimensions for input tensor but received ${input.shape.length}`);
  }
  const eps = spec.eps ?? 1e-5;
  const affine = spec.affine ?? true;
  const [batchSize, channelCount] = input.shape;
  const spatialSize = productOfSizes(input.shape, 2, input.shape.length);

  // Like PyTorch, the channel count only has to equal num_channels when there is a weight to match.
  if (affine && channelCount !== numChannels) {
    throw new NormalizationError(
      `${layerName}: Expected weight to be a vector of size equal to the number of channels in input, but got weight of shape [${numChannels}] and input of shape ${formatShape(input.shape)}`,
    );
  }
  if (channelCount % numGroups !== 0) {
    throw new NormalizationError(
      `${layerName}: Expected number of channels in input to be divisible by num_groups, but got input of shape ${formatShape(input.shape)} and num_groups=${numGroups}`,
    );
  }
  const channelsPerGroup = channelCount / numGroups;
  // PyTorch checks the group sets through its batch-norm helper, which reports this derived size.
  const setsAsBatchNormSize = [batchSize * channelsPerGroup, numGroups, ...input.shape.slice(2)];
  if (batchSize * channelsPerGroup * spatialSize === 1) {
    throw new NormalizationError(
      `${layerName}: Expected more than 1 value per channel when training, got input size ${formatShape(setsAsBatchNormSize)}`,
    );
  }
  rejectRunningStatistics(options.runningMean, options.runningVar, layerName);
  const weight = resolveAffineParameter(options.weight, affine, channelCount, 'weight', layerName, 1);
  const bias = resolveAffineParameter(options.bias, affine, channelCount, 'bias', layerName, 0);

  const output = resolveOutputBuffer(options.output, input.data.length, layerName);
  const moments = normalizeChannelSets(
    input.data,
    output,
    { outerCount: batchSize, reducedBlockCount: 1, groupCount: numGroups, channelsPerGroup, innerCount: spatialSize },
    { eps, weight, bias, fixedMean: null, fixedVariance: null },
  );
  return {
    output: { shape: [...input.shape], data: output },
    statistics: { setShape: [batchSize, numGroups], count: channelsPerGroup * spatialSize, mean: moments.mean, variance: moments.variance },
    normalizedWith: 'batchStatistics',
  };
}
