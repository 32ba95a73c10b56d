/**
 * View 4: how BatchNorm's statistics scatter as the batch shrinks. For each drawn batch size a box
 * (quartiles) and whiskers (5th–95th percentile) show where the batch mean and the batch variance
 * land relative to the full data's, with batch 1 flagged and the current batch size marked.
 */
import type { BatchSizeSpread, SensitivityResult, Spread } from '../model/batchSizeSensitivity';
import type { PreviewControls } from '../model/previewConfig';
import { chart, html, svg } from './dom';
import { formatNumber } from './format';

const width = 340;
const height = 190;
const left = 44;
const right = 12;
const top = 26;
const bottom = 30;
const boxWidth = 14;

interface Measure {
  key: 'meanShift' | 'varianceRatio';
  title: string;
  /** Where an exact statistic would sit. */
  reference: number;
  unit: string;
}

const measures: Measure[] = [
  { key: 'meanShift', title: 'Batch mean − full-data mean, in full-data standard deviations', reference: 0, unit: 'σ' },
  { key: 'varianceRatio', title: 'Batch variance ÷ full-data variance', reference: 1, unit: '×' },
];

export class SensitivityView {
  readonly element: HTMLElement;
  private readonly body: HTMLElement;

  constructor() {
    this.body = html('div', { class: 'sensitivity-body' });
    this.element = html(
      'section',
      { 'aria-labelledby': 'sensitivity-heading', class: 'view view-sensitivity' },
      html('h2', { id: 'sensitivity-heading' }, 'BatchNorm: batch-size sensitivity'),
      this.body,
    );
  }

  render(sensitivity: SensitivityResult, controls: PreviewControls): void {
    const { spreads } = sensitivity;
    if (spreads.length === 0) {
      this.body.replaceChildren(html('p', { class: 'placeholder' }, 'Every channel of the sample data is constant, so there is no spread to measure.'));
      return;
    }
    const notBatchNorm =
      controls.method === 'BatchNorm'
        ? undefined
        : html('p', { class: 'note' }, `${controls.method} takes its statistics from each sample alone, so it is immune to this; shown for comparison with BatchNorm.`);
    this.body.replaceChildren(
      html(
        'p',
        { class: 'caption' },
        `${sensitivity.draws} mini-batches per size drawn from the ${sensitivity.poolSize} samples of the sample data, over ${sensitivity.channelsSampled} channels. ` +
          'Boxes hold the middle half of the draws, whiskers 90% of them. BatchNorm trains on these noisy statistics, and the smaller the batch, the noisier.',
      ),
      ...(notBatchNorm ? [notBatchNorm] : []),
      summary(spreads),
      html('div', { class: 'sensitivity-charts' }, ...measures.map((measure) => spreadChart(measure, spreads, controls.batchSize))),
    );
  }
}

function halfWidth(spread: Spread): number {
  return (spread.p95 - spread.p5) / 2;
}

function summary(spreads: BatchSizeSpread[]): HTMLElement {
  const smallest = spreads.find((spread) => spread.batchSize === 2) ?? spreads[0];
  const largest = spreads[spreads.length - 1];
  const first = spreads[0];
  const flag =
    first.flag === 'oneValue'
      ? 'At batch 1 each channel holds a single value: the variance is exactly 0 and PyTorch raises "Expected more than 1 value per channel when training".'
      : first.flag === 'oneSample'
        ? 'At batch 1 the statistics are those of a single sample: the batch can no longer tell what is typical.'
        : '';
  return html(
    'p',
    { class: first.flag === 'oneValue' ? 'callout error' : 'callout warning', 'data-warning': first.flag ?? 'none' },
    `90% of batch means fall within ±${formatNumber(halfWidth(largest.meanShift))}σ of the full-data mean at batch ${largest.batchSize}, ` +
      `±${formatNumber(halfWidth(smallest.meanShift))}σ at batch ${smallest.batchSize}. `,
    flag,
  );
}

function spreadChart(measure: Measure, spreads: BatchSizeSpread[], currentBatchSize: number): HTMLElement {
  const plotWidth = width - left - right;
  const plotHeight = height - top - bottom;
  const largestSize = spreads[spreads.length - 1].batchSize;
  const xOf = (batchSize: number): number => left + (largestSize === 1 ? plotWidth / 2 : (Math.log2(batchSize) / Math.log2(largestSize)) * plotWidth);
  const values = spreads.flatMap((spread) => [spread[measure.key].p5, spread[measure.key].p95]);
  let low = Math.min(measure.reference, ...values);
  let high = Math.max(measure.reference, ...values);
  if (measure.key === 'meanShift') [low, high] = [-Math.max(-low, high), Math.max(-low, high)];
  if (high - low < 1e-9) [low, high] = [low - 1, high + 1];
  const yOf = (value: number): number => top + ((high - value) / (high - low)) * plotHeight;

  const parts: SVGElement[] = [
    svg('line', { x1: left, y1: yOf(measure.reference), x2: width - right, y2: yOf(measure.reference), class: 'reference' }),
    svg('text', { x: left - 4, y: yOf(measure.reference) + 3, 'text-anchor': 'end', class: 'tick-label' }, `${formatNumber(measure.reference)}${measure.unit}`),
    svg('text', { x: left - 4, y: yOf(high) + 8, 'text-anchor': 'end', class: 'tick-label' }, `${formatNumber(high)}${measure.unit}`),
    svg('text', { x: left - 4, y: yOf(low), 'text-anchor': 'end', class: 'tick-label' }, `${formatNumber(low)}${measure.unit}`),
    svg('line', { x1: left, y1: height - bottom, x2: width - right, y2: height - bottom, class: 'axis' }),
    svg('text', { x: left + plotWidth / 2, y: height - 2, 'text-anchor': 'middle', class: 'axis-label' }, 'batch size'),
  ];
  if (currentBatchSize <= largestSize) {
    const x = xOf(currentBatchSize);
    // The label reads from the marker inwards, so it is never clipped at either end of the axis.
    const anchor = x < left + 50 ? 'start' : x > width - right - 50 ? 'end' : 'middle';
    parts.push(
      svg('line', { x1: x, y1: top - 4, x2: x, y2: height - bottom, class: 'current-marker' }),
      svg('text', { x: anchor === 'start' ? x - 4 : x, y: top - 8, 'text-anchor': anchor, class: 'marker-label' }, `N = ${currentBatchSize} (this batch)`),
    );
  }
  const described: string[] = [];
  for (const spread of spreads) {
    const x = xOf(spread.batchSize);
    const quantiles = spread[measure.key];
    const tone = spread.flag === 'oneValue' ? 'crash' : spread.flag === 'oneSample' ? 'flagged' : 'normal';
    parts.push(
      svg('line', { x1: x, y1: yOf(quantiles.p5), x2: x, y2: yOf(quantiles.p95), class: `whisker ${tone}` }),
      svg('rect', { x: x - boxWidth / 2, y: yOf(quantiles.p75), width: boxWidth, height: Math.max(1, yOf(quantiles.p25) - yOf(quantiles.p75)), class: `box ${tone}` }),
      svg('line', { x1: x - boxWidth / 2, y1: yOf(quantiles.median), x2: x + boxWidth / 2, y2: yOf(quantiles.median), class: 'median' }),
      svg('text', { x, y: height - bottom + 12, 'text-anchor': 'middle', class: `tick-label ${tone}` }, String(spread.batchSize)),
    );
    // The flag sits under its batch size's tick, clear of the boxes and of the marker's label.
    if (spread.flag) parts.push(svg('text', { x: x - 4, y: height - bottom + 24, class: `flag-label ${tone}` }, spread.flag === 'oneValue' ? 'crashes' : 'one sample'));
    described.push(`batch ${spread.batchSize}: 90% within ${formatNumber(quantiles.p5)} to ${formatNumber(quantiles.p95)}${spread.flag ? ` (${spread.flag === 'oneValue' ? 'one value per channel' : 'one sample'})` : ''}`);
  }
  const label = `${measure.title}. ${described.join('; ')}`;
  return html('figure', { class: 'sensitivity-chart', 'data-measure': measure.key }, html('figcaption', {}, measure.title), chart(width, height, label, 'spread-chart', ...parts));
}
