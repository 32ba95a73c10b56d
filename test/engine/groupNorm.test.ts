import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createSyntheticTensor, createTensor, runNormalization } from '../../src/engine';
import { assertAllClose, assertThrowsWithMessage, type Tolerance } from './testSupport';

const float32Tolerance: Tolerance = { absolute: 1e-6, relative: 1e-6 };
const eps = 1e-5;

describe('groupNorm', () => {
  it('normalizes each (sample, group) of [1, 4, 2] over its 2 channels × 2 positions', () => {
    // Group 0 holds channels 0 and 1: 1, 3, 5, 7 (mean 4, biased variance 5); group 1: 0, 0, 0, 8 (mean 2, variance 12).
    const input = createTensor([1, 4, 2], Float32Array.from([1, 3, 5, 7, 0, 0, 0, 8]));
    const weight = createTensor([4], Float32Array.from([1, 2, 3, 4]));
    const bias = createTensor([4], Float32Array.from([0, 0, 0, -1]));
    const result = runNormalization({ kind: 'GroupNorm', numGroups: 2, numChannels: 4 }, input, { mode: 'train', weight, bias });
    const group0 = (x: number, channel: number) => ((x - 4) / Math.sqrt(5 + eps)) * weight.data[channel] + bias.data[channel];
    const group1 = (x: number, channel: number) => ((x - 2) / Math.sqrt(12 + eps)) * weight.data[channel] + bias.data[channel];
    assertAllClose(result.output.data, [group0(1, 0), group0(3, 0), group0(5, 1), group0(7, 1), group1(0, 2), group1(0, 2), group1(0, 3), group1(8, 3)], float32Tolerance, 'output');
    assert.deepEqual(result.statistics.setShape, [1, 2]);
    assert.equal(result.statistics.count, 4);
    assertAllClose(result.statistics.mean, [4, 2], float32Tolerance, 'mean');
    assertAllClose(result.statistics.variance, [5, 12], float32Tolerance, 'variance');
  });

  it('matches layer norm over (C, H, W) before the affine step when numGroups is 1: [2, 6, 3, 3]', () => {
    const input = createSyntheticTensor({ shape: [2, 6, 3, 3], seed: 7, channelMeans: [0, 1, 2, 3, 4, 5], channelStds: [1, 2, 3, 1, 2, 3] });
    const grouped = runNormalization({ kind: 'GroupNorm', numGroups: 1, numChannels: 6, affine: false }, input, { mode: 'train' });
    const layered = runNormalization({ kind: 'LayerNorm', normalizedShape: [6, 3, 3], elementwiseAffine: false }, input, { mode: 'train' });
    assertAllClose(grouped.output.data, layered.output.data, float32Tolerance, 'output');
  });

  it('matches instance norm when numGroups equals numChannels: [2, 6, 3, 3]', () => {
    const input = createSyntheticTensor({ shape: [2, 6, 3, 3], seed: 8, mean: 3, std: 2 });
    const grouped = runNormalization({ kind: 'GroupNorm', numGroups: 6, numChannels: 6, affine: false }, input, { mode: 'train' });
    const instance = runNormalization({ kind: 'InstanceNorm', numFeatures: 6 }, input, { mode: 'train' });
    assertAllClose(grouped.output.data, instance.output.data, float32Tolerance, 'output');
    assertAllClose(grouped.statistics.variance, instance.statistics.variance, float32Tolerance, 'variance');
  });

  it('computes the same in train and eval mode, having no running statistics', () => {
    const input = createSyntheticTensor({ shape: [2, 4, 3], seed: 9 });
    const spec = { kind: 'GroupNorm', numGroups: 2, numChannels: 4 } as const;
    assert.deepEqual([...runNormalization(spec, input, { mode: 'eval' }).output.data], [...runNormalization(spec, input, { mode: 'train' }).output.data]);
    assertThrowsWithMessage(() => runNormalization(spec, input, { mode: 'train', runningMean: new Float32Array(4) }), 'NormalizationError', 'keeps no running statistics');
  });

  it('rejects a channel count that the groups do not divide', () => {
    assertThrowsWithMessage(
      () => runNormalization({ kind: 'GroupNorm', numGroups: 24, numChannels: 64 }, createTensor([2, 64, 1, 1]), { mode: 'train' }),
      'NormalizationError',
      'num_channels must be divisible by num_groups, got num_channels=64 and num_groups=24',
    );
    assertThrowsWithMessage(() => runNormalization({ kind: 'GroupNorm', numGroups: 0, numChannels: 8 }, createTensor([2, 8]), { mode: 'train' }), 'NormalizationError', 'num_groups must be a positive integer, got 0');
  });

  it('requires the input channels to equal num_channels when affine, and only divisibility otherwise', () => {
    assertThrowsWithMessage(
      () => runNormalization({ kind: 'GroupNorm', numGroups: 4, numChannels: 8 }, createTensor([2, 12, 3, 3]), { mode: 'train' }),
      'NormalizationError',
      'Expected weight to be a vector of size equal to the number of channels in input, but got weight of shape [8] and input of shape [2, 12, 3, 3]',
    );
    const unaffine = runNormalization({ kind: 'GroupNorm', numGroups: 4, numChannels: 8, affine: false }, createSyntheticTensor({ shape: [2, 12, 3, 3], seed: 1 }), { mode: 'train' });
    assert.equal(unaffine.statistics.count, 3 * 9);
    assertThrowsWithMessage(
      () => runNormalization({ kind: 'GroupNorm', numGroups: 4, numChannels: 8, affine: false }, createTensor([2, 10, 3, 3]), { mode: 'train' }),
      'NormalizationError',
      'Expected number of channels in input to be divisible by num_groups, but got input of shape [2, 10, 3, 3] and num_groups=4',
    );
  });

  it('rejects inputs with fewer than 2 dimensions', () => {
    assertThrowsWithMessage(() => runNormalization({ kind: 'GroupNorm', numGroups: 2, numChannels: 8 }, createTensor([8]), { mode: 'train' }), 'NormalizationError', 'Expected at least 2 dimensions for input tensor but received 1');
  });

  it('rejects sets of one value, reporting the size PyTorch derives: [1, 8] with 8 groups', () => {
    assertThrowsWithMessage(
      () => runNormalization({ kind: 'GroupNorm', numGroups: 8, numChannels: 8 }, createTensor([1, 8]), { mode: 'eval' }),
      'NormalizationError',
      'Expected more than 1 value per channel when training, got input size [1, 8]',
    );
    assertThrowsWithMessage(
      () => runNormalization({ kind: 'GroupNorm', numGroups: 8, numChannels: 8 }, createTensor([1, 8, 1, 1]), { mode: 'train' }),
      'NormalizationError',
      'got input size [1, 8, 1, 1]',
    );
  });
});
