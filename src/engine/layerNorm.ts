/**
 * LayerNorm with PyTorch's semantics. normalizedShape must equal the trailing axes of the input;
 * each position in the leading axes is one set, reduced over those trailing axes (with
 * normalizedShape [C, H, W] on NCHW, the C·H·W values of each sample):
 *
 *   y = (x − mean) / sqrt(var + eps) · weight + bias
 *
 * where var is the biased variance and weight, bias are elementwise over normalizedShape
 * (elementwiseAffine and bias default to true). Train and eval modes compute the same thing.
 */
import { NormalizationError } from './errors';
import { normalizeRows } from './kernels';
import { rejectRunningStatistics, requirePositiveInteger, resolveAffineParameter, resolveOutputBuffer } from './parameters';
import { elementCount, formatShape, productOfSizes, type Tensor } from './tensor';
import type { NormalizationOptions, NormalizationResult } from './types';

export interface LayerNormSpec {
  kind: 'LayerNorm';
  normalizedShape: number[];
  /** Defaults to 1e-5. */
  eps?: number;
  /** Defaults to true. */
  elementwiseAffine?: boolean;
  /** Defaults to true; only meaningful with elementwiseAffine (PyTorch 2.1+). */
  bias?: boolean;
}

/** The rows of the input that a layer over trailing `normalizedShape` axes normalizes, after PyTorch's shape checks. */
export function rowsOverTrailingAxes(input: Tensor, normalizedShape: readonly number[], layerName: string): { rowCount: number; rowLength: number } {
  if (normalizedShape.length === 0) {
    throw new NormalizationError(
      `${layerName}: Expected normalized_shape to be at least 1-dimensional, i.e., containing at least one element, but got normalized_shape = []`,
    );
  }
  for (const size of normalizedShape) requirePositiveInteger(size, 'each entry of normalized_shape', layerName);
  const leadingRank = input.shape.length - normalizedShape.length;
  if (leadingRank < 0 || normalizedShape.some((size, axis) => input.shape[leadingRank + axis] !== size)) {
    throw new NormalizationError(
      `${layerName}: Given normalized_shape=${formatShape(normalizedShape)}, expected input with shape [*, ${normalizedShape.join(', ')}], but got input of size ${formatShape(input.shape)}`,
    );
  }
  return { rowCount: productOfSizes(input.shape, 0, leadingRank), rowLength: elementCount(normalizedShape) };
}

export function layerNorm(input: Tensor, spec: LayerNormSpec, options: NormalizationOptions): NormalizationResult {
  const layerName = `LayerNorm(${formatShape(spec.normalizedShape)})`;
  const { rowCount, rowLength } = rowsOverTrailingAxes(input, spec.normalizedShape, layerName);
  const elementwiseAffine = spec.elementwiseAffine ?? true;
  const hasBias = elementwiseAffine && (spec.bias ?? true);
  rejectRunningStatistics(options.runningMean, options.runningVar, layerName);
  // Missing parameters become ones and zeros so the row kernel has a single loop shape.
  const weight = resolveAffineParameter(options.weight, elementwiseAffine, rowLength, 'weight', layerName, 1) ?? new Float32Array(rowLength).fill(1);
  const bias = resolveAffineParameter(options.bias, hasBias, rowLength, 'bias', layerName, 0) ?? new Float32Array(rowLength);

  const output = resolveOutputBuffer(options.output, input.data.length, layerName);
  const moments = normalizeRows(input.data, output, rowCount, rowLength, { eps: spec.eps ?? 1e-5, centered: true, weight, bias });
  return trailingAxesResult(input, output, spec.normalizedShape.length, rowLength, moments);
}

/** The result of a normalization over the trailing axes: one set per leading index, `rowLength` values each. */
export function trailingAxesResult(
  input: Tensor,
  output: Float32Array,
  normalizedAxes: number,
  rowLength: number,
  moments: { mean: Float64Array; variance: Float64Array },
): NormalizationResult {
  return {
    output: { shape: [...input.shape], data: output },
    statistics: { setShape: input.shape.slice(0, input.shape.length - normalizedAxes), count: rowLength, mean: moments.mean, variance: moments.variance },
    normalizedWith: 'batchStatistics',
  };
}
