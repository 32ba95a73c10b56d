/**
 * View 5: the same batch under every method, side by side: each output's histogram on one shared
 * axis, and each channel's output mean ± one standard deviation, which shows what a method removes
 * (BatchNorm and InstanceNorm leave every channel at mean 0; LayerNorm and GroupNorm keep the
 * differences between channels of a sample). A method that rejects the batch shows PyTorch's message.
 */
import type { MethodComparison, MethodSummary } from '../model/computePreview';
import type { NormMethod } from '../model/previewConfig';
import { chart, html, svg } from './dom';
import { countOf, formatExtent, formatNumber } from './format';
import { histogramChart } from './histogramChart';

const stripWidth = 200;
const stripHeight = 90;
/** Wider layers are drawn from evenly spaced channels; a strip has room for about this many. */
const maxChannelsDrawn = 128;

export class ComparisonView {
  readonly element: HTMLElement;
  private readonly cards: HTMLElement;

  constructor() {
    this.cards = html('div', { class: 'comparison-cards' });
    this.element = html(
      'section',
      { 'aria-labelledby': 'comparison-heading', class: 'view view-comparison' },
      html('h2', { id: 'comparison-heading' }, 'Every method on this batch'),
      html('p', { class: 'caption' }, 'Output histograms share one axis. Below each, every channel’s output mean ± one standard deviation over N·H·W.'),
      this.cards,
    );
  }

  render(comparison: MethodComparison, currentMethod: NormMethod, layerMethod: NormMethod | undefined): void {
    const stripRange = sharedStripRange(comparison.methods);
    this.cards.replaceChildren(...comparison.methods.map((summary) => card(summary, currentMethod, layerMethod, stripRange)));
  }
}

function card(summary: MethodSummary, currentMethod: NormMethod, layerMethod: NormMethod | undefined, stripRange: [number, number]): HTMLElement {
  const badge = summary.method === layerMethod ? 'this layer' : summary.method === currentMethod ? 'selected' : undefined;
  const heading = html('h3', {}, summary.method, badge ? html('span', { class: 'badge' }, badge) : undefined);
  const classes = `method-card${summary.method === currentMethod ? ' current' : ''}`;
  if (summary.error || !summary.outputHistogram || !summary.channelOutput) {
    return html('article', { class: classes, 'data-method': summary.method }, heading, html('p', { class: 'callout error', role: 'note' }, summary.error ?? 'no output'));
  }
  const { mean, variance } = summary.channelOutput;
  const stds = Array.from(variance, Math.sqrt);
  return html(
    'article',
    { class: classes, 'data-method': summary.method },
    heading,
    html('p', { class: 'caption' }, `${countOf(summary.setCount ?? 0, 'set')} × ${countOf(summary.valuesPerSet ?? 0, 'value')}`),
    histogramChart(summary.outputHistogram, { label: `${summary.method} output`, tone: 'after', width: stripWidth, height: 80 }),
    channelStrip(summary.method, mean, stds, stripRange),
    html(
      'p',
      { class: 'caption', 'data-channel-summary': '' },
      `Channel means ${formatExtent(mean)}; standard deviations ${formatExtent(stds)}`,
    ),
  );
}

/** One y range for every card, so that equal strips mean equal statistics. */
function sharedStripRange(methods: MethodSummary[]): [number, number] {
  let low = -1;
  let high = 1;
  for (const summary of methods) {
    if (!summary.channelOutput) continue;
    summary.channelOutput.mean.forEach((mean, channel) => {
      const std = Math.sqrt((summary.channelOutput as NonNullable<MethodSummary['channelOutput']>).variance[channel]);
      if (Number.isFinite(mean - std)) low = Math.min(low, mean - std);
      if (Number.isFinite(mean + std)) high = Math.max(high, mean + std);
    });
  }
  return [low, high];
}

function channelStrip(method: NormMethod, means: Float64Array, stds: number[], [low, high]: [number, number]): SVGSVGElement {
  const channels = means.length;
  const drawn = channels <= maxChannelsDrawn ? Array.from({ length: channels }, (_, channel) => channel) : Array.from({ length: maxChannelsDrawn }, (_, index) => Math.floor((index * channels) / maxChannelsDrawn));
  const step = stripWidth / drawn.length;
  // Whiskers thinner than the gap between channels, so that a hundred equal ones still read as lines.
  const whiskerWidth = Math.min(1.5, step * 0.5);
  const yOf = (value: number): number => 6 + ((high - value) / (high - low)) * (stripHeight - 12);
  const parts: SVGElement[] = [svg('line', { x1: 0, y1: yOf(0), x2: stripWidth, y2: yOf(0), class: 'reference' })];
  drawn.forEach((channel, index) => {
    const x = (index + 0.5) * step;
    parts.push(
      svg('line', { x1: x, y1: yOf(means[channel] + stds[channel]), x2: x, y2: yOf(means[channel] - stds[channel]), 'stroke-width': whiskerWidth, class: 'strip-whisker' }),
      svg('circle', { cx: x, cy: yOf(means[channel]), r: Math.min(2.5, Math.max(1, step / 3)), class: 'channel-mean' }),
    );
  });
  const label = `${method}: output mean ± standard deviation of ${channels <= maxChannelsDrawn ? 'each' : `${drawn.length} of the ${channels}`} channels, on a shared axis from ${formatNumber(low)} to ${formatNumber(high)}`;
  return chart(stripWidth, stripHeight, label, 'channel-strip', ...parts);
}
