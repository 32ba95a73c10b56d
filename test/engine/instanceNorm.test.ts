import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createTensor, runNormalization } from '../../src/engine';
import { assertAllClose, assertThrowsWithMessage, type Tolerance } from './testSupport';

const float32Tolerance: Tolerance = { absolute: 1e-6, relative: 1e-6 };
const eps = 1e-5;

// [N=2, C=2, L=3]: (n0, c0) = 1, 2, 3 (mean 2, biased variance 2/3); (n0, c1) = 0, 0, 6 (mean 2,
// variance 8); (n1, c0) = 4, 4, 4 (mean 4, variance 0); (n1, c1) = -3, 0, 3 (mean 0, variance 6).
const input = createTensor([2, 2, 3], Float32Array.from([1, 2, 3, 0, 0, 6, 4, 4, 4, -3, 0, 3]));
const instanceMeans = [2, 2, 4, 0];
const instanceVariances = [2 / 3, 8, 0, 6];

function expectedInstanceOutput(weight = [1, 1], bias = [0, 0]): number[] {
  return [...input.data].map((value, index) => {
    const set = Math.floor(index / 3);
    const channel = set % 2;
    return ((value - instanceMeans[set]) / Math.sqrt(instanceVariances[set] + eps)) * weight[channel] + bias[channel];
  });
}

describe('instanceNorm', () => {
  it('normalizes each (sample, channel) of [2, 2, 3] over its spatial values, without affine by default', () => {
    const result = runNormalization({ kind: 'InstanceNorm', numFeatures: 2 }, input, { mode: 'train' });
    assertAllClose(result.output.data, expectedInstanceOutput(), float32Tolerance, 'output');
    assert.deepEqual(result.statistics.setShape, [2, 2]);
    assert.equal(result.statistics.count, 3);
    assertAllClose(result.statistics.mean, instanceMeans, float32Tolerance, 'mean');
    assertAllClose(result.statistics.variance, instanceVariances, float32Tolerance, 'variance');
    assert.equal(result.runningMean, undefined);
  });

  it('applies a per-channel weight and bias when affine', () => {
    const result = runNormalization({ kind: 'InstanceNorm', numFeatures: 2, affine: true }, input, {
      mode: 'train',
      weight: createTensor([2], Float32Array.from([3, -1])),
      bias: createTensor([2], Float32Array.from([0.5, 2])),
    });
    assertAllClose(result.output.data, expectedInstanceOutput([3, -1], [0.5, 2]), float32Tolerance, 'output');
  });

  it('treats an unbatched [2, 3] input as a batch of one', () => {
    const unbatched = createTensor([2, 3], input.data.slice(0, 6));
    const result = runNormalization({ kind: 'InstanceNorm', numFeatures: 2, rank: 1 }, unbatched, { mode: 'train' });
    assert.deepEqual(result.output.shape, [2, 3]);
    assert.deepEqual(result.statistics.setShape, [2]);
    assertAllClose(result.output.data, expectedInstanceOutput().slice(0, 6), float32Tolerance, 'output');
  });

  it('blends the batch average of instance means and unbiased variances into the running statistics', () => {
    const result = runNormalization({ kind: 'InstanceNorm', numFeatures: 2, trackRunningStats: true }, input, { mode: 'train' });
    // Channel 0 averages means 2 and 4 and unbiased variances (2/3)·3/2 = 1 and 0; channel 1 means 2 and 0, variances 12 and 9.
    assertAllClose(result.runningMean!, [0.1 * 3, 0.1 * 1], float32Tolerance, 'runningMean');
    assertAllClose(result.runningVar!, [0.9 + 0.1 * 0.5, 0.9 + 0.1 * 10.5], float32Tolerance, 'runningVar');
    assert.equal(result.numBatchesTracked, undefined);
  });

  it('leaves the running statistics unchanged when momentum is null, as PyTorch 2 passes 0', () => {
    const result = runNormalization({ kind: 'InstanceNorm', numFeatures: 2, trackRunningStats: true, momentum: null }, input, {
      mode: 'train',
      runningMean: Float32Array.from([5, 6]),
    });
    assert.deepEqual([...result.runningMean!], [5, 6]);
    assert.deepEqual([...result.runningVar!], [1, 1]);
  });

  it('normalizes with the running statistics in eval mode when tracking them, and with instance statistics otherwise', () => {
    const runningMean = Float32Array.from([1, 2]);
    const runningVar = Float32Array.from([4, 9]);
    const tracked = runNormalization({ kind: 'InstanceNorm', numFeatures: 2, trackRunningStats: true }, input, { mode: 'eval', runningMean, runningVar });
    const expected = [...input.data].map((value, index) => {
      const channel = Math.floor(index / 3) % 2;
      return (value - runningMean[channel]) / Math.sqrt(runningVar[channel] + eps);
    });
    assertAllClose(tracked.output.data, expected, float32Tolerance, 'tracked output');
    assert.equal(tracked.normalizedWith, 'runningStatistics');
    const untracked = runNormalization({ kind: 'InstanceNorm', numFeatures: 2 }, input, { mode: 'eval' });
    assertAllClose(untracked.output.data, expectedInstanceOutput(), float32Tolerance, 'untracked output');
  });

  it('rejects a single spatial value when using instance statistics: [2, 3, 1, 1]', () => {
    assertThrowsWithMessage(
      () => runNormalization({ kind: 'InstanceNorm', numFeatures: 3 }, createTensor([2, 3, 1, 1]), { mode: 'eval' }),
      'NormalizationError',
      'Expected more than 1 spatial element when training, got input size [2, 3, 1, 1]',
    );
    assertThrowsWithMessage(
      () => runNormalization({ kind: 'InstanceNorm', numFeatures: 3, rank: 2 }, createTensor([3, 1, 1]), { mode: 'train' }),
      'NormalizationError',
      'got input size [1, 3, 1, 1]',
    );
    const withRunning = runNormalization({ kind: 'InstanceNorm', numFeatures: 3, trackRunningStats: true }, createTensor([2, 3, 1, 1]), { mode: 'eval' });
    assert.equal(withRunning.output.data.length, 6);
  });

  it('checks the input rank of each InstanceNorm class', () => {
    assertThrowsWithMessage(() => runNormalization({ kind: 'InstanceNorm', numFeatures: 3, rank: 2 }, createTensor([2, 3]), { mode: 'train' }), 'NormalizationError', 'InstanceNorm2d(3): expected 3D or 4D input (got 2D input)');
    assertThrowsWithMessage(() => runNormalization({ kind: 'InstanceNorm', numFeatures: 3, rank: 3 }, createTensor([2, 3, 4]), { mode: 'train' }), 'NormalizationError', 'expected 4D or 5D input (got 3D input)');
  });

  it('only requires num_features channels when it has a weight or running statistics', () => {
    const input4Channels = createTensor([2, 4, 5, 5], Float32Array.from({ length: 200 }, (_, index) => index % 7));
    assertThrowsWithMessage(
      () => runNormalization({ kind: 'InstanceNorm', numFeatures: 3, affine: true }, input4Channels, { mode: 'train' }),
      'NormalizationError',
      "expected input's size at dim=1 to match num_features (3), but got: 4.",
    );
    assertThrowsWithMessage(() => runNormalization({ kind: 'InstanceNorm', numFeatures: 3, trackRunningStats: true }, input4Channels, { mode: 'train' }), 'NormalizationError', 'to match num_features (3)');
    const plain = runNormalization({ kind: 'InstanceNorm', numFeatures: 3 }, input4Channels, { mode: 'train' });
    assert.deepEqual(plain.statistics.setShape, [2, 4]);
  });
});
