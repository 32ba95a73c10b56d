/**
 * The sample data behind the preview: a pool of samples (seeded synthetic ones, or a .npy file's)
 * of which the first N are the batch the layer sees. The pool is larger than the batch so that the
 * batch-size view can draw many mini-batches from it, and it also supplies the "full data"
 * statistics that stand in for trained running statistics in eval mode.
 */
import { createSeededRandom, createSyntheticTensor, type Tensor } from '../../src/engine';
import { perSampleChannelLayout } from './normalizationSets';
import { setMoments, type Moments } from './statistics';

/** Mini-batches of up to this many samples are drawn in the batch-size view (the GN paper's largest per-GPU batch is 32; 64 shows the trend). */
const largestDrawnBatch = 64;

/**
 * The synthetic pool holds up to this many samples: drawing a batch of 64 from only 64 samples
 * would always return the whole pool and show no spread at all, so the pool is twice as large
 * (batches are drawn up to half the pool, see largestBatchFor).
 */
const preferredPoolSize = 2 * largestDrawnBatch;

export interface SampleData {
  /** `synthetic` or the .npy file's name. */
  name: string;
  /** [P, C, H, W] with P ≥ the batch size. */
  pool: Tensor;
  /** Mean and biased variance of each (sample, channel) over H·W, in InstanceNorm's set order. */
  sampleChannelMoments: Moments;
  /** Mean and biased variance of each channel over the whole pool: the "full data" values. */
  channelMoments: Pick<Moments, 'mean' | 'variance'>;
}

export interface SyntheticSpec {
  channels: number;
  height: number;
  width: number;
  seed: number;
  poolSize: number;
}

/** The pool size for a batch of `batchSize`: enough samples to draw mini-batches of 64 from, within the element limit. */
export function poolSizeFor(batchSize: number, valuesPerSample: number, maxElements: number): number {
  return Math.max(batchSize, Math.min(preferredPoolSize, Math.floor(maxElements / valuesPerSample)));
}

/** The largest batch drawn from a pool: at most half of it, so that draws still differ from one another. */
export function largestBatchFor(poolSize: number): number {
  return Math.max(1, Math.min(largestDrawnBatch, Math.floor(poolSize / 2)));
}

/**
 * Normal values whose channels have visibly different offsets (−3…3) and scales (0.5…2.5), so that
 * normalization has something to remove; both come from the seed, so one seed is one data set.
 */
export function syntheticSample(spec: SyntheticSpec): SampleData {
  const random = createSeededRandom(spec.seed ^ 0x5bd1e995);
  const channelMeans = Array.from({ length: spec.channels }, () => 6 * random() - 3);
  const channelStds = Array.from({ length: spec.channels }, () => 0.5 * 5 ** random());
  const pool = createSyntheticTensor({ shape: [spec.poolSize, spec.channels, spec.height, spec.width], seed: spec.seed, channelMeans, channelStds });
  return describePool('synthetic', pool);
}

/**
 * A .npy array as the panel's [P, C, H, W]: [N, C] and [N, C, L] gain unit spatial axes, and
 * [N, C, D, H, W] folds D into H (every method reduces over all spatial axes alike).
 */
export function panelShapeOf(shape: readonly number[]): number[] | string {
  switch (shape.length) {
    case 2:
      return [shape[0], shape[1], 1, 1];
    case 3:
      return [shape[0], shape[1], 1, shape[2]];
    case 4:
      return [...shape];
    case 5:
      return [shape[0], shape[1], shape[2] * shape[3], shape[4]];
    default:
      return `an array of shape [${shape.join(', ')}] is not a batch: the preview needs 2 to 5 axes, [N, C, …spatial]`;
  }
}

export function tensorSample(name: string, shape: readonly number[], data: Float32Array): SampleData | string {
  const panelShape = panelShapeOf(shape);
  if (typeof panelShape === 'string') return panelShape;
  if (panelShape.some((size) => size === 0)) return `an array of shape [${shape.join(', ')}] has no values`;
  return describePool(name, { shape: panelShape, data });
}

function describePool(name: string, pool: Tensor): SampleData {
  const [poolSize, channels, height, width] = pool.shape;
  const shape = { batchSize: poolSize, channels, spatialSize: height * width };
  const sampleChannelMoments = setMoments(pool.data, perSampleChannelLayout(shape));
  return { name, pool, sampleChannelMoments, channelMoments: combineSamples(sampleChannelMoments, poolSize, channels) };
}

/**
 * Channel moments of the whole pool from the per-sample ones: every sample holds the same number
 * of values, so the mean is the average of the sample means and the variance is the average
 * variance plus the variance of the sample means (deviations taken from the channel mean, not raw
 * squares, so large offsets do not cancel).
 */
function combineSamples(perSample: Moments, poolSize: number, channels: number): Pick<Moments, 'mean' | 'variance'> {
  const mean = new Float64Array(channels);
  const variance = new Float64Array(channels);
  for (let channel = 0; channel < channels; channel++) {
    let sum = 0;
    for (let sample = 0; sample < poolSize; sample++) sum += perSample.mean[sample * channels + channel];
    const channelMean = sum / poolSize;
    let spread = 0;
    for (let sample = 0; sample < poolSize; sample++) {
      const deviation = perSample.mean[sample * channels + channel] - channelMean;
      spread += perSample.variance[sample * channels + channel] + deviation * deviation;
    }
    mean[channel] = channelMean;
    variance[channel] = spread / poolSize;
  }
  return { mean, variance };
}

/** The batch the layer sees: the pool's first `batchSize` samples, without copying. */
export function batchOf(sample: SampleData, batchSize: number): Tensor {
  const [, channels, height, width] = sample.pool.shape;
  return { shape: [batchSize, channels, height, width], data: sample.pool.data.subarray(0, batchSize * channels * height * width) };
}
