/**
 * BatchNorm1d/2d/3d with PyTorch's semantics. For an input [N, C, *spatial] each channel c is one
 * set, reduced over the batch and every spatial axis (N·H·W values for NCHW):
 *
 *   y = (x − mean_c) / sqrt(var_c + eps) · weight_c + bias_c
 *
 * where var_c is the biased variance (divided by N·H·W). Training, and any mode without tracked
 * running statistics, normalizes with the batch's mean_c and var_c; eval mode with tracked
 * statistics uses runningMean_c and runningVar_c instead. Training updates the running statistics
 * with momentum m as running = (1 − m)·running + m·batch, where the variance term is the unbiased
 * var_c·n/(n − 1); momentum null is a cumulative average (m = 1/numBatchesTracked).
 */
import { NormalizationError } from './errors';
import { normalizeChannelSets } from './kernels';
import { inferNormClassRank, rejectRunningStatistics, requirePositiveInteger, resolveAffineParameter, resolveOutputBuffer, resolveRunningStatistic } from './parameters';
import { blendRunningStatistic, pytorchBatchWeight, unbiasedVariances } from './runningStatistics';
import { formatShape, productOfSizes, type Tensor } from './tensor';
import type { NormalizationOptions, NormalizationResult } from './types';

export interface BatchNormSpec {
  kind: 'BatchNorm';
  numFeatures: number;
  /** Defaults to 1e-5. */
  eps?: number;
  /** Defaults to 0.1; null is a cumulative moving average. */
  momentum?: number | null;
  /** Defaults to true. */
  affine?: boolean;
  /** Defaults to true. */
  trackRunningStats?: boolean;
  /** 1, 2 or 3 for BatchNorm1d/2d/3d; inferred from the input rank when absent. */
  rank?: 1 | 2 | 3;
}

/** Input ranks each BatchNorm class accepts, as in its `_check_input_dim`. */
const acceptedInputRanks = { 1: [2, 3], 2: [4], 3: [5] } as const;

export function batchNorm(input: Tensor, spec: BatchNormSpec, options: NormalizationOptions): NormalizationResult {
  const rank = spec.rank ?? inferNormClassRank(input.shape.length, 'BatchNorm');
  const layerName = `BatchNorm${rank}d(${spec.numFeatures})`;
  requirePositiveInteger(spec.numFeatures, 'num_features', layerName);
  const acceptedRanks: readonly number[] = acceptedInputRanks[rank];
  if (!acceptedRanks.includes(input.shape.length)) {
    throw new NormalizationError(`${layerName}: expected ${acceptedRanks.join('D or ')}D input (got ${input.shape.length}D input)`);
  }
  const eps = spec.eps ?? 1e-5;
  const momentum = spec.momentum === undefined ? 0.1 : spec.momentum;
  const affine = spec.affine ?? true;
  const trackRunningStats = spec.trackRunningStats ?? true;
  const [batchSize, channelCount] = input.shape;
  const spatialSize = productOfSizes(input.shape, 2, input.shape.length);

  // PyTorch only notices a wrong channel count through the weight or the running buffers; a layer
  // with neither normalizes whatever channels arrive.
  if ((affine || trackRunningStats) && channelCount !== spec.numFeatures) {
    throw new NormalizationError(
      `${layerName}: expected ${spec.numFeatures} channels (num_features) at dim 1, got input size ${formatShape(input.shape)}`,
    );
  }
  const useBatchStatistics = options.mode === 'train' || !trackRunningStats;
  if (useBatchStatistics && batchSize * spatialSize === 1) {
    throw new NormalizationError(
      `${layerName}: Expected more than 1 value per channel when training, got input size ${formatShape(input.shape)}`,
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
    { outerCount: 1, reducedBlockCount: batchSize, groupCount: channelCount, channelsPerGroup: 1, innerCount: spatialSize },
    {
      eps,
      weight,
      bias,
      fixedMean: useBatchStatistics ? null : runningMean,
      fixedVariance: useBatchStatistics ? null : runningVar,
    },
  );
  const setSize = batchSize * spatialSize;
  const result: NormalizationResult = {
    output: { shape: [...input.shape], data: output },
    statistics: { setShape: [channelCount], count: setSize, mean: moments.mean, variance: moments.variance },
    normalizedWith: useBatchStatistics ? 'batchStatistics' : 'runningStatistics',
  };
  if (!trackRunningStats) return result;

  const numBatchesTracked = options.numBatchesTracked ?? 0;
  if (options.mode === 'eval') {
    return { ...result, runningMean: runningMean.slice(), runningVar: runningVar.slice(), numBatchesTracked };
  }
  // PyTorch counts an empty batch but leaves the running statistics as they were.
  if (setSize === 0) {
    return { ...result, runningMean: runningMean.slice(), runningVar: runningVar.slice(), numBatchesTracked: numBatchesTracked + 1 };
  }
  const batchWeight = pytorchBatchWeight(momentum, numBatchesTracked + 1);
  return {
    ...result,
    runningMean: blendRunningStatistic(runningMean, moments.mean, batchWeight),
    runningVar: blendRunningStatistic(runningVar, unbiasedVariances(moments.variance, setSize), batchWeight),
    numBatchesTracked: numBatchesTracked + 1,
  };
}
