/**
 * How noisy BatchNorm's statistics are at each batch size: for B = 1, 2, 4, … 64 (at most half the
 * pool) it draws many mini-batches of B samples from the pool (without replacement within a batch)
 * and measures, per channel, how far the batch mean and variance land from the full data's. Works
 * from the pool's per-(sample, channel) moments, so a draw costs B additions per channel instead
 * of B·H·W.
 */
import { createSeededRandom } from '../../src/engine';
import { largestBatchFor, type SampleData } from './sampleData';
import { sortedQuantile } from './statistics';

/**
 * Values (draws × channels) behind each batch size's quantiles: enough to keep the 5th and 95th
 * percentiles steady, and a fixed amount of work however many channels the layer has.
 */
const valuesPerBatchSize = 6_400;
/** At least this many mini-batches per size, so that a layer with many channels still sees many batches. */
const minimumDraws = 50;
/** At most this many channels (evenly spaced) enter the spread, which bounds the work for wide layers. */
const maxChannelsSampled = 64;

/** Quantiles of one measure over every draw and channel. */
export interface Spread {
  min: number;
  p5: number;
  p25: number;
  median: number;
  p75: number;
  p95: number;
  max: number;
}

export interface BatchSizeSpread {
  batchSize: number;
  /**
   * `oneValue`: B·H·W = 1, so each channel's variance is 0 and PyTorch refuses to train;
   * `oneSample`: the statistics come from a single sample.
   */
  flag?: 'oneValue' | 'oneSample';
  /** (batch mean − full mean) / full standard deviation. */
  meanShift: Spread;
  /** batch variance / full variance. */
  varianceRatio: Spread;
}

export interface SensitivityResult {
  poolSize: number;
  spatialSize: number;
  draws: number;
  /** Channels that entered the spread; constant channels are left out, having no spread to compare. */
  channelsSampled: number;
  spreads: BatchSizeSpread[];
}

function spreadOf(values: Float64Array): Spread {
  values.sort();
  return {
    min: values[0],
    p5: sortedQuantile(values, 0.05),
    p25: sortedQuantile(values, 0.25),
    median: sortedQuantile(values, 0.5),
    p75: sortedQuantile(values, 0.75),
    p95: sortedQuantile(values, 0.95),
    max: values[values.length - 1],
  };
}

/** Evenly spaced non-constant channels, at most maxChannelsSampled of them. */
function sampledChannels(sample: SampleData): number[] {
  const channels = sample.pool.shape[1];
  const varying = Array.from({ length: channels }, (_, channel) => channel).filter((channel) => sample.channelMoments.variance[channel] > 0);
  if (varying.length <= maxChannelsSampled) return varying;
  return Array.from({ length: maxChannelsSampled }, (_, index) => varying[Math.floor((index * varying.length) / maxChannelsSampled)]);
}

export function batchSizeSensitivity(sample: SampleData, seed: number): SensitivityResult {
  const [poolSize, channels, height, width] = sample.pool.shape;
  const spatialSize = height * width;
  const { mean: sampleMean, variance: sampleVariance } = sample.sampleChannelMoments;
  const { mean: fullMean, variance: fullVariance } = sample.channelMoments;
  const used = sampledChannels(sample);
  const draws = Math.max(minimumDraws, Math.ceil(valuesPerBatchSize / Math.max(1, used.length)));
  const random = createSeededRandom(seed ^ 0x27d4eb2f);
  const order = Array.from({ length: poolSize }, (_, index) => index);
  const spreads: BatchSizeSpread[] = [];
  for (let batchSize = 1; batchSize <= largestBatchFor(poolSize) && used.length > 0; batchSize *= 2) {
    const meanShifts = new Float64Array(draws * used.length);
    const varianceRatios = new Float64Array(draws * used.length);
    for (let draw = 0; draw < draws; draw++) {
      // A partial Fisher–Yates shuffle: the first batchSize entries of `order` become a uniform draw without replacement.
      for (let index = 0; index < batchSize; index++) {
        const swap = index + Math.floor(random() * (poolSize - index));
        [order[index], order[swap]] = [order[swap], order[index]];
      }
      used.forEach((channel, slot) => {
        // Deviations from the full mean keep large channel offsets from cancelling.
        let deviationSum = 0;
        let spreadSum = 0;
        for (let index = 0; index < batchSize; index++) {
          const entry = order[index] * channels + channel;
          const deviation = sampleMean[entry] - fullMean[channel];
          deviationSum += deviation;
          spreadSum += sampleVariance[entry] + deviation * deviation;
        }
        const meanDeviation = deviationSum / batchSize;
        const batchVariance = Math.max(0, spreadSum / batchSize - meanDeviation * meanDeviation);
        meanShifts[draw * used.length + slot] = meanDeviation / Math.sqrt(fullVariance[channel]);
        varianceRatios[draw * used.length + slot] = batchVariance / fullVariance[channel];
      });
    }
    const flag = batchSize !== 1 ? undefined : spatialSize === 1 ? 'oneValue' : 'oneSample';
    spreads.push({ batchSize, ...(flag && { flag }), meanShift: spreadOf(meanShifts), varianceRatio: spreadOf(varianceRatios) });
  }
  return { poolSize, spatialSize, draws, channelsSampled: used.length, spreads };
}
