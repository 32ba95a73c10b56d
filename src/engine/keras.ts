/**
 * Keras' BatchNormalization, LayerNormalization and GroupNormalization, whose conventions differ
 * from PyTorch's: channels last by default (`axis=-1`), epsilon 1e-3, and a moving-average
 * momentum (default 0.99) that weights the OLD average. All three compute
 *
 *   y = (x − mean) / sqrt(var + epsilon) · gamma + beta
 *
 * with var the biased variance, and differ in their sets: BatchNormalization reduces over every
 * axis except `axis` (N·H·W values per channel for NHWC); LayerNormalization reduces each sample
 * over the `axis` axes (default the last; gamma and beta are elementwise over those axes, in
 * increasing axis order); GroupNormalization splits the `axis` channels into `groups` and reduces
 * each (sample, group) over its channels and every other non-batch axis. BatchNormalization
 * training updates moving = momentum·moving + (1 − momentum)·batch with the biased variance, and
 * eval mode normalizes with the moving statistics. Gamma and beta are passed as weight and bias,
 * moving_mean and moving_variance as runningMean and runningVar.
 */
import { NormalizationError } from './errors';
import { normalizeChannelSets, normalizeRows } from './kernels';
import { rejectRunningStatistics, requirePositiveInteger, resolveAffineParameter, resolveOutputBuffer, resolveRunningStatistic } from './parameters';
import { blendRunningStatistic } from './runningStatistics';
import { normalizeAxis, productOfSizes, transposeTensor, type Tensor } from './tensor';
import type { NormalizationOptions, NormalizationResult } from './types';

export interface KerasBatchNormalizationSpec {
  kind: 'KerasBatchNormalization';
  /** The feature axis; defaults to −1 (channels last). */
  axis?: number;
  /** Weight of the old moving average; defaults to 0.99. */
  momentum?: number;
  /** Defaults to 1e-3. */
  epsilon?: number;
  /** Whether there is a beta; defaults to true. */
  center?: boolean;
  /** Whether there is a gamma; defaults to true. */
  scale?: boolean;
}

export interface KerasLayerNormalizationSpec {
  kind: 'KerasLayerNormalization';
  /** The axes to normalize over; defaults to −1. */
  axis?: number | number[];
  /** Defaults to 1e-3. */
  epsilon?: number;
  /** Whether there is a beta; defaults to true. */
  center?: boolean;
  /** Whether there is a gamma; defaults to true. */
  scale?: boolean;
}

export interface KerasGroupNormalizationSpec {
  kind: 'KerasGroupNormalization';
  groups: number;
  /** The channel axis; defaults to −1 (channels last). */
  axis?: number;
  /** Defaults to 1e-3. */
  epsilon?: number;
  /** Whether there is a beta; defaults to true. */
  center?: boolean;
  /** Whether there is a gamma; defaults to true. */
  scale?: boolean;
}

const kerasDefaultEpsilon = 1e-3;

export function kerasBatchNormalization(input: Tensor, spec: KerasBatchNormalizationSpec, options: NormalizationOptions): NormalizationResult {
  const layerName = `BatchNormalization(axis=${spec.axis ?? -1})`;
  if (input.shape.length === 0) throw new NormalizationError(`${layerName}: expected an input with at least 1 dimension, got a scalar`);
  const axis = normalizeAxis(spec.axis ?? -1, input.shape.length);
  const momentum = spec.momentum ?? 0.99;
  const channelCount = input.shape[axis];
  const gamma = resolveAffineParameter(options.weight, spec.scale ?? true, channelCount, 'gamma', layerName, 1);
  const beta = resolveAffineParameter(options.bias, spec.center ?? true, channelCount, 'beta', layerName, 0);
  const movingMean = resolveRunningStatistic(options.runningMean, channelCount, 'moving_mean', layerName, 0);
  const movingVariance = resolveRunningStatistic(options.runningVar, channelCount, 'moving_variance', layerName, 1);
  const training = options.mode === 'train';
  const reducedBlockCount = productOfSizes(input.shape, 0, axis);
  const innerCount = productOfSizes(input.shape, axis + 1, input.shape.length);

  const output = resolveOutputBuffer(options.output, input.data.length, layerName);
  const moments = normalizeChannelSets(
    input.data,
    output,
    { outerCount: 1, reducedBlockCount, groupCount: channelCount, channelsPerGroup: 1, innerCount },
    {
      eps: spec.epsilon ?? kerasDefaultEpsilon,
      weight: gamma,
      bias: beta,
      fixedMean: training ? null : movingMean,
      fixedVariance: training ? null : movingVariance,
    },
  );
  const setSize = reducedBlockCount * innerCount;
  const result: NormalizationResult = {
    output: { shape: [...input.shape], data: output },
    statistics: { setShape: [channelCount], count: setSize, mean: moments.mean, variance: moments.variance },
    normalizedWith: training ? 'batchStatistics' : 'runningStatistics',
  };
  if (!training || setSize === 0) return { ...result, runningMean: movingMean.slice(), runningVar: movingVariance.slice() };
  return {
    ...result,
    runningMean: blendRunningStatistic(movingMean, moments.mean, 1 - momentum),
    runningVar: blendRunningStatistic(movingVariance, moments.variance, 1 - momentum),
  };
}

export function kerasLayerNormalization(input: Tensor, spec: KerasLayerNormalizationSpec, options: NormalizationOptions): NormalizationResult {
  const requestedAxes = spec.axis === undefined ? [-1] : Array.isArray(spec.axis) ? spec.axis : [spec.axis];
  const layerName = `LayerNormalization(axis=${Array.isArray(spec.axis) ? `[${spec.axis.join(', ')}]` : (spec.axis ?? -1)})`;
  if (requestedAxes.length === 0) throw new NormalizationError(`${layerName}: axis must name at least one axis`);
  const rank = input.shape.length;
  const reducedAxes = [...new Set(requestedAxes.map((axis) => normalizeAxis(axis, rank)))].sort((left, right) => left - right);
  const keptAxes = input.shape.map((_, axis) => axis).filter((axis) => !reducedAxes.includes(axis));
  rejectRunningStatistics(options.runningMean, options.runningVar, layerName);

  // Moving the reduced axes to the end turns any choice of axes into contiguous rows.
  const permutation = [...keptAxes, ...reducedAxes];
  const alreadyTrailing = permutation.every((axis, position) => axis === position);
  const rows = alreadyTrailing ? input : transposeTensor(input, permutation);
  const rowLength = reducedAxes.reduce((product, axis) => product * input.shape[axis], 1);
  const rowCount = keptAxes.reduce((product, axis) => product * input.shape[axis], 1);
  const gamma = resolveAffineParameter(options.weight, spec.scale ?? true, rowLength, 'gamma', layerName, 1) ?? new Float32Array(rowLength).fill(1);
  const beta = resolveAffineParameter(options.bias, spec.center ?? true, rowLength, 'beta', layerName, 0) ?? new Float32Array(rowLength);

  const output = resolveOutputBuffer(options.output, input.data.length, layerName);
  const normalizedRows = alreadyTrailing ? output : new Float32Array(input.data.length);
  const moments = normalizeRows(rows.data, normalizedRows, rowCount, rowLength, {
    eps: spec.epsilon ?? kerasDefaultEpsilon,
    centered: true,
    weight: gamma,
    bias: beta,
  });
  if (!alreadyTrailing) {
    const inversePermutation = permutation.map((_, position) => permutation.indexOf(position));
    output.set(transposeTensor({ shape: rows.shape, data: normalizedRows }, inversePermutation).data);
  }
  return {
    output: { shape: [...input.shape], data: output },
    statistics: { setShape: keptAxes.map((axis) => input.shape[axis]), count: rowLength, mean: moments.mean, variance: moments.variance },
    normalizedWith: 'batchStatistics',
  };
}

export function kerasGroupNormalization(input: Tensor, spec: KerasGroupNormalizationSpec, options: NormalizationOptions): NormalizationResult {
  const layerName = `GroupNormalization(groups=${spec.groups}, axis=${spec.axis ?? -1})`;
  requirePositiveInteger(spec.groups, 'groups', layerName);
  if (input.shape.length < 2) {
    throw new NormalizationError(`${layerName}: expected an input with a batch axis and a channel axis, got ${input.shape.length}D input`);
  }
  const axis = normalizeAxis(spec.axis ?? -1, input.shape.length);
  if (axis === 0) throw new NormalizationError(`${layerName}: axis 0 is the batch axis and cannot hold the channels`);
  const channelCount = input.shape[axis];
  if (spec.groups > channelCount) {
    throw new NormalizationError(`${layerName}: the number of groups (${spec.groups}) cannot be more than the number of channels (${channelCount})`);
  }
  if (channelCount % spec.groups !== 0) {
    throw new NormalizationError(`${layerName}: the number of channels (${channelCount}) must be a multiple of the number of groups (${spec.groups})`);
  }
  rejectRunningStatistics(options.runningMean, options.runningVar, layerName);
  const gamma = resolveAffineParameter(options.weight, spec.scale ?? true, channelCount, 'gamma', layerName, 1);
  const beta = resolveAffineParameter(options.bias, spec.center ?? true, channelCount, 'beta', layerName, 0);
  const batchSize = input.shape[0];
  const channelsPerGroup = channelCount / spec.groups;
  const innerCount = productOfSizes(input.shape, axis + 1, input.shape.length);
  const reducedBlockCount = productOfSizes(input.shape, 1, axis);

  const output = resolveOutputBuffer(options.output, input.data.length, layerName);
  const moments = normalizeChannelSets(
    input.data,
    output,
    { outerCount: batchSize, reducedBlockCount, groupCount: spec.groups, channelsPerGroup, innerCount },
    { eps: spec.epsilon ?? kerasDefaultEpsilon, weight: gamma, bias: beta, fixedMean: null, fixedVariance: null },
  );
  return {
    output: { shape: [...input.shape], data: output },
    statistics: {
      setShape: [batchSize, spec.groups],
      count: reducedBlockCount * channelsPerGroup * innerCount,
      mean: moments.mean,
      variance: moments.variance,
    },
    normalizedWith: 'batchStatistics',
  };
}
