import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createTensor, elementCount, formatShape, transposeTensor } from '../../src/engine';
import { normalizeAxis } from '../../src/engine/tensor';
import { assertThrowsWithMessage } from './testSupport';

describe('tensor', () => {
  it('counts one element for a scalar and zero for an empty axis', () => {
    assert.equal(elementCount([]), 1);
    assert.equal(elementCount([2, 0, 3]), 0);
    assert.equal(elementCount([2, 3, 4]), 24);
  });

  it('formats shapes the way PyTorch prints sizes', () => {
    assert.equal(formatShape([1, 64, 1, 1]), '[1, 64, 1, 1]');
    assert.equal(formatShape([]), '[]');
  });

  it('refuses data whose length does not match the shape', () => {
    assertThrowsWithMessage(() => createTensor([2, 3], new Float32Array(5)), 'NormalizationError', 'shape [2, 3] needs 6 values but the data has 5');
    assertThrowsWithMessage(() => createTensor([2, -1]), 'NormalizationError', 'must contain non-negative integers');
  });

  it('transposes a [2, 3] matrix into [3, 2]', () => {
    const matrix = createTensor([2, 3], Float32Array.from([1, 2, 3, 4, 5, 6]));
    const transposed = transposeTensor(matrix, [1, 0]);
    assert.deepEqual(transposed.shape, [3, 2]);
    assert.deepEqual([...transposed.data], [1, 4, 2, 5, 3, 6]);
  });

  it('moves the first axis of a [2, 3, 4] tensor last so element [a, b, c] lands at [b, c, a]', () => {
    const values = Float32Array.from({ length: 24 }, (_, index) => index);
    const moved = transposeTensor(createTensor([2, 3, 4], values), [1, 2, 0]);
    assert.deepEqual(moved.shape, [3, 4, 2]);
    for (let a = 0; a < 2; a++) {
      for (let b = 0; b < 3; b++) {
        for (let c = 0; c < 4; c++) assert.equal(moved.data[(b * 4 + c) * 2 + a], values[(a * 3 + b) * 4 + c]);
      }
    }
  });

  it('refuses a list that is not a permutation of the axes', () => {
    assertThrowsWithMessage(() => transposeTensor(createTensor([2, 3]), [0, 0]), 'NormalizationError', 'is not a permutation');
  });

  it('wraps negative axes and reports out-of-range ones with PyTorch\'s message', () => {
    assert.equal(normalizeAxis(-1, 4), 3);
    assertThrowsWithMessage(() => normalizeAxis(3, 3), 'NormalizationError', 'Dimension out of range (expected to be in range of [-3, 2], but got 3)');
  });
});
