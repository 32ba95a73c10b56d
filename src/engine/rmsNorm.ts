/**
 * RMSNorm with PyTorch's semantics (torch.nn.RMSNorm, PyTorch 2.4+). normalizedShape must equal
 * the trailing axes of the input; each position in the leading axes is one set, reduced over those
 * trailing axes without subtracting the mean:
 *
 *   y = x / sqrt(mean(x²) + eps) · weight
 *
 * eps null or absent is the machine epsilon of float32 (2⁻²³), which torch uses for float32 input;
 * weight is elementwise over normalizedShape (elementwiseAffine defaults to true); there is no bias.
 * The reported statistics are still each set's mean and biased variance: mean(x²) = var + mean².
 */
import { NormalizationError } from './errors';
import { normalizeRows } from './kernels';
import { rowsOverTrailingAxes, trailingAxesResult } from './layerNorm';
import { rejectRunningStatistics, resolveAffineParameter, resolveOutputBuffer } from './parameters';
import { formatShape, type Tensor } from './tensor';
import type { NormalizationOptions, NormalizationResult } from './types';

/** torch.finfo(torch.float32).eps. */
export const float32MachineEpsilon = 2 ** -23;

export interface RmsNormSpec {
  kind: 'RMSNorm';
  normalizedShape: number[];
  /** Defaults to null, the machine epsilon of float32. */
  eps?: number | null;
  /** Defaults to true. */
  elementwiseAffine?: boolean;
}

export function rmsNorm(input: Tensor, spec: RmsNormSpec, options: NormalizationOptions): NormalizationResult {
  const layerName = `RMSNorm(${formatShape(spec.normalizedShape)})`;
  const { rowCount, rowLength } = rowsOverTrailingAxes(input, spec.normalizedShape, layerName);
  const elementwiseAffine = spec.elementwiseAffine ?? true;
  rejectRunningStatistics(options.runningMean, options.runningVar, layerName);
  const weight = resolveAffineParameter(options.weight, elementwiseAffine, rowLength, 'weight', layerName, 1) ?? new Float32Array(rowLength).fill(1);
  if (options.bias !== undefined) throw new NormalizationError(`${layerName} has no bias, but a bias was given`);

  const output = resolveOutputBuffer(options.output, input.data.length, layerName);
  const moments = normalizeRows(input.data, output, rowCount, rowLength, {
    eps: spec.eps ?? float32MachineEpsilon,
    centered: false,
    weight,
    bias: new Float32Array(rowLength),
  });
  return trailingAxesResult(input, output, spec.normalizedShape.length, rowLength, moments);
}
