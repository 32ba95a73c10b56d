/**
 * Running-average updates. PyTorch: running = (1 − m)·running + m·batch with the unbiased batch
 * variance, and momentum None meaning a cumulative average (m = 1/numBatchesTracked). Keras uses
 * the same blend with batch weight 1 − momentum and the biased variance; the callers pick the
 * weight and the variance, this file only blends.
 */

/** `(1 − batchWeight)·running + batchWeight·batch` for every entry, as a new float32 buffer like PyTorch's. */
export function blendRunningStatistic(running: Float32Array, batch: Float64Array, batchWeight: number): Float32Array {
  const blended = new Float32Array(running.length);
  for (let index = 0; index < running.length; index++) {
    blended[index] = (1 - batchWeight) * running[index] + batchWeight * batch[index];
  }
  return blended;
}

/** PyTorch's exponential_average_factor, given num_batches_tracked after this batch was counted. */
export function pytorchBatchWeight(momentum: number | null, numBatchesTracked: number): number {
  return momentum === null ? 1 / numBatchesTracked : momentum;
}

/** Turns biased variances of sets of `count` values into unbiased ones (Bessel's n/(n − 1)). */
export function unbiasedVariances(biasedVariances: Float64Array, count: number): Float64Array {
  const correction = count / (count - 1);
  return biasedVariances.map((variance) => variance * correction);
}
