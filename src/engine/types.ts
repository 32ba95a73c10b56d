/**
 * The shapes of what every normalization takes besides its layer spec, and of what it returns,
 * so that the CLI and the preview panel read one result type whatever the layer.
 */
import type { Tensor } from './tensor';

export type NormalizationMode = 'train' | 'eval';

/** Parameters and state of one layer call. Keras' gamma, beta, moving_mean and moving_variance map to weight, bias, runningMean and runningVar. */
export interface NormalizationOptions {
  /** `train` is PyTorch's `module.train()` / Keras' `training=True`. */
  mode: NormalizationMode;
  /** Per-channel (or per-element for layer norms) scale; defaults to ones like a freshly built layer. */
  weight?: Tensor;
  /** Per-channel (or per-element) shift; defaults to zeros like a freshly built layer. */
  bias?: Tensor;
  /** Defaults to zeros like a freshly built layer. */
  runningMean?: Float32Array;
  /** Defaults to ones like a freshly built layer. */
  runningVar?: Float32Array;
  /** PyTorch's `num_batches_tracked` buffer, needed for `momentum=None`; defaults to 0. */
  numBatchesTracked?: number;
  /**
   * Where to write the output, with the input's length; it may be the input's own data for an
   * in-place update. Reusing one buffer across calls spares a large tensor the page faults of a
   * fresh allocation, which cost as much as the normalization itself; a new array when absent.
   */
  output?: Float32Array;
}

/** The statistics of every normalization set of the input, whichever statistics the output was normalized with. */
export interface SetStatistics {
  /** The grid of sets: [C] for batch norm, [N, C] for instance norm, [N, G] for group norm, the leading axes for layer norm. */
  setShape: number[];
  /** Number of input values in each set (the same for every set). */
  count: number;
  /** Mean of each set, in row-major order over `setShape`. */
  mean: Float64Array;
  /** Biased variance (sum of squared deviations divided by `count`) of each set. */
  variance: Float64Array;
}

export interface NormalizationResult {
  output: Tensor;
  statistics: SetStatistics;
  /** Which statistics produced `output`: the input's own, or the running (moving) averages in eval mode. */
  normalizedWith: 'batchStatistics' | 'runningStatistics';
  /** Running statistics after this call, for layers that track them (unchanged in eval mode). */
  runningMean?: Float32Array;
  runningVar?: Float32Array;
  /** PyTorch batch norm's `num_batches_tracked` after this call. */
  numBatchesTracked?: number;
}
