/**
 * The engine's tensor: a shape and its values as a contiguous row-major (C-order) Float32Array,
 * laid out like PyTorch (batch, channels, then spatial axes), plus the few shape helpers the
 * normalizations share.
 */
import { NormalizationError } from './errors';

export interface Tensor {
  shape: number[];
  data: Float32Array;
}

/** Number of values in a tensor of this shape (1 for a scalar, whose shape is []). */
export function elementCount(shape: readonly number[]): number {
  let count = 1;
  for (const size of shape) count *= size;
  return count;
}

/** Product of `shape[start]` … `shape[end - 1]`. */
export function productOfSizes(shape: readonly number[], start: number, end: number): number {
  let product = 1;
  for (let axis = start; axis < end; axis++) product *= shape[axis];
  return product;
}

/** Makes a tensor, checking that the shape is made of whole non-negative sizes and matches the data length. */
export function createTensor(shape: readonly number[], data?: Float32Array): Tensor {
  for (const size of shape) {
    if (!Number.isInteger(size) || size < 0) {
      throw new NormalizationError(`shape ${formatShape(shape)} must contain non-negative integers`);
    }
  }
  const count = elementCount(shape);
  const values = data ?? new Float32Array(count);
  if (values.length !== count) {
    throw new NormalizationError(`shape ${formatShape(shape)} needs ${count} values but the data has ${values.length}`);
  }
  return { shape: [...shape], data: values };
}

/** PyTorch's way of printing a size in error messages: `[1, 64, 1, 1]`. */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/**
 * Turns a possibly negative axis into an index in [0, rank), with PyTorch's message when it is out of range.
 */
export function normalizeAxis(axis: number, rank: number): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
    throw new NormalizationError(
      `Dimension out of range (expected to be in range of [${-rank}, ${rank - 1}], but got ${axis})`,
    );
  }
  return axis < 0 ? axis + rank : axis;
}

/**
 * Returns a new contiguous tensor whose axis `i` is axis `permutation[i]` of `tensor` (numpy's
 * `transpose`). Used for Fortran-order .npy data and for Keras layer norm over non-trailing axes.
 */
export function transposeTensor(tensor: Tensor, permutation: readonly number[]): Tensor {
  const rank = tensor.shape.length;
  const sortedAxes = [...permutation].sort((left, right) => left - right);
  if (permutation.length !== rank || sortedAxes.some((axis, index) => axis !== index)) {
    throw new NormalizationError(`[${permutation.join(', ')}] is not a permutation of the ${rank} axes of ${formatShape(tensor.shape)}`);
  }
  const inputStrides = new Array<number>(rank);
  for (let axis = rank - 1, stride = 1; axis >= 0; axis--) {
    inputStrides[axis] = stride;
    stride *= tensor.shape[axis];
  }
  const outputShape = permutation.map((axis) => tensor.shape[axis]);
  const output = new Float32Array(tensor.data.length);
  if (rank === 0 || output.length === 0) {
    output.set(tensor.data);
    return { shape: outputShape, data: output };
  }
  // Walk the output in memory order; an odometer over the outer output axes tracks the input offset.
  const strides = permutation.map((axis) => inputStrides[axis]);
  const innerSize = outputShape[rank - 1];
  const innerStride = strides[rank - 1];
  const odometer = new Array<number>(rank).fill(0);
  const input = tensor.data;
  let inputOffset = 0;
  for (let outputOffset = 0; outputOffset < output.length; outputOffset += innerSize) {
    for (let index = 0; index < innerSize; index++) output[outputOffset + index] = input[inputOffset + index * innerStride];
    for (let axis = rank - 2; axis >= 0; axis--) {
      odometer[axis]++;
      inputOffset += strides[axis];
      if (odometer[axis] < outputShape[axis]) break;
      inputOffset -= strides[axis] * outputShape[axis];
      odometer[axis] = 0;
    }
  }
  return { shape: outputShape, data: output };
}
