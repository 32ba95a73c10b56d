/**
 * The hot loops every normalization shares: shifted float64 sums for the statistics of each set,
 * then the normalizing write while the set is still in cache. Channel-shaped norms (batch,
 * instance, group, Keras batch/group) use `normalizeChannelSets`; norms over trailing axes with an
 * elementwise affine (layer norm, RMS norm) use `normalizeRows`. Inputs are float32; all
 * arithmetic is float64, rounded once when the output is stored.
 */

/** Per-set statistics filled in by the kernels, in set order. */
export interface SetMoments {
  mean: Float64Array;
  variance: Float64Array;
}

/**
 * Stores the mean and biased variance of the `runCount · runLength` values that start at
 * `firstOffset` as `runCount` contiguous runs, `runStride` apart, into slot `setIndex`.
 */
function accumulateSetMoments(
  data: Float32Array,
  firstOffset: number,
  runCount: number,
  runLength: number,
  runStride: number,
  moments: SetMoments,
  setIndex: number,
): void {
  const count = runCount * runLength;
  if (count === 0) {
    moments.mean[setIndex] = NaN;
    moments.variance[setIndex] = NaN;
    return;
  }
  // Sums of deviations from a value of the set instead of raw sums: with mean 1e4 and spread 1e-2
  // the raw sum of squares would cancel catastrophically, while these deviations are exact in
  // float64 (both operands are float32) and stay within a few spreads of zero. Four independent
  // accumulator pairs let the CPU overlap the additions.
  const shift = data[firstOffset];
  let sum0 = 0, sum1 = 0, sum2 = 0, sum3 = 0;
  let squares0 = 0, squares1 = 0, squares2 = 0, squares3 = 0;
  for (let run = 0, runStart = firstOffset; run < runCount; run++, runStart += runStride) {
    const runEnd = runStart + runLength;
    let index = runStart;
    for (; index + 3 < runEnd; index += 4) {
      const deviation0 = data[index] - shift;
      const deviation1 = data[index + 1] - shift;
      const deviation2 = data[index + 2] - shift;
      const deviation3 = data[index + 3] - shift;
      sum0 += deviation0;
      sum1 += deviation1;
      sum2 += deviation2;
      sum3 += deviation3;
      squares0 += deviation0 * deviation0;
      squares1 += deviation1 * deviation1;
      squares2 += deviation2 * deviation2;
      squares3 += deviation3 * deviation3;
    }
    for (; index < runEnd; index++) {
      const deviation = data[index] - shift;
      sum0 += deviation;
      squares0 += deviation * deviation;
    }
  }
  const shiftedMean = (sum0 + sum1 + (sum2 + sum3)) / count;
  const meanOfSquares = (squares0 + squares1 + (squares2 + squares3)) / count;
  moments.mean[setIndex] = shift + shiftedMean;
  // Rounding can leave a tiny negative number for a constant set; the variance is zero there.
  moments.variance[setIndex] = Math.max(0, meanOfSquares - shiftedMean * shiftedMean);
}

/**
 * A channel-shaped input viewed as [outer, reducedBlock, group, channelInGroup, inner]. Set
 * (outer, group) holds every value with that outer and group index; channel
 * `group · channelsPerGroup + channelInGroup` selects the affine parameters.
 * BatchNorm [N, C, S] is [1, N, C, 1, S]; InstanceNorm is [N, 1, C, 1, S]; GroupNorm is
 * [N, 1, G, C/G, S]; channels-last Keras layers have reducedBlock = the axes before the channel.
 */
export interface ChannelSetLayout {
  outerCount: number;
  reducedBlockCount: number;
  groupCount: number;
  channelsPerGroup: number;
  innerCount: number;
}

export interface ChannelNormalizationParameters {
  eps: number;
  /** One scale per channel, or null for no scaling. */
  weight: Float32Array | null;
  /** One shift per channel, or null for no shift. */
  bias: Float32Array | null;
  /** Statistics to normalize with instead of each set's own (running averages in eval mode), one per group; or null. */
  fixedMean: Float32Array | null;
  fixedVariance: Float32Array | null;
}

/** Runs shorter than this, revisited once per reduced block, are accumulated all channels at a time instead of set by set. */
const shortRunLength = 64;

/**
 * Writes `output = (input − mean) · weight / sqrt(variance + eps) + bias` for every set of
 * `layout` and returns each set's own mean and biased variance.
 */
export function normalizeChannelSets(
  input: Float32Array,
  output: Float32Array,
  layout: ChannelSetLayout,
  parameters: ChannelNormalizationParameters,
): SetMoments {
  const setCount = layout.outerCount * layout.groupCount;
  const moments: SetMoments = { mean: new Float64Array(setCount), variance: new Float64Array(setCount) };
  // Channels-last layouts (Keras' default, BatchNorm1d on [N, C]) would make a set-by-set walk
  // jump through the whole tensor once per channel; they take the memory-order walk instead.
  if (layout.reducedBlockCount > 1 && layout.channelsPerGroup * layout.innerCount < shortRunLength) {
    normalizeInterleavedChannelSets(input, output, layout, parameters, moments);
  } else {
    normalizeChannelSetsOneByOne(input, output, layout, parameters, moments);
  }
  return moments;
}

/** Normalizes one set at a time: its statistics, then its values while they are still in cache. */
function normalizeChannelSetsOneByOne(
  input: Float32Array,
  output: Float32Array,
  layout: ChannelSetLayout,
  parameters: ChannelNormalizationParameters,
  moments: SetMoments,
): void {
  const { outerCount, reducedBlockCount, groupCount, channelsPerGroup, innerCount } = layout;
  const { eps, weight, bias, fixedMean, fixedVariance } = parameters;
  const runLength = channelsPerGroup * innerCount;
  const runStride = groupCount * runLength;
  const outerStride = reducedBlockCount * runStride;
  for (let outer = 0; outer < outerCount; outer++) {
    for (let group = 0; group < groupCount; group++) {
      const setIndex = outer * groupCount + group;
      const setStart = outer * outerStride + group * runLength;
      accumulateSetMoments(input, setStart, reducedBlockCount, runLength, runStride, moments, setIndex);
      const center = fixedMean === null ? moments.mean[setIndex] : fixedMean[group];
      const variance = fixedVariance === null ? moments.variance[setIndex] : fixedVariance[group];
      const inverseStandardDeviation = 1 / Math.sqrt(variance + eps);
      for (let block = 0; block < reducedBlockCount; block++) {
        for (let channelInGroup = 0; channelInGroup < channelsPerGroup; channelInGroup++) {
          const channel = group * channelsPerGroup + channelInGroup;
          const scale = weight === null ? inverseStandardDeviation : weight[channel] * inverseStandardDeviation;
          const shift = bias === null ? 0 : bias[channel];
          const start = setStart + block * runStride + channelInGroup * innerCount;
          const end = start + innerCount;
          // Subtracting the center before scaling (rather than x·scale + (bias − mean·scale))
          // makes a constant set come out as exactly `bias`.
          let index = start;
          for (; index + 3 < end; index += 4) {
            output[index] = (input[index] - center) * scale + shift;
            output[index + 1] = (input[index + 1] - center) * scale + shift;
            output[index + 2] = (input[index + 2] - center) * scale + shift;
            output[index + 3] = (input[index + 3] - center) * scale + shift;
          }
          for (; index < end; index++) output[index] = (input[index] - center) * scale + shift;
        }
      }
    }
  }
}

/**
 * Normalizes every set of an outer block together, walking the values in memory order: one pass
 * accumulates per-channel sums of deviations from the first value of the channel's group, the
 * channels of each group are added up, and a second pass writes. The same formula and the same
 * shifted float64 sums as the one-by-one walk, for layouts whose runs are short.
 */
function normalizeInterleavedChannelSets(
  input: Float32Array,
  output: Float32Array,
  layout: ChannelSetLayout,
  parameters: ChannelNormalizationParameters,
  moments: SetMoments,
): void {
  const { outerCount, reducedBlockCount, groupCount, channelsPerGroup, innerCount } = layout;
  const { eps, weight, bias, fixedMean, fixedVariance } = parameters;
  const channelCount = groupCount * channelsPerGroup;
  const blockLength = channelCount * innerCount;
  const setSize = reducedBlockCount * channelsPerGroup * innerCount;
  const channelShifts = new Float64Array(channelCount);
  const channelSums = new Float64Array(channelCount);
  const channelSquares = new Float64Array(channelCount);
  const channelCenters = new Float64Array(channelCount);
  const channelScales = new Float64Array(channelCount);
  const channelOffsets = new Float64Array(channelCount);
  for (let outer = 0; outer < outerCount; outer++) {
    const outerStart = outer * reducedBlockCount * blockLength;
    for (let channel = 0; channel < channelCount; channel++) {
      const group = Math.floor(channel / channelsPerGroup);
      channelShifts[channel] = input[outerStart + group * channelsPerGroup * innerCount];
    }
    channelSums.fill(0);
    channelSquares.fill(0);
    for (let block = 0, index = outerStart; block < reducedBlockCount; block++) {
      if (innerCount === 1) {
        // Channels last: one value per channel per block, so no run loop at all.
        for (let channel = 0; channel < channelCount; channel++, index++) {
          const deviation = input[index] - channelShifts[channel];
          channelSums[channel] += deviation;
          channelSquares[channel] += deviation * deviation;
        }
        continue;
      }
      for (let channel = 0; channel < channelCount; channel++) {
        const shift = channelShifts[channel];
        let sum = 0;
        let squares = 0;
        for (const end = index + innerCount; index < end; index++) {
          const deviation = input[index] - shift;
          sum += deviation;
          squares += deviation * deviation;
        }
        channelSums[channel] += sum;
        channelSquares[channel] += squares;
      }
    }
    for (let group = 0; group < groupCount; group++) {
      const setIndex = outer * groupCount + group;
      let sum = 0;
      let squares = 0;
      for (let channel = group * channelsPerGroup; channel < (group + 1) * channelsPerGroup; channel++) {
        sum += channelSums[channel];
        squares += channelSquares[channel];
      }
      const shiftedMean = sum / setSize;
      moments.mean[setIndex] = setSize === 0 ? NaN : channelShifts[group * channelsPerGroup] + shiftedMean;
      moments.variance[setIndex] = setSize === 0 ? NaN : Math.max(0, squares / setSize - shiftedMean * shiftedMean);
      const center = fixedMean === null ? moments.mean[setIndex] : fixedMean[group];
      const variance = fixedVariance === null ? moments.variance[setIndex] : fixedVariance[group];
      const inverseStandardDeviation = 1 / Math.sqrt(variance + eps);
      for (let channel = group * channelsPerGroup; channel < (group + 1) * channelsPerGroup; channel++) {
        channelCenters[channel] = center;
        channelScales[channel] = weight === null ? inverseStandardDeviation : weight[channel] * inverseStandardDeviation;
        channelOffsets[channel] = bias === null ? 0 : bias[channel];
      }
    }
    for (let block = 0, index = outerStart; block < reducedBlockCount; block++) {
      if (innerCount === 1) {
        for (let channel = 0; channel < channelCount; channel++, index++) {
          output[index] = (input[index] - channelCenters[channel]) * channelScales[channel] + channelOffsets[channel];
        }
        continue;
      }
      for (let channel = 0; channel < channelCount; channel++) {
        const center = channelCenters[channel];
        const scale = channelScales[channel];
        const shift = channelOffsets[channel];
        for (const end = index + innerCount; index < end; index++) output[index] = (input[index] - center) * scale + shift;
      }
    }
  }
}

export interface RowNormalizationParameters {
  eps: number;
  /** Layer norm subtracts each row's mean; RMS norm divides by the root mean square without centering. */
  centered: boolean;
  /** One scale per position in the row. */
  weight: Float32Array;
  /** One shift per position in the row. */
  bias: Float32Array;
}

/** Rows normalized together: each weight and bias load then serves this many outputs. */
const rowsPerBlock = 8;

/**
 * For each contiguous row of `rowLength` values writes
 * `output = (input − center) / sqrt(secondMoment + eps) · weight + bias`, where center and
 * secondMoment are the row's mean and biased variance when centered, and 0 and the mean of
 * squares otherwise; returns each row's mean and biased variance.
 */
export function normalizeRows(
  input: Float32Array,
  output: Float32Array,
  rowCount: number,
  rowLength: number,
  parameters: RowNormalizationParameters,
): SetMoments {
  const { eps, centered, weight, bias } = parameters;
  const moments: SetMoments = { mean: new Float64Array(rowCount), variance: new Float64Array(rowCount) };
  const centers = new Float64Array(rowsPerBlock);
  const inverseScales = new Float64Array(rowsPerBlock);
  for (let firstRow = 0; firstRow < rowCount; firstRow += rowsPerBlock) {
    const blockRowCount = Math.min(rowsPerBlock, rowCount - firstRow);
    for (let rowInBlock = 0; rowInBlock < blockRowCount; rowInBlock++) {
      const row = firstRow + rowInBlock;
      accumulateSetMoments(input, row * rowLength, 1, rowLength, rowLength, moments, row);
      const mean = moments.mean[row];
      centers[rowInBlock] = centered ? mean : 0;
      // The mean of squares is variance + mean², which keeps the shifted accuracy of the variance.
      const secondMoment = centered ? moments.variance[row] : moments.variance[row] + mean * mean;
      inverseScales[rowInBlock] = 1 / Math.sqrt(secondMoment + eps);
    }
    if (blockRowCount === rowsPerBlock) {
      writeEightRows(input, output, firstRow * rowLength, rowLength, centers, inverseScales, weight, bias);
      continue;
    }
    for (let rowInBlock = 0; rowInBlock < blockRowCount; rowInBlock++) {
      const start = (firstRow + rowInBlock) * rowLength;
      const center = centers[rowInBlock];
      const inverseScale = inverseScales[rowInBlock];
      for (let position = 0; position < rowLength; position++) {
        output[start + position] = (input[start + position] - center) * inverseScale * weight[position] + bias[position];
      }
    }
  }
  return moments;
}

/**
 * The row kernel's write loop for a full block of eight rows starting at `start`. Walking the
 * positions once for all eight rows loads each weight and bias once per eight outputs, which
 * makes this loop about twice as fast as eight single-row loops in V8.
 */
function writeEightRows(
  input: Float32Array,
  output: Float32Array,
  start: number,
  rowLength: number,
  centers: Float64Array,
  inverseScales: Float64Array,
  weight: Float32Array,
  bias: Float32Array,
): void {
  const [center0, center1, center2, center3, center4, center5, center6, center7] = centers;
  const [scale0, scale1, scale2, scale3, scale4, scale5, scale6, scale7] = inverseScales;
  const row1 = start + rowLength, row2 = row1 + rowLength, row3 = row2 + rowLength, row4 = row3 + rowLength;
  const row5 = row4 + rowLength, row6 = row5 + rowLength, row7 = row6 + rowLength;
  for (let position = 0; position < rowLength; position++) {
    const scale = weight[position];
    const shift = bias[position];
    output[start + position] = (input[start + position] - center0) * scale0 * scale + shift;
    output[row1 + position] = (input[row1 + position] - center1) * scale1 * scale + shift;
    output[row2 + position] = (input[row2 + position] - center2) * scale2 * scale + shift;
    output[row3 + position] = (input[row3 + position] - center3) * scale3 * scale + shift;
    output[row4 + position] = (input[row4 + position] - center4) * scale4 * scale + shift;
    output[row5 + position] = (input[row5 + position] - center5) * scale5 * scale + shift;
    output[row6 + position] = (input[row6 + position] - center6) * scale6 * scale + shift;
    output[row7 + position] = (input[row7 + position] - center7) * scale7 * scale + shift;
  }
}
