/**
 * View 3: histograms of the values before and after the current method, for the whole batch and
 * for the selected normalization set (a channel, a group, a sample, depending on the method). The
 * set's histograms share their column's range, so the set shows where it sits in the whole.
 */
import type { PreviewResult } from '../model/computePreview';
import type { Histogram } from '../model/statistics';
import { html } from './dom';
import { histogramChart } from './histogramChart';

const width = 300;
const height = 120;

export class HistogramView {
  readonly element: HTMLElement;
  private readonly grid: HTMLElement;

  constructor() {
    this.grid = html('div', { class: 'histogram-grid' });
    this.element = html(
      'section',
      { 'aria-labelledby': 'histogram-heading', class: 'view view-histograms' },
      html('h2', { id: 'histogram-heading' }, 'Values before and after'),
      html('p', { class: 'caption' }, 'Before: the input batch. After: the current method’s output. The selected set is drawn on the same axis as all values, so it shows where the set sits in the whole.'),
      this.grid,
    );
  }

  render(result: PreviewResult, selectedSetLabel: string | undefined): void {
    const { histograms } = result;
    const reason = result.error ?? 'this configuration has no normalization sets';
    this.grid.replaceChildren(
      panel('overall-before', 'All values, before', histograms.overallBefore, ''),
      panel('overall-after', `All values, after ${result.method}`, histograms.overallAfter, `No output: ${reason}`),
      panel('selected-before', `${selectedSetLabel ?? 'Selected set'}, before`, histograms.selectedBefore, `No normalization sets: ${reason}`),
      panel('selected-after', `${selectedSetLabel ?? 'Selected set'}, after`, histograms.selectedAfter, `No output: ${reason}`),
    );
  }
}

type PanelKey = 'overall-before' | 'overall-after' | 'selected-before' | 'selected-after';

function panel(key: PanelKey, title: string, histogram: Histogram | undefined, missing: string): HTMLElement {
  const tone = key.endsWith('before') ? 'before' : 'after';
  return html(
    'figure',
    { class: 'histogram-panel', 'data-histogram': key },
    html('figcaption', {}, title),
    histogram ? histogramChart(histogram, { label: title, tone, width, height }) : html('p', { class: 'placeholder' }, missing),
  );
}
