import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createTensor, runNormalization } from '../../src/engine';
import { assertAllClose, assertThrowsWithMessage, type Tolerance } from './testSupport';

const float32Tolerance: Tolerance = { absolute: 1e-6, relative: 1e-6 };
const eps = 1e-5;

// [N=2, C=2, H=1, W=2]: channel 0 holds 1, 3 (sample 0) and 5, 7 (sample 1): mean 4, biased variance
// (9 + 1 + 1 + 9) / 4 = 5. Channel 1 holds 2, 4 and 6, 8: mean 5, biased variance 5.
const input = createTensor([2, 2, 1, 2], Float32Array.from([1, 3, 2, 4, 5, 7, 6, 8]));
const weight = createTensor([2], Float32Array.from([2, 0.5]));
const bias = createTensor([2], Float32Array.from([1, -1]));

describe('batchNorm', () => {
  it('normalizes each channel of [2, 2, 1, 2] over the batch and spatial axes in training', () => {
    const result = runNormalization({ kind: 'BatchNorm', numFeatures: 2 }, input, { mode: 'train', weight, bias });
    const scale = 1 / Math.sqrt(5 + eps);
    const channel0 = (x: number) => (x - 4) * scale * 2 + 1;
    const channel1 = (x: number) => (x - 5) * scale * 0.5 - 1;
    assertAllClose(result.output.data, [channel0(1), channel0(3), channel1(2), channel1(4), channel0(5), channel0(7), channel1(6), channel1(8)], float32Tolerance, 'output');
    assert.deepEqual(result.statistics.setShape, [2]);
    assert.equal(result.statistics.count, 4);
    assertAllClose(result.statistics.mean, [4, 5], float32Tolerance, 'mean');
    assertAllClose(result.statistics.variance, [5, 5], float32Tolerance, 'variance');
    assert.equal(result.normalizedWith, 'batchStatistics');
  });

  it('updates running statistics of [2, 2, 1, 2] with momentum 0.1 and the unbiased variance', () => {
    const result = runNormalization({ kind: 'BatchNorm', numFeatures: 2 }, input, {
      mode: 'train',
      runningMean: Float32Array.from([0, 1]),
      runningVar: Float32Array.from([1, 2]),
      numBatchesTracked: 4,
    });
    // The unbiased variance of both channels is 5 · 4/3.
    const unbiased = (5 * 4) / 3;
    assertAllClose(result.runningMean!, [0.9 * 0 + 0.1 * 4, 0.9 * 1 + 0.1 * 5], float32Tolerance, 'runningMean');
    assertAllClose(result.runningVar!, [0.9 * 1 + 0.1 * unbiased, 0.9 * 2 + 0.1 * unbiased], float32Tolerance, 'runningVar');
    assert.equal(result.numBatchesTracked, 5);
  });

  it('uses a cumulative average when momentum is null: the batch weighs 1/numBatchesTracked', () => {
    const result = runNormalization({ kind: 'BatchNorm', numFeatures: 2, momentum: null }, input, {
      mode: 'train',
      runningMean: Float32Array.from([2, 2]),
      runningVar: Float32Array.from([1, 1]),
      numBatchesTracked: 3,
    });
    // This is the 4th batch: running = 3/4 · running + 1/4 · batch.
    assertAllClose(result.runningMean!, [0.75 * 2 + 0.25 * 4, 0.75 * 2 + 0.25 * 5], float32Tolerance, 'runningMean');
    assertAllClose(result.runningVar!, [0.75 + 0.25 * (20 / 3), 0.75 + 0.25 * (20 / 3)], float32Tolerance, 'runningVar');
    assert.equal(result.numBatchesTracked, 4);
  });

  it('normalizes [2, 2, 1, 2] with the running statistics in eval mode and leaves them unchanged', () => {
    const runningMean = Float32Array.from([1, -1]);
    const runningVar = Float32Array.from([4, 0.25]);
    const result = runNormalization({ kind: 'BatchNorm', numFeatures: 2 }, input, { mode: 'eval', weight, bias, runningMean, runningVar, numBatchesTracked: 9 });
    const channel0 = (x: number) => ((x - 1) / Math.sqrt(4 + eps)) * 2 + 1;
    const channel1 = (x: number) => ((x + 1) / Math.sqrt(0.25 + eps)) * 0.5 - 1;
    assertAllClose(result.output.data, [channel0(1), channel0(3), channel1(2), channel1(4), channel0(5), channel0(7), channel1(6), channel1(8)], float32Tolerance, 'output');
    assert.equal(result.normalizedWith, 'runningStatistics');
    assert.deepEqual([...result.runningMean!], [...runningMean]);
    assert.deepEqual([...result.runningVar!], [...runningVar]);
    assert.equal(result.numBatchesTracked, 9);
  });

  it('uses batch statistics in eval mode when it tracks no running statistics, and returns none', () => {
    const spec = { kind: 'BatchNorm', numFeatures: 2, trackRunningStats: false } as const;
    const evalResult = runNormalization(spec, input, { mode: 'eval' });
    const trainResult = runNormalization(spec, input, { mode: 'train' });
    assert.deepEqual([...evalResult.output.data], [...trainResult.output.data]);
    assert.equal(evalResult.normalizedWith, 'batchStatistics');
    assert.equal(evalResult.runningMean, undefined);
    assert.equal(evalResult.numBatchesTracked, undefined);
  });

  it('accepts the [N, C] input of BatchNorm1d: [3, 2] has three values per channel', () => {
    const result = runNormalization({ kind: 'BatchNorm', numFeatures: 2, rank: 1, affine: false }, createTensor([3, 2], Float32Array.from([0, 10, 3, 10, 6, 13])), { mode: 'train' });
    // Channel 0: 0, 3, 6 (mean 3, variance 6); channel 1: 10, 10, 13 (mean 11, variance 2).
    const scale0 = 1 / Math.sqrt(6 + eps);
    const scale1 = 1 / Math.sqrt(2 + eps);
    assertAllClose(result.output.data, [-3 * scale0, -1 * scale1, 0, -1 * scale1, 3 * scale0, 2 * scale1], float32Tolerance, 'output');
  });

  it('counts an empty batch but leaves the running statistics as they were, like PyTorch', () => {
    const result = runNormalization({ kind: 'BatchNorm', numFeatures: 2 }, createTensor([0, 2, 3, 3]), { mode: 'train', runningMean: Float32Array.from([0.5, 0.5]) });
    assert.equal(result.output.data.length, 0);
    assert.deepEqual([...result.runningMean!], [0.5, 0.5]);
    assert.deepEqual([...result.runningVar!], [1, 1]);
    assert.equal(result.numBatchesTracked, 1);
  });

  it('rejects one value per channel when training: [1, 64, 1, 1]', () => {
    assertThrowsWithMessage(
      () => runNormalization({ kind: 'BatchNorm', numFeatures: 64 }, createTensor([1, 64, 1, 1]), { mode: 'train' }),
      'NormalizationError',
      'Expected more than 1 value per channel when training, got input size [1, 64, 1, 1]',
    );
    assertThrowsWithMessage(
      () => runNormalization({ kind: 'BatchNorm', numFeatures: 3, rank: 1 }, createTensor([1, 3]), { mode: 'train' }),
      'NormalizationError',
      'got input size [1, 3]',
    );
  });

  it('accepts one value per channel in eval mode with running statistics, but not without them', () => {
    const evalResult = runNormalization({ kind: 'BatchNorm', numFeatures: 64 }, createTensor([1, 64, 1, 1]), { mode: 'eval' });
    assert.equal(evalResult.output.data.length, 64);
    assertThrowsWithMessage(
      () => runNormalization({ kind: 'BatchNorm', numFeatures: 64, trackRunningStats: false }, createTensor([1, 64, 1, 1]), { mode: 'eval' }),
      'NormalizationError',
      'Expected more than 1 value per channel when training',
    );
  });

  it('accepts a batch of one when there is more than one spatial value: [1, 3, 2]', () => {
    const result = runNormalization({ kind: 'BatchNorm', numFeatures: 3, rank: 1 }, createTensor([1, 3, 2], Float32Array.from([1, 3, 0, 0, 5, 5])), { mode: 'train' });
    assertAllClose(result.output.data, [-1 / Math.sqrt(1 + eps), 1 / Math.sqrt(1 + eps), 0, 0, 0, 0], float32Tolerance, 'output');
  });

  it('checks the input rank of each BatchNorm class', () => {
    assertThrowsWithMessage(() => runNormalization({ kind: 'BatchNorm', numFeatures: 3, rank: 2 }, createTensor([2, 3]), { mode: 'train' }), 'NormalizationError', 'BatchNorm2d(3): expected 4D input (got 2D input)');
    assertThrowsWithMessage(() => runNormalization({ kind: 'BatchNorm', numFeatures: 3, rank: 1 }, createTensor([2, 3, 4, 4]), { mode: 'train' }), 'NormalizationError', 'BatchNorm1d(3): expected 2D or 3D input (got 4D input)');
    assertThrowsWithMessage(() => runNormalization({ kind: 'BatchNorm', numFeatures: 3, rank: 3 }, createTensor([2, 3, 4, 4]), { mode: 'train' }), 'NormalizationError', 'expected 5D input (got 4D input)');
    assertThrowsWithMessage(() => runNormalization({ kind: 'BatchNorm', numFeatures: 3 }, createTensor([3]), { mode: 'train' }), 'NormalizationError', 'expected 2D to 5D input (got 1D input)');
  });

  it('requires num_features channels at dim 1 when it has a weight or running statistics', () => {
    assertThrowsWithMessage(
      () => runNormalization({ kind: 'BatchNorm', numFeatures: 3 }, createTensor([2, 4, 5, 5]), { mode: 'train' }),
      'NormalizationError',
      'BatchNorm2d(3): expected 3 channels (num_features) at dim 1, got input size [2, 4, 5, 5]',
    );
    const withoutState = runNormalization({ kind: 'BatchNorm', numFeatures: 3, affine: false, trackRunningStats: false }, createTensor([2, 4, 5, 5]), { mode: 'train' });
    assert.deepEqual(withoutState.statistics.setShape, [4]);
  });

  it('checks the length of the weight, bias and running statistics', () => {
    assertThrowsWithMessage(() => runNormalization({ kind: 'BatchNorm', numFeatures: 2 }, input, { mode: 'train', weight: createTensor([3]) }), 'NormalizationError', 'weight should contain 2 elements, got 3');
    assertThrowsWithMessage(() => runNormalization({ kind: 'BatchNorm', numFeatures: 2 }, input, { mode: 'train', runningVar: new Float32Array(1) }), 'NormalizationError', 'running_var should contain 2 elements not 1');
    assertThrowsWithMessage(() => runNormalization({ kind: 'BatchNorm', numFeatures: 2, affine: false }, input, { mode: 'train', bias }), 'NormalizationError', 'has no bias in this configuration');
    assertThrowsWithMessage(() => runNormalization({ kind: 'BatchNorm', numFeatures: 2, trackRunningStats: false }, input, { mode: 'train', runningMean: new Float32Array(2) }), 'NormalizationError', 'keeps no running statistics');
    assertThrowsWithMessage(() => runNormalization({ kind: 'BatchNorm', numFeatures: 0 }, input, { mode: 'train' }), 'NormalizationError', 'num_features must be a positive integer, got 0');
  });
});
