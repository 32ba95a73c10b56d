// Tests of the preview's computations in Node, against the engine: the panel's description of each
// method's normalization sets, how a layer's arguments become the panel's controls, the batch-size
// spread, and the session that computes every view.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createSyntheticTensor, runNormalization, type LayerSpec } from '../../src/engine';
import { batchSizeSensitivity } from '../../webview/model/batchSizeSensitivity';
import { PreviewSession } from '../../webview/model/computePreview';
import { layerSpecFor } from '../../webview/model/layerSpec';
import { setIndexOf, setLayout, setShape, type SetLayout } from '../../webview/model/normalizationSets';
import { controlsForLayer, defaultControls, normMethods, readLayer, type PreviewControls } from '../../webview/model/previewConfig';
import { syntheticSample, tensorSample } from '../../webview/model/sampleData';
import { histogramOf, setMoments } from '../../webview/model/statistics';
import type { PreviewLayer } from '../../webview/messages';

/** Statistics are float64 sums in both the engine and the panel, in slightly different orders. */
const statisticsTolerance = 1e-9;

function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, label: string): void {
  assert.equal(actual.length, expected.length, `${label}: length`);
  for (let index = 0; index < expected.length; index++) {
    const allowed = statisticsTolerance * (1 + Math.abs(expected[index]));
    assert.ok(Math.abs(actual[index] - expected[index]) <= allowed, `${label}[${index}]: ${actual[index]} ≠ ${expected[index]}`);
  }
}

function layer(displayName: string, args: PreviewLayer['arguments']): PreviewLayer {
  return { displayName, qualifiedName: `torch.nn.${displayName}`, description: `${displayName}(…)`, arguments: args, documentName: 'model.py', line: 0 };
}

const smallControls: PreviewControls = { ...defaultControls, batchSize: 2, channels: 6, height: 3, width: 2, groups: 3 };

describe('normalizationSets', () => {
  const input = createSyntheticTensor({ shape: [2, 6, 3, 2], seed: 7, channelMeans: [1, -2, 3, 0, 5, -1], channelStds: [1, 2, 0.5, 1, 3, 1] });
  for (const method of normMethods) {
    it(`describes ${method}'s sets as the engine computes them on a 2×6×3×2 tensor`, () => {
      const layout = setLayout(method, { batchSize: 2, channels: 6, spatialSize: 6 }, 3) as SetLayout;
      const result = runNormalization(layerSpecFor(method, { ...smallControls, method }, { method }), input, { mode: 'train' });
      assert.deepEqual(setShape(layout), result.statistics.setShape);
      const moments = setMoments(input.data, layout);
      assertClose(moments.mean, result.statistics.mean, `${method} mean`);
      assertClose(moments.variance, result.statistics.variance, `${method} variance`);
    });
  }

  it('has no GroupNorm sets when the groups do not divide the channels', () => {
    assert.equal(setLayout('GroupNorm', { batchSize: 2, channels: 100, spatialSize: 4 }, 32), '100 channels cannot be split into 32 equal groups');
  });

  it('finds the set of an element: channel 5 of sample 1 is group 2 of sample 1 with 3 groups', () => {
    const layout = setLayout('GroupNorm', { batchSize: 2, channels: 6, spatialSize: 6 }, 3) as SetLayout;
    assert.equal(setIndexOf(layout, { sample: 1, channel: 5 }), 1 * 3 + 2);
  });
});

describe('readLayer', () => {
  it('reads nn.GroupNorm(4, 8) as GroupNorm with 4 groups of 8 channels', () => {
    const config = readLayer(layer('GroupNorm', { num_groups: 4, num_channels: 8 }));
    assert.deepEqual(config?.controls, { method: 'GroupNorm', groups: 4, channels: 8 });
    assert.deepEqual(config?.unresolved, []);
  });

  it('gives BatchNorm1d a [N, C] input, as after a Linear layer', () => {
    const controls = controlsForLayer(readLayer(layer('BatchNorm1d', { num_features: 64 })) as NonNullable<ReturnType<typeof readLayer>>, defaultControls);
    assert.deepEqual([controls.method, controls.channels, controls.height, controls.width], ['BatchNorm', 64, 1, 1]);
  });

  it('starts from the batch size the analyzer found reaching the layer', () => {
    const config = readLayer({ ...layer('BatchNorm2d', { num_features: 16 }), batchSize: 1 });
    assert.equal(config?.controls.batchSize, 1);
    assert.equal(readLayer(layer('BatchNorm2d', { num_features: 16 }))?.controls.batchSize, undefined);
  });

  it('maps a LayerNorm over [768] to C = 768 and a 1×1 spatial size', () => {
    const config = readLayer(layer('LayerNorm', { normalized_shape: [768], eps: 1e-6 }));
    assert.deepEqual(config?.controls, { method: 'LayerNorm', eps: 1e-6, channels: 768, height: 1, width: 1 });
  });

  it('lists the arguments it could not resolve and keeps the previous values for them', () => {
    const config = readLayer(layer('GroupNorm', { num_groups: 8 })) as NonNullable<ReturnType<typeof readLayer>>;
    assert.deepEqual(config.unresolved, ['num_channels']);
    assert.equal(controlsForLayer(config, { ...defaultControls, channels: 64 }).channels, 64);
  });

  it('keeps the group count dividing the channels when the layer is not a GroupNorm', () => {
    const controls = controlsForLayer(readLayer(layer('BatchNorm2d', { num_features: 24 })) as NonNullable<ReturnType<typeof readLayer>>, { ...defaultControls, groups: 32 });
    assert.equal(24 % controls.groups, 0);
  });
});

describe('batchSizeSensitivity', () => {
  it('scatters batch means less as the batch grows, and flags batch 1 as one sample', () => {
    const sample = syntheticSample({ channels: 4, height: 4, width: 4, seed: 3, poolSize: 128 });
    const { spreads } = batchSizeSensitivity(sample, 1);
    assert.deepEqual(
      spreads.map((spread) => spread.batchSize),
      [1, 2, 4, 8, 16, 32, 64],
    );
    const widths = spreads.map((spread) => spread.meanShift.p95 - spread.meanShift.p5);
    for (let index = 1; index < widths.length; index++) assert.ok(widths[index] < widths[index - 1], `spread at ${spreads[index].batchSize} is not below the one before: ${widths}`);
    assert.equal(spreads[0].flag, 'oneSample');
    assert.equal(spreads[1].flag, undefined);
  });

  it('flags batch 1 of 1×1 maps as one value per channel, whose variance is always 0', () => {
    const sample = syntheticSample({ channels: 8, height: 1, width: 1, seed: 3, poolSize: 64 });
    const [first] = batchSizeSensitivity(sample, 1).spreads;
    assert.equal(first.flag, 'oneValue');
    assert.equal(first.varianceRatio.max, 0);
  });
});

describe('PreviewSession', () => {
  const request = (controls: Partial<PreviewControls>) => ({ controls: { ...smallControls, ...controls }, selection: { sample: 0, channel: 0 } });

  it('reports PyTorch’s message for BatchNorm2d on a 1×64×1×1 tensor, with the per-set statistics before', () => {
    const session = new PreviewSession(syntheticSample({ channels: 64, height: 1, width: 1, seed: 1, poolSize: 64 }));
    const result = session.compute(request({ method: 'BatchNorm', batchSize: 1, channels: 64, height: 1, width: 1 }));
    assert.equal(result.error, 'BatchNorm2d(64): Expected more than 1 value per channel when training, got input size [1, 64, 1, 1]');
    assert.equal(result.sets?.count, 1);
    assert.ok(result.sets?.before.variance.every((variance) => variance === 0));
    assert.equal(result.sets?.after, undefined);
  });

  it('normalizes with the full data’s statistics in eval mode, so batch 1 works', () => {
    const session = new PreviewSession(syntheticSample({ channels: 8, height: 1, width: 1, seed: 1, poolSize: 64 }));
    const result = session.compute(request({ method: 'BatchNorm', mode: 'eval', batchSize: 1, channels: 8, height: 1, width: 1 }));
    assert.equal(result.error, undefined);
    assert.equal(result.normalizedWith, 'runningStatistics');
  });

  it('compares every method and names the ones that reject the batch', () => {
    const session = new PreviewSession(syntheticSample({ channels: 6, height: 3, width: 2, seed: 1, poolSize: 16 }));
    const groupsOfFour = request({ method: 'GroupNorm', groups: 4 });
    const result = session.compute(groupsOfFour);
    const { methods } = session.compareMethods(groupsOfFour);
    assert.deepEqual(
      methods.map((summary) => summary.method),
      [...normMethods],
    );
    assert.match(result.error ?? '', /num_channels must be divisible by num_groups/);
    assert.equal(methods.find((summary) => summary.method === 'GroupNorm')?.error, result.error);
    assert.equal(methods.find((summary) => summary.method === 'BatchNorm')?.error, undefined);
  });

  it('gives the same comparison whether or not the current method ran first', () => {
    const sample = syntheticSample({ channels: 6, height: 3, width: 2, seed: 2, poolSize: 16 });
    const layerNorm = request({ method: 'LayerNorm' });
    const warm = new PreviewSession(sample);
    warm.compute(layerNorm);
    assert.deepEqual(warm.compareMethods(layerNorm).methods, new PreviewSession(sample).compareMethods(layerNorm).methods);
  });

  it('gives the output per-channel statistics of the engine’s output', () => {
    const sample = syntheticSample({ channels: 6, height: 3, width: 2, seed: 5, poolSize: 16 });
    const result = new PreviewSession(sample).compute(request({ method: 'LayerNorm' }));
    const spec: LayerSpec = { kind: 'LayerNorm', normalizedShape: [6, 3, 2], eps: smallControls.eps };
    const batch = { shape: [2, 6, 3, 2], data: sample.pool.data.subarray(0, 72) };
    const output = runNormalization(spec, batch, { mode: 'train' }).output.data;
    const layout = setLayout('LayerNorm', { batchSize: 2, channels: 6, spatialSize: 6 }, 1) as SetLayout;
    assertClose(result.sets?.after?.mean ?? [], setMoments(output, layout).mean, 'mean after');
  });

  it('reads a .npy-shaped [N, C] array as N×C×1×1 and refuses a 1-D one', () => {
    const sample = tensorSample('features.npy', [4, 3], new Float32Array(12).map((_, index) => index));
    assert.notEqual(typeof sample, 'string');
    assert.deepEqual(typeof sample === 'string' ? [] : sample.pool.shape, [4, 3, 1, 1]);
    assert.match(String(tensorSample('vector.npy', [12], new Float32Array(12))), /needs 2 to 5 axes/);
  });
});

describe('histogramOf', () => {
  it('counts every value of a small tensor once, the largest in the last bin', () => {
    const histogram = histogramOf(Float32Array.from([0, 1, 2, 3, 4]), { min: 0, max: 4 }, 4);
    assert.deepEqual([...histogram.counts], [1, 1, 1, 2]);
    assert.equal(histogram.total, 5);
  });

  it('bins an even sample of 65,536 values from a larger tensor', () => {
    const histogram = histogramOf(new Float32Array(2 ** 20), { min: -1, max: 1 }, 8);
    assert.equal(histogram.total, 2 ** 16);
  });
});
