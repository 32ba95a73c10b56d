import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createTensor, weightNorm } from '../../src/engine';
import { assertAllClose, assertThrowsWithMessage, type Tolerance } from './testSupport';

const float32Tolerance: Tolerance = { absolute: 1e-6, relative: 1e-6 };

// v = [[3, 4, 0], [0, 0, 2]]: row norms 5 and 2, column norms 3, 4 and 2, whole norm sqrt(29).
const v = createTensor([2, 3], Float32Array.from([3, 4, 0, 0, 0, 2]));

describe('weightNorm', () => {
  it('scales each slice along dim 0 of [2, 3] to norm g', () => {
    const w = weightNorm(v, createTensor([2, 1], Float32Array.from([10, 3])), 0);
    assertAllClose(w.data, [(10 * 3) / 5, (10 * 4) / 5, 0, 0, 0, (3 * 2) / 2], float32Tolerance, 'w');
    assert.deepEqual(w.shape, [2, 3]);
  });

  it('keeps dim 1 of [2, 3]: one norm per column', () => {
    const w = weightNorm(v, createTensor([1, 3], Float32Array.from([1, 2, 3])), 1);
    assertAllClose(w.data, [(1 * 3) / 3, (2 * 4) / 4, 0, 0, 0, (3 * 2) / 2], float32Tolerance, 'w');
  });

  it('takes one norm over the whole tensor for dim null and for dim −1, as torch._weight_norm does', () => {
    const g = createTensor([], Float32Array.from([2]));
    const expected = [...v.data].map((value) => (2 * value) / Math.sqrt(29));
    assertAllClose(weightNorm(v, g, null).data, expected, float32Tolerance, 'dim null');
    assertAllClose(weightNorm(v, g, -1).data, expected, float32Tolerance, 'dim -1');
  });

  it('counts other negative dims from the end: dim −2 of [2, 3] is dim 0', () => {
    const g = createTensor([2, 1], Float32Array.from([10, 3]));
    assert.deepEqual([...weightNorm(v, g, -2).data], [...weightNorm(v, g, 0).data]);
  });

  it('gives NaN for an all-zero slice, dividing 0 by 0 like PyTorch', () => {
    const w = weightNorm(createTensor([2, 2], Float32Array.from([0, 0, 1, 0])), createTensor([2], Float32Array.from([1, 1])), 0);
    assert.ok(Number.isNaN(w.data[0]) && Number.isNaN(w.data[1]));
    assert.deepEqual([...w.data.slice(2)], [1, 0]);
  });

  it('rejects an out-of-range dim and a g of the wrong size', () => {
    assertThrowsWithMessage(() => weightNorm(v, createTensor([2]), 2), 'NormalizationError', 'Dimension out of range (expected to be in range of [-2, 1], but got 2)');
    assertThrowsWithMessage(() => weightNorm(v, createTensor([3]), 0), 'NormalizationError', 'g should hold 2 values');
  });
});
