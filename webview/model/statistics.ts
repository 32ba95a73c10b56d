/**
 * Statistics the views show beside the engine's own: the mean and biased variance of every set of
 * a tensor under a SetLayout (before normalizing, and after, which the engine does not report), and
 * value histograms. Sums run in float64 over deviations from the set's first value, as the engine's
 * kernels do, so a channel with mean 1e4 and spread 1e-2 keeps its variance.
 */
import { firstRunStart, forEachRun, setCount, type SetLayout } from './normalizationSets';

export interface Moments {
  mean: Float64Array;
  /** Biased: the sum of squared deviations divided by the number of values. */
  variance: Float64Array;
  /** The smallest and largest value over all sets, gathered in the same pass for the histograms' axes. */
  range: ValueRange;
}

export function setMoments(data: Float32Array, layout: SetLayout): Moments {
  const count = setCount(layout);
  const mean = new Float64Array(count);
  const variance = new Float64Array(count);
  let min = Infinity;
  let max = -Infinity;
  const runLength = layout.channelsPerGroup * layout.innerCount;
  const values = layout.blockCount * runLength;
  for (let set = 0; set < count; set++) {
    const firstRun = firstRunStart(layout, set);
    const runStride = layout.groupCount * runLength;
    const shift = data[firstRun];
    // Two accumulator pairs let the CPU overlap additions; the loops stay free of closures so the sums live in registers.
    let sum0 = 0, sum1 = 0, squares0 = 0, squares1 = 0;
    for (let block = 0, start = firstRun; block < layout.blockCount; block++, start += runStride) {
      const end = start + runLength;
      let index = start;
      for (; index + 1 < end; index += 2) {
        const value0 = data[index];
        const value1 = data[index + 1];
        // Comparisons rather than Math.min/max: a NaN (0/0 with eps = 0) is skipped instead of spreading.
        if (value0 < min) min = value0;
        if (value0 > max) max = value0;
        if (value1 < min) min = value1;
        if (value1 > max) max = value1;
        const deviation0 = value0 - shift;
        const deviation1 = value1 - shift;
        sum0 += deviation0;
        sum1 += deviation1;
        squares0 += deviation0 * deviation0;
        squares1 += deviation1 * deviation1;
      }
      if (index < end) {
        if (data[index] < min) min = data[index];
        if (data[index] > max) max = data[index];
        const deviation = data[index] - shift;
        sum0 += deviation;
        squares0 += deviation * deviation;
      }
    }
    const meanDeviation = (sum0 + sum1) / values;
    mean[set] = shift + meanDeviation;
    // max(0, …) absorbs the rounding that can leave a constant set a hair below zero.
    variance[set] = Math.max(0, (squares0 + squares1) / values - meanDeviation * meanDeviation);
  }
  return { mean, variance, range: widenedRange(min, max) };
}

export interface ValueRange {
  min: number;
  max: number;
}

export interface Histogram extends ValueRange {
  /** Equal-width bins from min to max; the last bin includes max. */
  counts: Uint32Array;
  total: number;
}

export function unionRange(ranges: readonly ValueRange[]): ValueRange {
  return widenedRange(Math.min(...ranges.map((range) => range.min)), Math.max(...ranges.map((range) => range.max)));
}

function widenedRange(min: number, max: number): ValueRange {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return { min: -0.5, max: 0.5 };
  return min === max ? { min: min - 0.5, max: max + 0.5 } : { min, max };
}

function emptyHistogram(range: ValueRange, binCount: number): Histogram {
  return { ...range, counts: new Uint32Array(binCount), total: 0 };
}

/**
 * Adds every `stride`-th value of `data[start … start + length)` to `histogram`; values outside its
 * range (and NaN) are not counted. Four interleaved sets of bins, summed at the end, keep consecutive values that fall in
 * the same bin from waiting on each other's increment (about 1.7× faster on normal data).
 */
function addToHistogram(histogram: Histogram, data: Float32Array, start: number, length: number, stride = 1): void {
  const { min, max, counts } = histogram;
  const binCount = counts.length;
  const lastBin = binCount - 1;
  const scale = binCount / (max - min);
  // Slot binCount of each lane collects the values outside the range.
  const lane0 = new Uint32Array(binCount + 1);
  const lane1 = new Uint32Array(binCount + 1);
  const lane2 = new Uint32Array(binCount + 1);
  const lane3 = new Uint32Array(binCount + 1);
  const end = start + length;
  let index = start;
  for (; index + 3 * stride < end; index += 4 * stride) {
    const value0 = data[index];
    const value1 = data[index + stride];
    const value2 = data[index + 2 * stride];
    const value3 = data[index + 3 * stride];
    lane0[value0 >= min && value0 <= max ? Math.min(lastBin, ((value0 - min) * scale) | 0) : binCount]++;
    lane1[value1 >= min && value1 <= max ? Math.min(lastBin, ((value1 - min) * scale) | 0) : binCount]++;
    lane2[value2 >= min && value2 <= max ? Math.min(lastBin, ((value2 - min) * scale) | 0) : binCount]++;
    lane3[value3 >= min && value3 <= max ? Math.min(lastBin, ((value3 - min) * scale) | 0) : binCount]++;
  }
  for (; index < end; index += stride) {
    const value = data[index];
    lane0[value >= min && value <= max ? Math.min(lastBin, ((value - min) * scale) | 0) : binCount]++;
  }
  for (let bin = 0; bin < binCount; bin++) {
    const added = lane0[bin] + lane1[bin] + lane2[bin] + lane3[bin];
    counts[bin] += added;
    histogram.total += added;
  }
}

/**
 * 48 bins look the same drawn from 65,536 values as from millions (over a thousand values per bin
 * on average), so a larger tensor is binned at an even stride; the views show shares, not counts,
 * and a recompute of a million-value tensor saves most of a pass per histogram.
 */
const maxBinnedValues = 2 ** 16;

export function histogramOf(data: Float32Array, range: ValueRange, binCount: number): Histogram {
  const histogram = emptyHistogram(range, binCount);
  addToHistogram(histogram, data, 0, data.length, Math.ceil(data.length / maxBinnedValues));
  return histogram;
}

/** The histogram of set `setIndex` only, over a range shared with the whole tensor's so that the two read alike. */
export function setHistogram(data: Float32Array, layout: SetLayout, setIndex: number, range: ValueRange, binCount: number): Histogram {
  const histogram = emptyHistogram(range, binCount);
  forEachRun(layout, setIndex, (start, length) => addToHistogram(histogram, data, start, length));
  return histogram;
}

/** The value at quantile `q` (0…1) of already sorted values, interpolating linearly like numpy's default. */
export function sortedQuantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return NaN;
  const position = q * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.min(sorted.length - 1, below + 1);
  return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
}
