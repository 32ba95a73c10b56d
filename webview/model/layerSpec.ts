/**
 * Turns the panel's controls into one call of the engine: the LayerSpec, the input as the layer's
 * own rank expects it, and in eval mode the running statistics. A fresh layer's running statistics
 * (0 and 1) would make eval mode look like doing nothing, so eval uses the full sample data's
 * statistics instead, which is what running averages approach after long training.
 */
import type { LayerSpec, NormalizationOptions, Tensor } from '../../src/engine';
import type { LayerOptions, NormMethod, PreviewControls } from './previewConfig';
import type { SampleData } from './sampleData';

export function layerSpecFor(method: NormMethod, controls: PreviewControls, options: LayerOptions): LayerSpec {
  const { channels, height, width, eps } = controls;
  switch (method) {
    case 'BatchNorm':
    case 'InstanceNorm':
      return {
        kind: method,
        numFeatures: channels,
        eps,
        ...(options.momentum !== undefined && { momentum: options.momentum }),
        ...(options.affine !== undefined && { affine: options.affine }),
        ...(options.trackRunningStats !== undefined && { trackRunningStats: options.trackRunningStats }),
      };
    case 'GroupNorm':
      return { kind: 'GroupNorm', numGroups: controls.groups, numChannels: channels, eps, ...(options.affine !== undefined && { affine: options.affine }) };
    case 'LayerNorm':
    case 'RMSNorm':
      return { kind: method, normalizedShape: [channels, height, width], eps, ...(options.affine !== undefined && { elementwiseAffine: options.affine }) };
  }
}

/**
 * The batch in the shape the layer's class takes, so the engine's messages quote the size PyTorch
 * would: BatchNorm1d sees [N, C] (or [N, C, L]) rather than [N, C, 1, 1]. The values are shared.
 */
export function engineInput(method: NormMethod, batch: Tensor, options: LayerOptions): Tensor {
  const [batchSize, channels, height, width] = batch.shape;
  if (options.spatialRank !== 1 || height !== 1 || (method !== 'BatchNorm' && method !== 'InstanceNorm')) return batch;
  const shape = method === 'BatchNorm' && width === 1 ? [batchSize, channels] : [batchSize, channels, width];
  return { shape, data: batch.data };
}

function tracksRunningStatistics(method: NormMethod, options: LayerOptions): boolean {
  if (method === 'BatchNorm') return options.trackRunningStats ?? true;
  if (method === 'InstanceNorm') return options.trackRunningStats ?? false;
  return false;
}

/** Bessel's correction n/(n − 1), or 0 for a single value, whose unbiased variance is undefined. */
function unbiased(variance: number, count: number): number {
  return count > 1 ? (variance * count) / (count - 1) : 0;
}

export function normalizationOptionsFor(method: NormMethod, controls: PreviewControls, options: LayerOptions, sample: SampleData): NormalizationOptions {
  if (controls.mode === 'train' || !tracksRunningStatistics(method, options)) return { mode: controls.mode };
  const [poolSize, channels, height, width] = sample.pool.shape;
  const spatialSize = height * width;
  const runningMean = Float32Array.from(sample.channelMoments.mean);
  if (method === 'BatchNorm') {
    const runningVar = Float32Array.from(sample.channelMoments.variance, (variance) => unbiased(variance, poolSize * spatialSize));
    return { mode: 'eval', runningMean, runningVar };
  }
  // InstanceNorm's running variance averages each instance's unbiased variance over the batch.
  const runningVar = new Float32Array(channels);
  for (let channel = 0; channel < channels; channel++) {
    let sum = 0;
    for (let sampleIndex = 0; sampleIndex < poolSize; sampleIndex++) sum += unbiased(sample.sampleChannelMoments.variance[sampleIndex * channels + channel], spatialSize);
    runningVar[channel] = sum / poolSize;
  }
  return { mode: 'eval', runningMean, runningVar };
}
