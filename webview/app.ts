/**
 * The preview panel's page: holds the controls, the selected element, the layer and the input;
 * reads the extension host's messages; persists what must survive hiding and reloading through
 * getState/setState; draws the cube at once on every change and sends everything heavier to the
 * compute worker, drawing the other views when its result arrives.
 */
import { ComputeClient, type ComputeJob, type ComputeOutcome } from './computeClient';
import type { PreviewResult } from './model/computePreview';
import { defaultMaxInputElements, parseHostMessage, parsePanelState, type HostMessage, type LayerTarget, type PanelMessage, type PanelState, type PreviewLayer } from './messages';
import { selectionInSet, setLabel, setLayout, tensorShapeOf } from './model/normalizationSets';
import { clampSelection, controlsForLayer, defaultControls, readLayer, type LayerConfig, type PreviewControls, type Selection } from './model/previewConfig';
import { panelShapeOf, poolSizeFor } from './model/sampleData';
import type { SampleSource } from './workerProtocol';
import { ComparisonView } from './views/comparisonView';
import { ControlsView } from './views/controlsView';
import { CubeView } from './views/cubeView';
import { html } from './views/dom';
import { formatNumber } from './views/format';
import { HeaderView } from './views/headerView';
import { HistogramView } from './views/histogramView';
import { SensitivityView } from './views/sensitivityView';
import { StatisticsView } from './views/statisticsView';

/** The part of VS Code's webview API the panel uses (acquireVsCodeApi's result). */
export interface WebviewApi {
  postMessage(message: PanelMessage): void;
  getState(): unknown;
  setState(state: PanelState): void;
}

interface NpyInput {
  name: string;
  uri: string;
  /** The array as [P, C, H, W]. */
  shape: number[];
  /** Absent while the host reads the file again after a reload. */
  data?: Float32Array;
  /** Distinguishes two loads of the same file for the worker. */
  generation: number;
}

function layerKey(layer: PreviewLayer | undefined): string {
  return JSON.stringify(layer ? [layer.displayName, layer.arguments] : null);
}

export class PreviewApp {
  private controls: PreviewControls = { ...defaultControls };
  private selection: Selection = { sample: 0, channel: 0 };
  private layer?: PreviewLayer;
  private layerConfig?: LayerConfig;
  private target?: LayerTarget;
  private missingLine?: number;
  private maxInputElements = defaultMaxInputElements;
  private npy?: NpyInput;
  private npyLoads = 0;
  private inputStatus?: string;
  private client?: ComputeClient;
  /** The current method's result on screen, which the comparison that follows it completes. */
  private shown?: { job: ComputeJob; result: PreviewResult };

  private readonly header = new HeaderView();
  private readonly controlsView: ControlsView;
  private readonly cubes: CubeView;
  private readonly statistics: StatisticsView;
  private readonly histograms = new HistogramView();
  private readonly sensitivity = new SensitivityView();
  private readonly comparison = new ComparisonView();

  constructor(
    private readonly root: HTMLElement,
    private readonly api: WebviewApi,
    private readonly log: (message: string) => void,
  ) {
    this.controlsView = new ControlsView({
      onChange: (controls) => this.changeControls(controls),
      onPickNpy: () => this.api.postMessage({ type: 'pickNpy' }),
      onUseSynthetic: () => this.useSynthetic(),
      onResetToLayer: () => this.layerConfig && this.changeControls(controlsForLayer(this.layerConfig, this.controls)),
    });
    this.cubes = new CubeView((selection) => this.select(selection));
    this.statistics = new StatisticsView((setIndex) => {
      const layout = setLayout(this.controls.method, tensorShapeOf(this.controls), this.controls.groups);
      if (typeof layout !== 'string') this.select(selectionInSet(layout, setIndex, this.selection));
    });
  }

  async start(workerUri: string | undefined): Promise<void> {
    // Fetching and starting the worker takes longest, so it starts first and runs while the page is built.
    const client = ComputeClient.create(workerUri, (outcome) => this.showOutcome(outcome), this.log);
    const saved = this.api.getState();
    const restored = saved === undefined || saved === null ? undefined : parsePanelState(saved, this.log);
    if (restored) this.restore(restored);
    this.root.replaceChildren(
      this.header.element,
      this.controlsView.element,
      html(
        'main',
        { class: 'views' },
        this.cubes.element,
        this.statistics.element,
        this.histograms.element,
        this.sensitivity.element,
        this.comparison.element,
      ),
    );
    this.renderControls();
    // The host answers `ready` with the layer while the worker starts; the layer's first compute waits for the worker.
    this.api.postMessage({ type: 'ready' });
    this.client = await client;
    // A fresh panel waits for its layer; a restored one draws what it showed before at once.
    if (this.layer) this.recompute();
  }

  /** Handles one message from the extension host; anything malformed is logged and dropped. */
  receive(data: unknown): void {
    const message = parseHostMessage(data, this.log);
    if (message) this.apply(message);
  }

  private apply(message: HostMessage): void {
    switch (message.type) {
      case 'settings':
        this.maxInputElements = message.maxInputElements;
        break;
      case 'layer':
        this.target = message.target;
        this.missingLine = undefined;
        this.setLayer(message.layer);
        break;
      case 'layerMissing':
        this.missingLine = message.line;
        this.renderControls();
        return;
      case 'npyInput':
        this.useNpy(message);
        break;
      case 'inputError':
        this.inputStatus = message.message;
        // A file that cannot be read again after a reload leaves the synthetic data in its place.
        if (this.npy && !this.npy.data) this.npy = undefined;
        break;
    }
    this.persist();
    this.renderControls();
    this.recompute();
  }

  private restore(state: PanelState): void {
    this.controls = state.controls;
    this.selection = state.selection;
    this.target = state.target;
    // The saved controls already hold the layer's values and the user's changes to them.
    this.layer = state.layer;
    this.layerConfig = state.layer && readLayer(state.layer);
    if (state.npy) {
      this.npy = { ...state.npy, shape: [state.controls.batchSize, state.controls.channels, state.controls.height, state.controls.width], generation: 0 };
      this.inputStatus = `reading ${state.npy.name}…`;
    }
  }

  /** A layer the panel has not seen (or an edit to it) sets the controls it decides; the same layer again keeps the user's changes. */
  private setLayer(layer: PreviewLayer): void {
    const changed = layerKey(layer) !== layerKey(this.layer);
    this.layer = layer;
    this.layerConfig = readLayer(layer);
    if (changed && this.layerConfig) this.controls = this.fitToInput(controlsForLayer(this.layerConfig, this.controls));
  }

  private useNpy(message: Extract<HostMessage, { type: 'npyInput' }>): void {
    const shape = panelShapeOf(message.shape);
    const elements = message.data.length;
    if (typeof shape === 'string' || shape.some((size) => size === 0) || shape.reduce((product, size) => product * size, 1) !== elements) {
      this.inputStatus = `${message.name}: ${typeof shape === 'string' ? shape : `shape [${message.shape.join(', ')}] does not match its ${elements} values`}`;
      return;
    }
    this.npy = { name: message.name, uri: message.uri, shape, data: message.data, generation: ++this.npyLoads };
    this.inputStatus = undefined;
    this.controls = this.fitToInput(this.controls);
  }

  private useSynthetic(): void {
    this.npy = undefined;
    this.inputStatus = undefined;
    this.api.postMessage({ type: 'useSynthetic' });
    this.persist();
    this.renderControls();
    this.recompute();
  }

  /** With a .npy input the file decides C, H and W, and N can be at most its sample count. */
  private fitToInput(controls: PreviewControls): PreviewControls {
    if (!this.npy) return controls;
    const [samples, channels, height, width] = this.npy.shape;
    return { ...controls, batchSize: Math.min(controls.batchSize, samples), channels, height, width };
  }

  private changeControls(controls: PreviewControls): void {
    this.controls = this.fitToInput(controls);
    this.persist();
    this.renderControls();
    this.recompute();
  }

  private select(selection: Selection): void {
    this.selection = clampSelection(selection, this.controls);
    this.persist();
    this.cubes.render({ controls: this.controls, selection: this.selection, layerMethod: this.layerConfig?.options.method });
    this.recompute();
  }

  private persist(): void {
    this.api.setState({
      controls: this.controls,
      selection: this.selection,
      ...(this.layer && { layer: this.layer }),
      ...(this.target && { target: this.target }),
      ...(this.npy && { npy: { name: this.npy.name, uri: this.npy.uri } }),
    });
  }

  private renderControls(): void {
    this.selection = clampSelection(this.selection, this.controls);
    const expectedChannels = this.layerConfig?.controls.channels;
    this.header.update({
      layer: this.layer,
      missingLine: this.missingLine,
      unresolved: this.layerConfig?.unresolved ?? [],
      ...(this.npy &&
        expectedChannels !== undefined &&
        expectedChannels !== this.controls.channels && { channelMismatch: { expected: expectedChannels, fileName: this.npy.name, channels: this.controls.channels } }),
    });
    this.controlsView.update({
      controls: this.controls,
      layerMethod: this.layerConfig?.options.method,
      maxInputElements: this.maxInputElements,
      ...(this.npy && { npy: { name: this.npy.name, shape: this.npy.shape } }),
      ...(this.inputStatus !== undefined && { inputStatus: this.inputStatus }),
    });
    this.cubes.render({ controls: this.controls, selection: this.selection, layerMethod: this.layerConfig?.options.method });
  }

  private sampleSource(): { key: string; source: SampleSource } | undefined {
    const { channels, height, width, seed, batchSize } = this.controls;
    if (this.npy) {
      if (!this.npy.data) return undefined;
      return { key: `npy ${this.npy.generation}`, source: { kind: 'tensor', name: this.npy.name, shape: this.npy.shape, data: this.npy.data } };
    }
    const spec = { channels, height, width, seed, poolSize: poolSizeFor(batchSize, channels * height * width, this.maxInputElements) };
    return { key: JSON.stringify(spec), source: { kind: 'synthetic', spec } };
  }

  private recompute(): void {
    const elements = this.controls.batchSize * this.controls.channels * this.controls.height * this.controls.width;
    // The controls refuse such sizes as they are typed; a restored state or a lowered setting can still ask for one.
    if (elements > this.maxInputElements) {
      this.header.setStatus(`N×C×H×W = ${elements} values is over the limit of ${this.maxInputElements} (setting normlint.preview.maxInputElements); nothing was computed`);
      return;
    }
    const sample = this.sampleSource();
    if (!this.client || !sample) return;
    this.header.setStatus('Computing…');
    const job: ComputeJob = {
      sourceKey: sample.key,
      source: sample.source,
      request: { controls: this.controls, selection: this.selection, ...(this.layerConfig && { layer: this.layerConfig.options }) },
    };
    this.client.submit(job);
  }

  private showOutcome(outcome: ComputeOutcome): void {
    const { controls, selection } = outcome.job.request;
    if ('failure' in outcome) {
      this.header.setStatus(`The preview failed: ${outcome.failure}`);
      this.log(`normlint preview: computing failed: ${outcome.failure}`);
      return;
    }
    if ('result' in outcome) {
      const { result } = outcome;
      this.shown = { job: outcome.job, result };
      const layout = setLayout(controls.method, tensorShapeOf(controls), controls.groups);
      const selectedLabel = typeof layout === 'string' || !result.sets ? undefined : setLabel(controls.method, layout, result.sets.selected);
      this.statistics.render(result, layout, controls);
      this.histograms.render(result, selectedLabel);
      this.sensitivity.render(result.sensitivity, controls);
      // bench/preview.ts times an edit to this mark (the current method's views) and to the `rendered` message (all views).
      performance.mark('normlint-preview:current-views');
      return;
    }
    const result = this.shown?.job === outcome.job ? this.shown.result : undefined;
    if (!result) return;
    this.comparison.render(outcome.comparison, controls.method, this.layerConfig?.options.method);
    const computeMs = result.computeMs + outcome.comparison.computeMs;
    this.header.setStatus(
      `${controls.method} on ${result.input} ${result.shape.join('×')}, sample ${selection.sample}, channel ${selection.channel}: computed in ${formatNumber(computeMs)} ms`,
    );
    this.api.postMessage({
      type: 'rendered',
      preview: {
        description: this.layer?.description ?? '',
        method: controls.method,
        mode: controls.mode,
        shape: result.shape,
        groups: controls.groups,
        eps: controls.eps,
        input: result.input,
        ...(result.error !== undefined && { error: result.error }),
        computeMs,
        inWorker: this.client?.inWorker ?? false,
      },
    });
  }
}
