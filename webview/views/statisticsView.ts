/**
 * View 2: the statistics of every normalization set before and after the current method (mean,
 * biased variance, number of values), with the sets that hold a single value or have zero variance
 * called out, since their statistics mean nothing. Rows are selectable: the selected set is the one
 * shaded in the cubes and drawn in the set histograms.
 */
import type { PreviewResult } from '../model/computePreview';
import { setDescription, setLabel, type SetLayout } from '../model/normalizationSets';
import type { NormMethod, PreviewControls } from '../model/previewConfig';
import { html } from './dom';
import { countOf, formatCount, formatExtent, formatNumber } from './format';

/** More rows than this make the table slow to scan and to redraw on every edit; the selected set is always listed. */
const maxRows = 64;

export class StatisticsView {
  readonly element: HTMLElement;
  private readonly body: HTMLElement;

  constructor(private readonly onSelectSet: (setIndex: number) => void) {
    this.body = html('div', { class: 'statistics-body' });
    this.element = html(
      'section',
      { 'aria-labelledby': 'statistics-heading', class: 'view view-statistics' },
      html('h2', { id: 'statistics-heading' }, 'Statistics per set'),
      this.body,
    );
  }

  render(result: PreviewResult, layout: SetLayout | string, controls: PreviewControls): void {
    const tableHadFocus = this.body.contains(document.activeElement) && document.activeElement instanceof HTMLTableRowElement;
    const sets = result.sets;
    if (typeof layout === 'string' || !sets) {
      this.body.replaceChildren(refusal(result.error ?? (typeof layout === 'string' ? layout : 'no statistics')));
      return;
    }
    const method = result.method;
    const setTotal = sets.before.mean.length;
    const oneValue = sets.count === 1;
    const zeroVariance = countZero(sets.before.variance);
    this.body.replaceChildren(
      html('p', { class: 'caption' }, `${countOf(setTotal, 'set')}, ${setDescription(method, layout)}.`),
      ...(result.error ? [refusal(result.error)] : []),
      ...(oneValue ? [oneValueWarning(method, controls, result)] : zeroVariance > 0 ? [zeroVarianceWarning(zeroVariance, setTotal)] : []),
      ...(result.normalizedWith === 'runningStatistics'
        ? [html('p', { class: 'note' }, 'Eval mode: the output was normalized with running statistics (here the full sample data’s, as after long training), not with these per-set ones, so the sets are close to but not exactly mean 0 and variance 1.')]
        : []),
      rangeSummary(sets.before.mean, sets.before.variance, sets.after?.mean, sets.after?.variance),
      this.table(result, layout, method),
    );
    if (tableHadFocus) this.body.querySelector<HTMLElement>('tr[aria-selected="true"]')?.focus();
  }

  private table(result: PreviewResult, layout: SetLayout, method: NormMethod): HTMLElement {
    const sets = result.sets as NonNullable<PreviewResult['sets']>;
    const setTotal = sets.before.mean.length;
    const shown = Array.from({ length: Math.min(setTotal, maxRows) }, (_, index) => index);
    if (sets.selected >= maxRows) shown.push(sets.selected);
    const rows = shown.map((index) => {
      // One value implies zero variance; the note names the root cause only.
      const flags = sets.count === 1 ? 'one value' : sets.before.variance[index] === 0 ? 'zero variance' : '';
      const selected = index === sets.selected;
      const row = html(
        'tr',
        { 'data-set': index, 'aria-selected': String(selected), tabindex: selected ? 0 : -1, class: flags ? 'flagged' : undefined },
        html('th', { scope: 'row' }, setLabel(method, layout, index)),
        html('td', { 'data-column': 'count' }, formatCount(sets.count)),
        html('td', { 'data-column': 'mean-before' }, formatNumber(sets.before.mean[index])),
        html('td', { 'data-column': 'variance-before' }, formatNumber(sets.before.variance[index])),
        html('td', { 'data-column': 'mean-after' }, sets.after ? formatNumber(sets.after.mean[index]) : '–'),
        html('td', { 'data-column': 'variance-after' }, sets.after ? formatNumber(sets.after.variance[index]) : '–'),
        html('td', { 'data-column': 'flags' }, flags),
      );
      row.addEventListener('click', () => this.onSelectSet(index));
      row.addEventListener('keydown', (event) => {
        const step = event.key === 'ArrowDown' ? 1 : event.key === 'ArrowUp' ? -1 : 0;
        const next = index + step;
        if (step === 0 || next < 0 || next >= setTotal) return;
        event.preventDefault();
        this.onSelectSet(next);
      });
      return row;
    });
    const note = setTotal > shown.length ? html('p', { class: 'caption' }, `Showing ${formatCount(maxRows)} of ${formatCount(setTotal)} sets and the selected one.`) : undefined;
    return html(
      'div',
      { class: 'table-scroll' },
      html(
        'table',
        { class: 'statistics', 'aria-label': 'Statistics of each normalization set; up and down arrows select a set' },
        html(
          'thead',
          {},
          html(
            'tr',
            {},
            html('th', { scope: 'col' }, 'Set'),
            html('th', { scope: 'col' }, 'Values'),
            html('th', { scope: 'col' }, 'Mean before'),
            html('th', { scope: 'col' }, 'Variance before'),
            html('th', { scope: 'col' }, 'Mean after'),
            html('th', { scope: 'col' }, 'Variance after'),
            html('th', { scope: 'col' }, 'Note'),
          ),
        ),
        html('tbody', {}, ...rows),
      ),
      note,
    );
  }
}

function countZero(values: Float64Array): number {
  let count = 0;
  for (const value of values) if (value === 0) count++;
  return count;
}

function refusal(message: string): HTMLElement {
  return html('div', { class: 'callout error', role: 'alert' }, html('strong', {}, 'PyTorch refuses this configuration. '), message);
}

function oneValueWarning(method: NormMethod, controls: PreviewControls, result: PreviewResult): HTMLElement {
  const usesRunning = result.normalizedWith === 'runningStatistics';
  const consequence = usesRunning
    ? 'Eval mode normalizes with running statistics instead, so this runs, but training on batches like this fails.'
    : 'x − mean is 0 for every value, so the output carries no information about the input.';
  return html(
    'div',
    { class: 'callout warning', role: 'note', 'data-warning': 'one-value' },
    html('strong', {}, 'One value per set. '),
    `Each ${method} set here holds a single value (N=${controls.batchSize}, H·W=${controls.height * controls.width}): its variance is 0 and its mean is the value itself. ${consequence}`,
  );
}

function zeroVarianceWarning(count: number, total: number): HTMLElement {
  return html(
    'div',
    { class: 'callout warning', role: 'note', 'data-warning': 'zero-variance' },
    html('strong', {}, `${formatCount(count)} of ${formatCount(total)} sets have zero variance. `),
    'Their values are all equal, so normalizing maps them to 0 (plus the bias) and only eps keeps the division finite.',
  );
}

function rangeSummary(meanBefore: Float64Array, varianceBefore: Float64Array, meanAfter?: Float64Array, varianceAfter?: Float64Array): HTMLElement {
  return html(
    'dl',
    { class: 'range-summary' },
    html('dt', {}, 'Means'),
    html('dd', {}, `before ${formatExtent(meanBefore)}`, meanAfter ? `, after ${formatExtent(meanAfter)}` : ''),
    html('dt', {}, 'Variances'),
    html('dd', {}, `before ${formatExtent(varianceBefore)}`, varianceAfter ? `, after ${formatExtent(varianceAfter)}` : ''),
  );
}
