import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createSyntheticTensor, NormalizationError, runNormalization, type LayerSpec } from '../../src/engine';
import { assertThrowsWithMessage } from './testSupport';

describe('runNormalization', () => {
  const input = createSyntheticTensor({ shape: [2, 3, 4], seed: 31 });

  it('applies PyTorch defaults: BatchNorm is affine and tracks running statistics', () => {
    const result = runNormalization({ kind: 'BatchNorm', numFeatures: 3 }, input, { mode: 'train' });
    assert.equal(result.numBatchesTracked, 1);
    // Fresh buffers are zeros and ones, so the running mean is 0.1 · batch mean.
    assert.ok(result.runningMean!.every((value, channel) => Math.abs(value - Math.fround(0.1 * result.statistics.mean[channel])) < 1e-7));
  });

  it('applies PyTorch defaults: InstanceNorm has no weight and tracks nothing', () => {
    assertThrowsWithMessage(
      () => runNormalization({ kind: 'InstanceNorm', numFeatures: 3 }, input, { mode: 'train', weight: input }),
      'NormalizationError',
      'InstanceNorm1d(3) has no weight in this configuration',
    );
    assert.equal(runNormalization({ kind: 'InstanceNorm', numFeatures: 3 }, input, { mode: 'train' }).runningMean, undefined);
  });

  it('throws NormalizationError, an Error the hosts can show, for an input whose data does not match its shape', () => {
    assert.throws(
      () => runNormalization({ kind: 'LayerNorm', normalizedShape: [4] }, { shape: [2, 4], data: new Float32Array(7) }, { mode: 'train' }),
      (error: unknown) => error instanceof NormalizationError && error instanceof Error && error.message === 'input of shape [2, 4] needs 8 values but has 7',
    );
  });

  it('refuses a negative or fractional numBatchesTracked', () => {
    assertThrowsWithMessage(
      () => runNormalization({ kind: 'BatchNorm', numFeatures: 3 }, input, { mode: 'train', numBatchesTracked: -1 }),
      'NormalizationError',
      'numBatchesTracked must be a non-negative integer, got -1',
    );
  });

  it('writes into a given output buffer, even the input itself, with the same values as a new one', () => {
    const specs: Array<[LayerSpec, number[]]> = [
      [{ kind: 'BatchNorm', numFeatures: 3 }, [4, 3, 5, 5]],
      [{ kind: 'GroupNorm', numGroups: 2, numChannels: 4 }, [3, 4, 6]],
      [{ kind: 'InstanceNorm', numFeatures: 3 }, [2, 3, 7]],
      [{ kind: 'LayerNorm', normalizedShape: [6] }, [19, 6]],
      [{ kind: 'KerasLayerNormalization', axis: 1 }, [3, 4, 5]],
    ];
    for (const [spec, shape] of specs) {
      const input = createSyntheticTensor({ shape, seed: 32 });
      const fresh = runNormalization(spec, input, { mode: 'train' });
      const buffer = new Float32Array(input.data.length);
      const intoBuffer = runNormalization(spec, input, { mode: 'train', output: buffer });
      assert.equal(intoBuffer.output.data, buffer, `${spec.kind} should return the given buffer`);
      assert.deepEqual([...buffer], [...fresh.output.data], `${spec.kind} into a buffer`);
      const inPlace = runNormalization(spec, input, { mode: 'train', output: input.data });
      assert.deepEqual([...inPlace.output.data], [...fresh.output.data], `${spec.kind} in place`);
    }
    assertThrowsWithMessage(
      () => runNormalization({ kind: 'LayerNorm', normalizedShape: [4] }, input, { mode: 'train', output: new Float32Array(3) }),
      'NormalizationError',
      'the output buffer should have 24 elements like the input, got 3',
    );
  });
});
