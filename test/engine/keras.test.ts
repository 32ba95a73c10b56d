import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createSyntheticTensor, createTensor, runNormalization, transposeTensor } from '../../src/engine';
import { assertAllClose, assertThrowsWithMessage, referenceMoments, type Tolerance } from './testSupport';

const float32Tolerance: Tolerance = { absolute: 1e-6, relative: 1e-6 };
const kerasEpsilon = 1e-3;

// Channels-last [2, 2, 2]: channel 0 (every even index) holds 1, 3, 5, 7 (mean 4, biased variance 5);
// channel 1 holds 0, 0, 0, 4 (mean 1, variance 3).
const channelsLast = createTensor([2, 2, 2], Float32Array.from([1, 0, 3, 0, 5, 0, 7, 4]));

describe('kerasBatchNormalization', () => {
  it('normalizes over every axis but the last with epsilon 1e-3 by default: [2, 2, 2]', () => {
    const result = runNormalization({ kind: 'KerasBatchNormalization' }, channelsLast, { mode: 'train' });
    const channel0 = (x: number) => (x - 4) / Math.sqrt(5 + kerasEpsilon);
    const channel1 = (x: number) => (x - 1) / Math.sqrt(3 + kerasEpsilon);
    assertAllClose(result.output.data, [channel0(1), channel1(0), channel0(3), channel1(0), channel0(5), channel1(0), channel0(7), channel1(4)], float32Tolerance, 'output');
    assert.deepEqual(result.statistics.setShape, [2]);
  });

  it('moves the moving statistics by 1 − momentum with the biased variance (momentum weighs the old value)', () => {
    const result = runNormalization({ kind: 'KerasBatchNormalization' }, channelsLast, {
      mode: 'train',
      runningMean: Float32Array.from([10, 10]),
      runningVar: Float32Array.from([2, 2]),
    });
    assertAllClose(result.runningMean!, [0.99 * 10 + 0.01 * 4, 0.99 * 10 + 0.01 * 1], float32Tolerance, 'moving_mean');
    assertAllClose(result.runningVar!, [0.99 * 2 + 0.01 * 5, 0.99 * 2 + 0.01 * 3], float32Tolerance, 'moving_variance');
  });

  it('normalizes with the moving statistics in eval mode', () => {
    const result = runNormalization({ kind: 'KerasBatchNormalization', center: false }, channelsLast, {
      mode: 'eval',
      weight: createTensor([2], Float32Array.from([2, 3])),
      runningMean: Float32Array.from([1, 2]),
      runningVar: Float32Array.from([4, 1]),
    });
    const expected = [...channelsLast.data].map((x, index) =>
      index % 2 === 0 ? ((x - 1) / Math.sqrt(4 + kerasEpsilon)) * 2 : ((x - 2) / Math.sqrt(1 + kerasEpsilon)) * 3,
    );
    assertAllClose(result.output.data, expected, float32Tolerance, 'output');
    assert.equal(result.normalizedWith, 'runningStatistics');
  });

  it('equals PyTorch BatchNorm2d with axis 1 and momentum 1 − m, except for the unbiased running variance', () => {
    const input = createSyntheticTensor({ shape: [3, 4, 2, 2], seed: 11, channelMeans: [0, 1, -1, 5], channelStds: [1, 2, 0.5, 3] });
    const keras = runNormalization({ kind: 'KerasBatchNormalization', axis: 1, momentum: 0.9, epsilon: 1e-5 }, input, { mode: 'train' });
    const pytorch = runNormalization({ kind: 'BatchNorm', numFeatures: 4, momentum: 0.1 }, input, { mode: 'train' });
    assertAllClose(keras.output.data, pytorch.output.data, float32Tolerance, 'output');
    assertAllClose(keras.runningMean!, pytorch.runningMean!, float32Tolerance, 'running mean');
    const setSize = 3 * 2 * 2;
    const kerasFromPytorch = [...pytorch.runningVar!].map((running) => 0.9 + (running - 0.9) * ((setSize - 1) / setSize));
    assertAllClose(keras.runningVar!, kerasFromPytorch, { absolute: 1e-5, relative: 1e-5 }, 'running variance');
  });

  it('rejects an axis outside the input', () => {
    assertThrowsWithMessage(() => runNormalization({ kind: 'KerasBatchNormalization', axis: 3 }, channelsLast, { mode: 'train' }), 'NormalizationError', 'Dimension out of range (expected to be in range of [-3, 2], but got 3)');
  });
});

describe('kerasLayerNormalization', () => {
  it('equals PyTorch LayerNorm over the last axis with epsilon 1e-3', () => {
    const input = createSyntheticTensor({ shape: [3, 5], seed: 12, mean: 2, std: 3 });
    const keras = runNormalization({ kind: 'KerasLayerNormalization' }, input, { mode: 'train' });
    const pytorch = runNormalization({ kind: 'LayerNorm', normalizedShape: [5], eps: kerasEpsilon }, input, { mode: 'train' });
    assertAllClose(keras.output.data, pytorch.output.data, float32Tolerance, 'output');
  });

  it('normalizes [2, 3, 2] over axis 1 alone, each (sample, last index) being a set with gamma over axis 1', () => {
    const input = createSyntheticTensor({ shape: [2, 3, 2], seed: 13 });
    const gamma = Float32Array.from([1, 2, 3]);
    const result = runNormalization({ kind: 'KerasLayerNormalization', axis: 1 }, input, { mode: 'train', weight: createTensor([3], gamma) });
    assert.deepEqual(result.statistics.setShape, [2, 2]);
    for (let sample = 0; sample < 2; sample++) {
      for (let last = 0; last < 2; last++) {
        const positions = [0, 1, 2].map((middle) => (sample * 3 + middle) * 2 + last);
        const { mean, variance } = referenceMoments(positions.map((position) => input.data[position]));
        const expected = positions.map((position, middle) => ((input.data[position] - mean) / Math.sqrt(variance + kerasEpsilon)) * gamma[middle]);
        assertAllClose(positions.map((position) => result.output.data[position]), expected, float32Tolerance, `set (${sample}, ${last})`);
      }
    }
  });

  it('normalizes non-adjacent axes [1, 3] of [2, 2, 3, 2] like the trailing axes of the transposed input', () => {
    const input = createSyntheticTensor({ shape: [2, 2, 3, 2], seed: 14 });
    const result = runNormalization({ kind: 'KerasLayerNormalization', axis: [3, 1] }, input, { mode: 'train' });
    const moved = transposeTensor(input, [0, 2, 1, 3]);
    const reference = runNormalization({ kind: 'LayerNorm', normalizedShape: [2, 2], eps: kerasEpsilon }, moved, { mode: 'train' });
    assertAllClose(result.output.data, transposeTensor(reference.output, [0, 2, 1, 3]).data, float32Tolerance, 'output');
    assert.deepEqual(result.statistics.setShape, [2, 3]);
  });
});

describe('kerasGroupNormalization', () => {
  it('equals PyTorch GroupNorm on the channels-first transpose of a channels-last [2, 2, 2, 4] input', () => {
    const channelsLastInput = createSyntheticTensor({ shape: [2, 2, 2, 4], seed: 15, channelAxis: 3, channelMeans: [0, 1, 2, 3], channelStds: [1, 1, 2, 2] });
    const gamma = createTensor([4], Float32Array.from([1, 2, 3, 4]));
    const keras = runNormalization({ kind: 'KerasGroupNormalization', groups: 2 }, channelsLastInput, { mode: 'train', weight: gamma });
    const channelsFirst = transposeTensor(channelsLastInput, [0, 3, 1, 2]);
    const pytorch = runNormalization({ kind: 'GroupNorm', numGroups: 2, numChannels: 4, eps: kerasEpsilon }, channelsFirst, { mode: 'train', weight: gamma });
    assertAllClose(keras.output.data, transposeTensor(pytorch.output, [0, 2, 3, 1]).data, float32Tolerance, 'output');
    assertAllClose(keras.statistics.mean, pytorch.statistics.mean, float32Tolerance, 'mean');
  });

  it('rejects more groups than channels, channels the groups do not divide, and the batch axis as channel axis', () => {
    const input = createTensor([2, 3, 32]);
    assertThrowsWithMessage(() => runNormalization({ kind: 'KerasGroupNormalization', groups: 64 }, input, { mode: 'train' }), 'NormalizationError', 'the number of groups (64) cannot be more than the number of channels (32)');
    assertThrowsWithMessage(() => runNormalization({ kind: 'KerasGroupNormalization', groups: 5 }, input, { mode: 'train' }), 'NormalizationError', 'the number of channels (32) must be a multiple of the number of groups (5)');
    assertThrowsWithMessage(() => runNormalization({ kind: 'KerasGroupNormalization', groups: 1, axis: 0 }, input, { mode: 'train' }), 'NormalizationError', 'axis 0 is the batch axis');
  });
});
