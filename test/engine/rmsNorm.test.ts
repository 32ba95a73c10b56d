import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createTensor, float32MachineEpsilon, runNormalization } from '../../src/engine';
import { assertAllClose, assertThrowsWithMessage, type Tolerance } from './testSupport';

const float32Tolerance: Tolerance = { absolute: 1e-6, relative: 1e-6 };

describe('rmsNorm', () => {
  it('uses the float32 machine epsilon 2⁻²³ when eps is null, as torch does', () => {
    assert.equal(float32MachineEpsilon, 1.1920928955078125e-7);
  });

  it('divides each row of [2, 4] by its root mean square without centering', () => {
    // Row 0 = 1, 1, 1, 1 (mean square 1); row 1 = 3, -3, 3, 5 (mean square (9 + 9 + 9 + 25)/4 = 13).
    const input = createTensor([2, 4], Float32Array.from([1, 1, 1, 1, 3, -3, 3, 5]));
    const weight = createTensor([4], Float32Array.from([1, 2, 3, 4]));
    const result = runNormalization({ kind: 'RMSNorm', normalizedShape: [4] }, input, { mode: 'train', weight });
    const row0 = [1, 1, 1, 1].map((x, position) => (x / Math.sqrt(1 + float32MachineEpsilon)) * weight.data[position]);
    const row1 = [3, -3, 3, 5].map((x, position) => (x / Math.sqrt(13 + float32MachineEpsilon)) * weight.data[position]);
    assertAllClose(result.output.data, [...row0, ...row1], float32Tolerance, 'output');
    // The statistics are still mean and biased variance; mean square = variance + mean².
    assertAllClose(result.statistics.mean, [1, 2], float32Tolerance, 'mean');
    assertAllClose(result.statistics.variance, [0, 9], float32Tolerance, 'variance');
  });

  it('uses the given eps and no weight when elementwiseAffine is false', () => {
    const input = createTensor([1, 2], Float32Array.from([3, 4]));
    const result = runNormalization({ kind: 'RMSNorm', normalizedShape: [2], eps: 0.5, elementwiseAffine: false }, input, { mode: 'eval' });
    // Mean square (9 + 16)/2 = 12.5.
    assertAllClose(result.output.data, [3 / Math.sqrt(13), 4 / Math.sqrt(13)], float32Tolerance, 'output');
  });

  it('checks normalizedShape against the trailing axes and has no bias', () => {
    assertThrowsWithMessage(() => runNormalization({ kind: 'RMSNorm', normalizedShape: [5] }, createTensor([2, 4]), { mode: 'train' }), 'NormalizationError', 'RMSNorm([5]): Given normalized_shape=[5], expected input with shape [*, 5], but got input of size [2, 4]');
    assertThrowsWithMessage(() => runNormalization({ kind: 'RMSNorm', normalizedShape: [4] }, createTensor([2, 4]), { mode: 'train', bias: createTensor([4]) }), 'NormalizationError', 'has no bias');
  });
});
