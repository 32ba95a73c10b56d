/**
 * The numerical cases the design calls out: a large mean with a tiny spread, constant sets,
 * subnormal inputs and large tensors, each checked against a float64 two-pass reference computed
 * here from the same float32 values.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createSyntheticTensor, createTensor, runNormalization, type Tensor } from '../../src/engine';
import { assertAllClose, referenceMoments, type Tolerance } from './testSupport';

/** Outputs are rounded to float32 once; values of order 1 carry about 6e-8 of rounding. */
const outputTolerance: Tolerance = { absolute: 2e-6, relative: 1e-6 };

/** Reference batch norm over channel `channel` of an NCHW tensor in float64. */
function referenceBatchNormChannel(input: Tensor, channel: number, eps: number): { values: number[]; normalized: number[] } {
  const [batchSize, channelCount] = input.shape;
  const spatialSize = input.data.length / (batchSize * channelCount);
  const values: number[] = [];
  for (let sample = 0; sample < batchSize; sample++) {
    const start = (sample * channelCount + channel) * spatialSize;
    values.push(...input.data.subarray(start, start + spatialSize));
  }
  const { mean, variance } = referenceMoments(values);
  return { values, normalized: values.map((value) => (value - mean) / Math.sqrt(variance + eps)) };
}

function channelOutput(output: Tensor, channel: number): number[] {
  const [batchSize, channelCount] = output.shape;
  const spatialSize = output.data.length / (batchSize * channelCount);
  const values: number[] = [];
  for (let sample = 0; sample < batchSize; sample++) {
    const start = (sample * channelCount + channel) * spatialSize;
    values.push(...output.data.subarray(start, start + spatialSize));
  }
  return values;
}

describe('numerical robustness', () => {
  it('keeps full precision for mean 1e4 and spread 1e-2 in every channel-shaped norm: [4, 3, 8, 8]', () => {
    const input = createSyntheticTensor({ shape: [4, 3, 8, 8], seed: 21, mean: 1e4, std: 1e-2 });
    const batch = runNormalization({ kind: 'BatchNorm', numFeatures: 3, affine: false }, input, { mode: 'train' });
    for (let channel = 0; channel < 3; channel++) {
      assertAllClose(channelOutput(batch.output, channel), referenceBatchNormChannel(input, channel, 1e-5).normalized, outputTolerance, `channel ${channel}`);
    }
    // Each set has a spread of 1e-2, so its normalized values must have variance 1/(1 + eps/var) ≈ 0.9.
    const instance = runNormalization({ kind: 'InstanceNorm', numFeatures: 3 }, input, { mode: 'train' });
    const group = runNormalization({ kind: 'GroupNorm', numGroups: 3, numChannels: 3, affine: false }, input, { mode: 'train' });
    assertAllClose(group.output.data, instance.output.data, outputTolerance, 'group norm with one channel per group');
    for (let set = 0; set < 12; set++) {
      const values = instance.output.data.subarray(set * 64, (set + 1) * 64);
      const expectedVariance = instance.statistics.variance[set] / (instance.statistics.variance[set] + 1e-5);
      assert.ok(Math.abs(referenceMoments(values).variance - expectedVariance) < 1e-5, `set ${set}`);
      assert.ok(Math.abs(instance.statistics.mean[set] - 1e4) < 0.01);
    }
  });

  it('keeps full precision for mean 1e4 and spread 1e-2 in layer norm: [6, 64]', () => {
    const input = createSyntheticTensor({ shape: [6, 64], seed: 22, channelAxis: 0, mean: 1e4, std: 1e-2 });
    const result = runNormalization({ kind: 'LayerNorm', normalizedShape: [64], elementwiseAffine: false }, input, { mode: 'train' });
    for (let row = 0; row < 6; row++) {
      const values = [...input.data.subarray(row * 64, (row + 1) * 64)];
      const { mean, variance } = referenceMoments(values);
      assertAllClose(result.output.data.subarray(row * 64, (row + 1) * 64), values.map((value) => (value - mean) / Math.sqrt(variance + 1e-5)), outputTolerance, `row ${row}`);
    }
  });

  it('outputs exactly the bias for a constant channel, set and row', () => {
    const constantChannel = createSyntheticTensor({ shape: [3, 2, 4, 4], seed: 23, channelMeans: [0, 7.3], channelStds: [1, 0] });
    const bias = createTensor([2], Float32Array.from([0.25, -1.5]));
    const batch = runNormalization({ kind: 'BatchNorm', numFeatures: 2 }, constantChannel, { mode: 'train', bias });
    assert.ok(channelOutput(batch.output, 1).every((value) => value === -1.5));
    assert.equal(batch.statistics.variance[1], 0);
    const instance = runNormalization({ kind: 'InstanceNorm', numFeatures: 2, affine: true }, constantChannel, { mode: 'train', bias });
    assert.ok(channelOutput(instance.output, 1).every((value) => value === -1.5));
    const group = runNormalization({ kind: 'GroupNorm', numGroups: 2, numChannels: 2 }, constantChannel, { mode: 'train', bias });
    assert.ok(channelOutput(group.output, 1).every((value) => value === -1.5));
    const constantRow = createTensor([2, 5], Float32Array.from([1, 2, 3, 4, 5, 1e4, 1e4, 1e4, 1e4, 1e4]));
    const layerBias = createTensor([5], Float32Array.from([1, 2, 3, 4, 5]));
    const layer = runNormalization({ kind: 'LayerNorm', normalizedShape: [5] }, constantRow, { mode: 'train', bias: layerBias });
    assert.deepEqual([...layer.output.data.subarray(5)], [1, 2, 3, 4, 5]);
  });

  it('normalizes subnormal float32 inputs of [4, 2, 5, 5] to unit variance when eps is 0', () => {
    const input = createSyntheticTensor({ shape: [4, 2, 5, 5], seed: 24, std: 1e-39 });
    assert.ok(input.data.every((value) => Math.abs(value) < 1.18e-38), 'inputs should be float32 subnormals');
    const result = runNormalization({ kind: 'BatchNorm', numFeatures: 2, eps: 0, affine: false }, input, { mode: 'train' });
    for (let channel = 0; channel < 2; channel++) {
      assertAllClose(channelOutput(result.output, channel), referenceBatchNormChannel(input, channel, 0).normalized, { absolute: 1e-5, relative: 1e-5 }, `channel ${channel}`);
    }
    const withEps = runNormalization({ kind: 'BatchNorm', numFeatures: 2 }, input, { mode: 'train' });
    assert.ok(withEps.output.data.every((value) => Number.isFinite(value) && Math.abs(value) < 1e-30), 'eps dominates a subnormal variance');
  });

  it('matches the float64 reference on a large [16, 64, 32, 32] tensor with channel offsets', () => {
    const channelMeans = Array.from({ length: 64 }, (_, channel) => channel * 100 - 3000);
    const channelStds = Array.from({ length: 64 }, (_, channel) => 0.01 + channel * 0.5);
    const input = createSyntheticTensor({ shape: [16, 64, 32, 32], seed: 25, channelMeans, channelStds });
    const result = runNormalization({ kind: 'BatchNorm', numFeatures: 64, affine: false }, input, { mode: 'train' });
    for (const channel of [0, 1, 31, 63]) {
      const reference = referenceBatchNormChannel(input, channel, 1e-5);
      assertAllClose(channelOutput(result.output, channel), reference.normalized, outputTolerance, `channel ${channel}`);
      assert.ok(Math.abs(result.statistics.mean[channel] - referenceMoments(reference.values).mean) < 1e-9 * Math.max(1, Math.abs(channelMeans[channel])));
    }
  });
});
