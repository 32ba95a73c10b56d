/**
 * Weight normalization (Salimans & Kingma), as torch's `_weight_norm(v, g, dim)` computes it:
 *
 *   w = g · v / ‖v‖₂
 *
 * with one Euclidean norm per index along `dim`, taken over every other axis of v (for a conv
 * weight [out, in, kH, kW] and dim 0, one norm per output channel over in·kH·kW values), and g
 * holding one value per index along `dim` (or a single value). dim null, and dim −1 as torch
 * reads it, take a single norm over the whole tensor; other negative dims count from the end.
 */
import { NormalizationError } from './errors';
import { formatShape, normalizeAxis, productOfSizes, type Tensor } from './tensor';

export function weightNorm(v: Tensor, g: Tensor, dim: number | null = 0): Tensor {
  const rank = v.shape.length;
  // torch.nn.utils.weight_norm turns dim=None into −1, which _weight_norm reads as "no axis kept".
  const wholeTensor = dim === null || dim === -1;
  const keptAxis = wholeTensor ? -1 : normalizeAxis(dim, rank);
  const outerCount = wholeTensor ? 1 : productOfSizes(v.shape, 0, keptAxis);
  const keptSize = wholeTensor ? 1 : v.shape[keptAxis];
  const innerCount = wholeTensor ? v.data.length : productOfSizes(v.shape, keptAxis + 1, rank);
  if (g.data.length !== keptSize && g.data.length !== 1) {
    const what = wholeTensor ? 'a single value' : `${keptSize} values (one per index of dim ${keptAxis} of v ${formatShape(v.shape)})`;
    throw new NormalizationError(`weight_norm: g should hold ${what}, got g of shape ${formatShape(g.shape)}`);
  }

  // The view [outer, kept, inner] keeps the inner loops contiguous whichever axis is kept.
  const squaredNorms = new Float64Array(keptSize);
  const values = v.data;
  for (let outer = 0; outer < outerCount; outer++) {
    for (let kept = 0; kept < keptSize; kept++) {
      const start = (outer * keptSize + kept) * innerCount;
      let squares = 0;
      for (let index = start; index < start + innerCount; index++) squares += values[index] * values[index];
      squaredNorms[kept] += squares;
    }
  }
  const output = new Float32Array(values.length);
  for (let outer = 0; outer < outerCount; outer++) {
    for (let kept = 0; kept < keptSize; kept++) {
      // A zero slice divides 0 by 0 and yields NaN, as in PyTorch.
      const scale = g.data[g.data.length === 1 ? 0 : kept] / Math.sqrt(squaredNorms[kept]);
      const start = (outer * keptSize + kept) * innerCount;
      for (let index = start; index < start + innerCount; index++) output[index] = values[index] * scale;
    }
  }
  return { shape: [...v.shape], data: output };
}
