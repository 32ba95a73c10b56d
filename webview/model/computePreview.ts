/**
 * Computes everything the panel's views show for one configuration, in two steps so that the
 * current method's views update first: `compute` runs the current method on the batch and gives
 * its per-set statistics, histograms and BatchNorm's batch-size sensitivity; `compareMethods` then
 * runs every other method on the same batch for the side-by-side view. Pure and DOM-free: the
 * panel's worker runs it, and so do the tests and the benchmark, in Node. A session belongs to one
 * sample data set and keeps what does not change between recomputes (output buffers, the input's
 * histogram and per-set statistics, the batch-size spread), which is what keeps a recompute on a
 * million values within its budget.
 */
import { NormalizationError, runNormalization, type NormalizationResult } from '../../src/engine';
import { batchSizeSensitivity, type SensitivityResult } from './batchSizeSensitivity';
import { engineInput, layerSpecFor, normalizationOptionsFor } from './layerSpec';
import { perChannelLayout, setCount, setIndexOf, setLayout, setShape, tensorShapeOf, valuesPerSet, type SetLayout } from './normalizationSets';
import { normMethods, optionsFor, type LayerOptions, type NormMethod, type PreviewControls, type Selection } from './previewConfig';
import { batchOf, type SampleData } from './sampleData';
import { histogramOf, setHistogram, setMoments, unionRange, type Histogram, type Moments } from './statistics';

const histogramBins = 48;

export interface PreviewRequest {
  controls: PreviewControls;
  /** The analyzed layer's options, used while the controls run the layer's own method. */
  layer?: LayerOptions;
  selection: Selection;
}

/** One method on the batch, as the side-by-side view shows it. */
export interface MethodSummary {
  method: NormMethod;
  /** Why there is no output: the engine's message (PyTorch's wording) or a shape that has no sets. */
  error?: string;
  setCount?: number;
  valuesPerSet?: number;
  /** Over the range shared by every method's output, so the shapes compare directly. */
  outputHistogram?: Histogram;
  /** Mean and biased variance of each channel of the output, over N·H·W. */
  channelOutput?: Moments;
}

export interface PreviewResult {
  /** The batch's [N, C, H, W]. */
  shape: number[];
  poolSize: number;
  input: string;
  method: NormMethod;
  /** The current method's engine message, when it rejects this configuration. */
  error?: string;
  normalizedWith?: NormalizationResult['normalizedWith'];
  /** The current method's sets; absent when the shape has none (groups that do not divide the channels). */
  sets?: {
    shape: number[];
    count: number;
    selected: number;
    before: Moments;
    /** Absent when the engine rejected the configuration. */
    after?: Moments;
  };
  histograms: {
    overallBefore: Histogram;
    overallAfter?: Histogram;
    selectedBefore?: Histogram;
    selectedAfter?: Histogram;
  };
  sensitivity: SensitivityResult;
  computeMs: number;
}

export interface MethodComparison {
  /** Every method, in normMethods' order. */
  methods: MethodSummary[];
  computeMs: number;
}

interface MethodRun {
  method: NormMethod;
  layout: SetLayout | string;
  output?: Float32Array;
  normalizedWith?: NormalizationResult['normalizedWith'];
  error?: string;
  /** The output's per-channel moments, computed when the comparison first needs them. */
  channelOutput?: Moments;
}

export class PreviewSession {
  /** One output buffer per method, reused while the batch keeps its size: fresh large arrays cost page faults on every recompute. */
  private readonly outputBuffers = new Map<NormMethod, Float32Array>();
  /** Each method's last run; its output stays in the method's buffer until the method runs again. */
  private readonly runs = new Map<NormMethod, { key: string; run: MethodRun }>();
  private inputHistogram?: { batchSize: number; histogram: Histogram };
  private inputMoments?: { key: string; moments: Moments };
  private sensitivity?: { seed: number; result: SensitivityResult };

  constructor(readonly sample: SampleData) {}

  /** The current method: its sets' statistics before and after, the histograms and the batch-size sensitivity. */
  compute(request: PreviewRequest): PreviewResult {
    const started = performance.now();
    this.checkRequest(request.controls);
    const { controls, selection } = request;
    const batch = batchOf(this.sample, controls.batchSize);
    const current = this.run(controls.method, request);
    const inputHistogram = this.inputHistogramFor(controls.batchSize, perChannelLayout(tensorShapeOf(controls)));
    const layout = typeof current.layout === 'string' ? undefined : current.layout;
    const selected = layout && setIndexOf(layout, selection);
    const after = layout && current.output && setMoments(current.output, layout);
    const result: PreviewResult = {
      shape: batch.shape,
      poolSize: this.sample.pool.shape[0],
      input: this.sample.name,
      method: controls.method,
      ...(current.error !== undefined && { error: current.error }),
      ...(current.normalizedWith && { normalizedWith: current.normalizedWith }),
      histograms: { overallBefore: inputHistogram },
      sensitivity: this.sensitivityFor(controls.seed),
      computeMs: 0,
    };
    if (layout && selected !== undefined) {
      result.sets = { shape: setShape(layout), count: valuesPerSet(layout), selected, before: this.inputMomentsFor(controls, layout), ...(after && { after }) };
      result.histograms.selectedBefore = setHistogram(batch.data, layout, selected, inputHistogram, histogramBins);
    }
    if (current.output && after) {
      result.histograms.overallAfter = histogramOf(current.output, after.range, histogramBins);
      if (layout && selected !== undefined) result.histograms.selectedAfter = setHistogram(current.output, layout, selected, after.range, histogramBins);
    }
    result.computeMs = performance.now() - started;
    return result;
  }

  /** Every method on the same batch, with output histograms over one shared range. */
  compareMethods(request: PreviewRequest): MethodComparison {
    const started = performance.now();
    this.checkRequest(request.controls);
    const runs = normMethods.map((method) => this.run(method, request));
    const channelLayout = perChannelLayout(tensorShapeOf(request.controls));
    const channelOutputs = runs.map((run) => run.output && (run.channelOutput ??= setMoments(run.output, channelLayout)));
    const outputRange = unionRange(channelOutputs.flatMap((moments) => (moments ? [moments.range] : [])));
    const methods = runs.map((run, index): MethodSummary => {
      const channelOutput = channelOutputs[index];
      if (typeof run.layout === 'string' || !run.output || !channelOutput) return { method: run.method, error: run.error ?? (run.layout as string) };
      return {
        method: run.method,
        setCount: setCount(run.layout),
        valuesPerSet: valuesPerSet(run.layout),
        outputHistogram: histogramOf(run.output, outputRange, histogramBins),
        channelOutput,
      };
    });
    return { methods, computeMs: performance.now() - started };
  }

  /** Checks that the controls describe a batch the sample data can supply. */
  private checkRequest(controls: PreviewControls): void {
    const [poolSize, channels, height, width] = this.sample.pool.shape;
    if (controls.batchSize > poolSize || controls.channels !== channels || controls.height !== height || controls.width !== width) {
      throw new Error(
        `the controls ask for [${controls.batchSize}, ${controls.channels}, ${controls.height}, ${controls.width}] but the sample data is [${this.sample.pool.shape.join(', ')}]`,
      );
    }
  }

  /**
   * Runs `method` on the batch through the engine, or returns its last run when nothing it depends
   * on changed: an edit of the selection, of another method's groups, or of the current method
   * costs the other methods nothing.
   */
  private run(method: NormMethod, request: PreviewRequest): MethodRun {
    const { controls } = request;
    const options = optionsFor(method, request.layer);
    const spec = layerSpecFor(method, controls, options);
    const input = engineInput(method, batchOf(this.sample, controls.batchSize), options);
    const key = JSON.stringify([spec, input.shape, controls.mode]);
    const cached = this.runs.get(method);
    if (cached?.key === key) return cached.run;
    const layout = setLayout(method, tensorShapeOf(controls), controls.groups);
    let run: MethodRun;
    try {
      const result = runNormalization(spec, input, {
        ...normalizationOptionsFor(method, controls, options, this.sample),
        output: this.outputBuffer(method, input.data.length),
      });
      run = { method, layout, output: result.output.data, normalizedWith: result.normalizedWith };
    } catch (error) {
      // Only the engine's deliberate refusals are shown to the user; anything else is a bug and surfaces as one.
      if (!(error instanceof NormalizationError)) throw error;
      run = { method, layout, error: error.message };
    }
    this.runs.set(method, { key, run });
    return run;
  }

  private outputBuffer(method: NormMethod, length: number): Float32Array {
    let buffer = this.outputBuffers.get(method);
    if (buffer?.length !== length) {
      buffer = new Float32Array(length);
      this.outputBuffers.set(method, buffer);
    }
    return buffer;
  }

  /** The input's histogram depends only on the batch size. */
  private inputHistogramFor(batchSize: number, channelLayout: SetLayout): Histogram {
    if (this.inputHistogram?.batchSize !== batchSize) {
      const batch = batchOf(this.sample, batchSize);
      const { range } = setMoments(batch.data, channelLayout);
      this.inputHistogram = { batchSize, histogram: histogramOf(batch.data, range, histogramBins) };
    }
    return this.inputHistogram.histogram;
  }

  /** The input's per-set statistics depend only on the batch size and the sets, not on eps or the mode. */
  private inputMomentsFor(controls: PreviewControls, layout: SetLayout): Moments {
    const key = JSON.stringify([controls.batchSize, layout]);
    if (this.inputMoments?.key !== key) this.inputMoments = { key, moments: setMoments(batchOf(this.sample, controls.batchSize).data, layout) };
    return this.inputMoments.moments;
  }

  /** The batch-size spread depends only on the data and the seed of the draws. */
  private sensitivityFor(seed: number): SensitivityResult {
    if (this.sensitivity?.seed !== seed) this.sensitivity = { seed, result: batchSizeSensitivity(this.sample, seed) };
    return this.sensitivity.result;
  }
}
