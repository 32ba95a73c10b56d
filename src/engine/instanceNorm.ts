/**
 * InstanceNorm1d/2d/3d with PyTorch's semantics. For an input [N, C, *spatial] each (sample n,
 * channel c) is one set, reduced over the spatial axes only (H·W values for NCHW):
 *
 *   y = (x − mean_nc) / sqrt(var_nc + eps) · weight_c + bias_c
 *
 * where var_nc is the biased variance (divided by H·W); affine and trackRunningStats default to
 * false. With tracked statistics, eval mode normalizes with runningMean_c and runningVar_c, and
 * training updates them as running = (1 − m)·running + m·batch, where batch is the average over n
 * of mean_nc and of the unbiased var_nc·S/(S − 1); momentum null leaves them unchanged because
 * PyTorch 2 passes 0 for it. An input without the batch axis ([C, *spatial]) is a batch of one.
 */
import { NormalizationError } from './errors';
import { normalizeChannelSets } from './kernels';
import { inferNormClassRank, rejectRunningStatistics, requirePositiveInteger, resolveAffineParameter, resolveOutputBuffer, resolveRunningStatistic } from './parameters';
import { blendRunningStatistic } from './runningStatistics';
import { formatShape, productOfSizes, type Tensor } from './tensor';
import type { NormalizationOptions, NormalizationResult } from './types';

export interface InstanceNormSpec {
  kind: 'InstanceNorm';
  numFeatures: number;
  /** Defaults to 1e-5. */
  eps?: number;
  /** Defaults to 0.1; null leaves running statistics unchanged. */
  momentum?: number | null;
  /** Defaults to false. */
  affine?: boolean;
  /** Defaults to false. */
  trackRunningStats?: boolean;
  /** 1, 2 or 3 for InstanceNorm1d/2d/3d; when absent a 2D input is an unbatched InstanceNorm1d and 3D to 5D inputs are batched. */
  rank?: 1 | 2 | 3;
}

export function instanceNorm(input: Tensor, spec: InstanceNormSpec, options: NormalizationOptions): NormalizationResult {
  const rank = spec.rank ?? inferNormClassRank(input.shape.length, 'InstanceNorm');
  const layerName = `InstanceNorm${rank}d(${spec.numFeatures})`;
  requirePositiveInteger(spec.numFeatures, 'num_features', layerName);
  // InstanceNorm<k>d takes [N, C, k spatial axes] or, unbatched, [C, k spatial axes].
  const batchedRank = rank + 2;
  if (input.shape.length !== batchedRank && input.shape.length !== batchedRank - 1) {
    throw new NormalizationError(`${layerName}: expected ${batchedRank - 1}D or ${batchedRank}D input (got ${input.shape.length}D input)`);
  }
  const unbatched = input.shape.length === batchedRank - 1;
  const batchedShape = unbatched ? [1, ...input.shape] : input.shape;
  const eps = spec.eps ?? 1e-5;
  const momentum = spec.momentum === undefined ? 0.1 : spec.momentum;
  const affine = spec.affine ?? false;
  const trackRunningStats = spec.trackRunningStats ?? false;
  const [batchSize, channelCount] = batchedShape;
  const spatialSize = productOfSizes(batchedShape, 2, batchedShape.length);

  // Without weight or running buffers PyTorch only warns about a channel mismatch and normalizes anyway.
  if ((affine || trackRunningStats) && channelCount !== spec.numFeatures) {
    const featureAxis = unbatched ? 0 : 1;
    throw new NormalizationError(
      `${layerName}: expected input's size at dim=${featureAxis} to match num_features (${spec.numFeatures}), but got: ${channelCount}.`,
    );
  }
  const useInputStatistics = options.mode === 'train' || !trackRunningStats;
  if (useInputStatistics && spatialSize === 1) {
    throw new NormalizationError(
      `${layerName}: Expected more than 1 spatial element when training, got input size ${formatShape(batchedShape)}`,
    );
  }
  const weight = resolveAffineParameter(options.weight, affine, channelCount, 'weight', layerName, 1);
  const bias = resolveAffineParameter(options.bias, affine, channelCount, 'bias', layerName, 0);
  if (!trackRunningStats) rejectRunningStatistics(options.runningMean, options.runningVar, layerName);
  const runningMean = resolveRunningStatistic(options.runningMean, channelCount, 'running_mean', layerName, 0);
  const runningVar = resolveRunningStatistic(options.runningVar, channelCount, 'running_var', layerName, 1);

  const output = resolveOutputBuffer(options.output, input.data.length, layerName);
  const moments = normalizeChannelSets(
    input.data,
    output,
    { outerCount: batchSize, reducedBlockCount: 1, groupCount: channelCount, channelsPerGroup: 1, innerCount: spatialSize },
    {
      eps,
      weight,
      bias,
      fixedMean: useInputStatistics ? null : runningMean,
      fixedVariance: useInputStatistics ? null : runningVar,
    },
  );
  const result: NormalizationResult = {
    output: { shape: [...input.shape], data: output },
    statistics: {
      setShape: unbatched ? [channelCount] : [batchSize, channelCount],
      count: spatialSize,
      mean: moments.mean,
      variance: moments.variance,
    },
    normalizedWith: useInputStatistics ? 'batchStatistics' : 'runningStatistics',
  };
  if (!trackRunningStats) return result;
  if (options.mode === 'eval' || batchSize === 0) {
    return { ...result, runningMean: runningMean.slice(), runningVar: runningVar.slice() };
  }
  // PyTorch updates one running entry per instance and then averages them over the batch, which
  // is the same as blending once with the batch averages of the instance statistics.
  const averageMean = new Float64Array(channelCount);
  const averageUnbiasedVariance = new Float64Array(channelCount);
  const besselCorrection = spatialSize / (spatialSize - 1);
  for (let sample = 0; sample < batchSize; sample++) {
    for (let channel = 0; channel < channelCount; channel++) {
      averageMean[channel] += moments.mean[sample * channelCount + channel] / batchSize;
      averageUnbiasedVariance[channel] += (moments.variance[sample * channelCount + channel] * besselCorrection) / batchSize;
    }
  }
  const batchWeight = momentum ?? 0;
  return {
    ...result,
    runningMean: blendRunningStatistic(runningMean, averageMean, batchWeight),
    runningVar: blendRunningStatistic(runningVar, averageUnbiasedVariance, batchWeight),
  };
}
