/**
 * Checks and defaults for what a layer call gets besides its input (sizes, affine parameters,
 * running statistics), so every normalization reports a wrong length with the same wording: the
 * layer, the parameter and both numbers.
 */
import { NormalizationError } from './errors';
import type { Tensor } from './tensor';

/**
 * The class (1d, 2d or 3d) of a batch or instance norm whose spec does not say, from the input
 * rank: 2D and 3D inputs are 1d (for instance norm a 2D input is an unbatched 1d input), 4D is 2d, 5D is 3d.
 */
export function inferNormClassRank(inputRank: number, layerKind: 'BatchNorm' | 'InstanceNorm'): 1 | 2 | 3 {
  if (inputRank === 2 || inputRank === 3) return 1;
  if (inputRank === 4) return 2;
  if (inputRank === 5) return 3;
  throw new NormalizationError(`${layerKind}: expected 2D to 5D input (got ${inputRank}D input)`);
}

export function requirePositiveInteger(value: number, parameterName: string, layerName: string): void {
  if (!Number.isInteger(value) || value <= 0) {
    throw new NormalizationError(`${layerName}: ${parameterName} must be a positive integer, got ${value}`);
  }
}

/**
 * The values of an affine parameter: the given tensor's data when its length is right, ones or
 * zeros (`fillValue`) when absent, like a freshly constructed layer, or null when the layer has
 * no such parameter (affine=False).
 */
export function resolveAffineParameter(
  parameter: Tensor | undefined,
  enabled: boolean,
  expectedLength: number,
  parameterName: string,
  layerName: string,
  fillValue: number,
): Float32Array | null {
  if (!enabled) {
    if (parameter !== undefined) {
      throw new NormalizationError(`${layerName} has no ${parameterName} in this configuration, but a ${parameterName} was given`);
    }
    return null;
  }
  if (parameter === undefined) return new Float32Array(expectedLength).fill(fillValue);
  if (parameter.data.length !== expectedLength) {
    throw new NormalizationError(
      `${layerName}: ${parameterName} should contain ${expectedLength} elements, got ${parameter.data.length}`,
    );
  }
  return parameter.data;
}

/** A running statistic of the right length, or `fillValue` (0 for the mean, 1 for the variance) when absent. */
export function resolveRunningStatistic(
  values: Float32Array | undefined,
  expectedLength: number,
  statisticName: string,
  layerName: string,
  fillValue: number,
): Float32Array {
  if (values === undefined) return new Float32Array(expectedLength).fill(fillValue);
  if (values.length !== expectedLength) {
    throw new NormalizationError(`${layerName}: ${statisticName} should contain ${expectedLength} elements not ${values.length}`);
  }
  return values;
}

/** Layers that keep no running statistics refuse them rather than silently ignoring them. */
export function rejectRunningStatistics(runningMean: Float32Array | undefined, runningVar: Float32Array | undefined, layerName: string): void {
  if (runningMean !== undefined || runningVar !== undefined) {
    throw new NormalizationError(`${layerName} keeps no running statistics, but runningMean or runningVar was given`);
  }
}

/** The caller's output buffer when given (every kernel reads a set before writing it, so it may be the input), else a new one. */
export function resolveOutputBuffer(output: Float32Array | undefined, length: number, layerName: string): Float32Array {
  if (output === undefined) return new Float32Array(length);
  if (output.length !== length) {
    throw new NormalizationError(`${layerName}: the output buffer should have ${length} elements like the input, got ${output.length}`);
  }
  return output;
}
