import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createSyntheticTensor, createTensor, runNormalization } from '../../src/engine';
import { assertAllClose, assertThrowsWithMessage, referenceMoments, type Tolerance } from './testSupport';

const float32Tolerance: Tolerance = { absolute: 1e-6, relative: 1e-6 };
const eps = 1e-5;

// [2, 3]: row 0 = 1, 2, 6 (mean 3, biased variance (4 + 1 + 9)/3 = 14/3); row 1 = 2, 2, 2 (mean 2, variance 0).
const input = createTensor([2, 3], Float32Array.from([1, 2, 6, 2, 2, 2]));

describe('layerNorm', () => {
  it('normalizes each row of [2, 3] over normalizedShape [3] with an elementwise weight and bias', () => {
    const weight = createTensor([3], Float32Array.from([1, 2, 3]));
    const bias = createTensor([3], Float32Array.from([0.5, 0, -0.5]));
    const result = runNormalization({ kind: 'LayerNorm', normalizedShape: [3] }, input, { mode: 'train', weight, bias });
    const row0 = [1, 2, 6].map((x, position) => ((x - 3) / Math.sqrt(14 / 3 + eps)) * weight.data[position] + bias.data[position]);
    assertAllClose(result.output.data, [...row0, 0.5, 0, -0.5], float32Tolerance, 'output');
    assert.deepEqual(result.statistics.setShape, [2]);
    assertAllClose(result.statistics.mean, [3, 2], float32Tolerance, 'mean');
    assertAllClose(result.statistics.variance, [14 / 3, 0], float32Tolerance, 'variance');
  });

  it('normalizes every row of [19, 5], in blocks of eight rows and the remaining three, like the row-by-row formula', () => {
    const tall = createSyntheticTensor({ shape: [19, 5], seed: 3, channelAxis: 0, channelMeans: Array.from({ length: 19 }, (_, row) => row), channelStds: Array.from({ length: 19 }, (_, row) => 1 + row / 4) });
    const weight = createTensor([5], Float32Array.from([1, -2, 0.5, 3, 1]));
    const bias = createTensor([5], Float32Array.from([0, 1, 2, 3, 4]));
    const result = runNormalization({ kind: 'LayerNorm', normalizedShape: [5] }, tall, { mode: 'train', weight, bias });
    for (let row = 0; row < 19; row++) {
      const values = [...tall.data.subarray(row * 5, row * 5 + 5)];
      const { mean, variance } = referenceMoments(values);
      const expected = values.map((value, position) => ((value - mean) / Math.sqrt(variance + eps)) * weight.data[position] + bias.data[position]);
      assertAllClose(result.output.data.subarray(row * 5, row * 5 + 5), expected, float32Tolerance, `row ${row}`);
    }
  });

  it('normalizes [1, 2, 2] over its last two axes as one set', () => {
    const result = runNormalization({ kind: 'LayerNorm', normalizedShape: [2, 2], elementwiseAffine: false }, createTensor([1, 2, 2], Float32Array.from([0, 2, 4, 6])), { mode: 'train' });
    // Mean 3, biased variance (9 + 1 + 1 + 9)/4 = 5.
    assertAllClose(result.output.data, [-3, -1, 1, 3].map((deviation) => deviation / Math.sqrt(5 + eps)), float32Tolerance, 'output');
    assert.deepEqual(result.statistics.setShape, [1]);
  });

  it('has no bias when bias is false, and refuses one', () => {
    const weight = createTensor([3], Float32Array.from([2, 2, 2]));
    const result = runNormalization({ kind: 'LayerNorm', normalizedShape: [3], bias: false }, input, { mode: 'train', weight });
    assertAllClose(result.output.data.slice(3), [0, 0, 0], float32Tolerance, 'constant row');
    assertThrowsWithMessage(
      () => runNormalization({ kind: 'LayerNorm', normalizedShape: [3], bias: false }, input, { mode: 'train', bias: weight }),
      'NormalizationError',
      'has no bias in this configuration',
    );
  });

  it('requires normalizedShape to equal the trailing axes, with PyTorch\'s message', () => {
    assertThrowsWithMessage(
      () => runNormalization({ kind: 'LayerNorm', normalizedShape: [768] }, createTensor([4, 5, 512]), { mode: 'train' }),
      'NormalizationError',
      'Given normalized_shape=[768], expected input with shape [*, 768], but got input of size [4, 5, 512]',
    );
    assertThrowsWithMessage(() => runNormalization({ kind: 'LayerNorm', normalizedShape: [2, 3, 4] }, createTensor([3, 4]), { mode: 'train' }), 'NormalizationError', 'expected input with shape [*, 2, 3, 4]');
    assertThrowsWithMessage(() => runNormalization({ kind: 'LayerNorm', normalizedShape: [] }, input, { mode: 'train' }), 'NormalizationError', 'Expected normalized_shape to be at least 1-dimensional');
  });

  it('checks the weight has one value per normalized element', () => {
    assertThrowsWithMessage(() => runNormalization({ kind: 'LayerNorm', normalizedShape: [3] }, input, { mode: 'train', weight: createTensor([2]) }), 'NormalizationError', 'weight should contain 3 elements, got 2');
  });
});
