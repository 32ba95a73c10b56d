import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createSeededRandom, createSyntheticTensor } from '../../src/engine';
import { assertThrowsWithMessage, referenceMoments } from './testSupport';

describe('synthetic tensors', () => {
  it('repeat exactly for the same seed and differ for another seed', () => {
    const options = { shape: [2, 3, 4, 4], seed: 42 };
    assert.deepEqual([...createSyntheticTensor(options).data], [...createSyntheticTensor(options).data]);
    assert.notDeepEqual([...createSyntheticTensor(options).data], [...createSyntheticTensor({ ...options, seed: 43 }).data]);
  });

  it('draw uniform numbers in [0, 1) with mean 1/2 and variance 1/12', () => {
    const random = createSeededRandom(1);
    const draws = Array.from({ length: 20000 }, () => random());
    assert.ok(draws.every((value) => value >= 0 && value < 1));
    const { mean, variance } = referenceMoments(draws);
    // Five standard errors: sqrt(1/12 / 20000) ≈ 0.002.
    assert.ok(Math.abs(mean - 0.5) < 0.01, `mean ${mean}`);
    assert.ok(Math.abs(variance - 1 / 12) < 0.005, `variance ${variance}`);
  });

  it('give each channel of [8, 3, 32, 32] its own mean and standard deviation', () => {
    const channelMeans = [0, 10, -5];
    const channelStds = [1, 0.1, 3];
    const tensor = createSyntheticTensor({ shape: [8, 3, 32, 32], seed: 5, channelMeans, channelStds });
    for (let channel = 0; channel < 3; channel++) {
      const values: number[] = [];
      for (let sample = 0; sample < 8; sample++) values.push(...tensor.data.subarray((sample * 3 + channel) * 1024, (sample * 3 + channel + 1) * 1024));
      const { mean, variance } = referenceMoments(values);
      // 8192 normal draws: the mean is within 5·std/sqrt(8192) ≈ 0.055·std, the std within a few percent.
      assert.ok(Math.abs(mean - channelMeans[channel]) < 0.06 * channelStds[channel], `channel ${channel} mean ${mean}`);
      assert.ok(Math.abs(Math.sqrt(variance) / channelStds[channel] - 1) < 0.05, `channel ${channel} std ${Math.sqrt(variance)}`);
    }
  });

  it('refuses per-channel lists of the wrong length', () => {
    assertThrowsWithMessage(() => createSyntheticTensor({ shape: [2, 3], seed: 1, channelMeans: [1, 2] }), 'NormalizationError', 'channelMeans should hold 3 values (axis 1 of [2, 3]), got 2');
  });
});
