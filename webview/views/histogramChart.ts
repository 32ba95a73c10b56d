/**
 * A histogram drawn as SVG bars, heights as the share of values in each bin, with the range's ends
 * (and zero, when inside) marked on the axis. Used by the histogram view and the side-by-side cards.
 */
import type { Histogram } from '../model/statistics';
import { chart, svg } from './dom';
import { formatNumber, formatPercent } from './format';

export interface HistogramChartOptions {
  label: string;
  /** `before` and `after` take different theme colours. */
  tone: 'before' | 'after';
  width: number;
  height: number;
}

const axisHeight = 16;
const topPadding = 12;

export function histogramChart(histogram: Histogram, options: HistogramChartOptions): SVGSVGElement {
  const { width, height, tone } = options;
  const plotHeight = height - axisHeight - topPadding;
  const binWidth = width / histogram.counts.length;
  const peak = Math.max(1, ...histogram.counts);
  const parts: SVGElement[] = [];
  histogram.counts.forEach((count, bin) => {
    if (count === 0) return;
    const barHeight = Math.max(1, (count / peak) * plotHeight);
    parts.push(svg('rect', { x: bin * binWidth + 0.5, y: topPadding + plotHeight - barHeight, width: Math.max(1, binWidth - 1), height: barHeight, class: `bar ${tone}` }));
  });
  const baseline = topPadding + plotHeight;
  parts.push(svg('line', { x1: 0, y1: baseline, x2: width, y2: baseline, class: 'axis' }));
  const xOf = (value: number): number => ((value - histogram.min) / (histogram.max - histogram.min)) * width;
  const ticks: [number, 'start' | 'middle' | 'end'][] = [
    [histogram.min, 'start'],
    [histogram.max, 'end'],
  ];
  // Zero is the reference after normalization; marked unless it would crowd an end label.
  if (histogram.min < 0 && histogram.max > 0 && xOf(0) > 40 && xOf(0) < width - 40) ticks.push([0, 'middle']);
  for (const [value, anchor] of ticks) {
    const x = xOf(value);
    parts.push(svg('line', { x1: x, y1: baseline, x2: x, y2: baseline + 3, class: 'axis' }));
    parts.push(svg('text', { x, y: height - 2, 'text-anchor': anchor, class: 'tick-label' }, formatNumber(value)));
  }
  const peakShare = histogram.total > 0 ? peak / histogram.total : 0;
  parts.push(svg('text', { x: 2, y: 9, class: 'tick-label' }, `peak ${formatPercent(peakShare)} of values`));
  const label = `${options.label}: ${histogram.total} values from ${formatNumber(histogram.min)} to ${formatNumber(histogram.max)}`;
  return chart(width, height, label, 'histogram', ...parts);
}
