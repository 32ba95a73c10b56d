/**
 * The panel's heading: which layer is previewed and where, whether the panel still follows it, which
 * of its arguments the analyzer could not resolve, and a polite live status line for screen readers.
 */
import type { PreviewLayer } from '../messages';
import { html } from './dom';

export interface HeaderState {
  layer?: PreviewLayer;
  /** Set when the tracked line no longer holds a layer. */
  missingLine?: number;
  unresolved: string[];
  /** Set when a .npy file's channels differ from the layer's. */
  channelMismatch?: { expected: number; fileName: string; channels: number };
}

export class HeaderView {
  readonly element: HTMLElement;
  private readonly layerLine: HTMLElement;
  private readonly notes: HTMLElement;
  private readonly status: HTMLElement;

  constructor() {
    this.layerLine = html('p', { class: 'layer-line' });
    this.notes = html('div', { class: 'header-notes' });
    this.status = html('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
    this.element = html('header', { class: 'panel-header' }, html('h1', {}, 'Preview normalization'), this.layerLine, this.notes, this.status);
  }

  update(state: HeaderState): void {
    const { layer } = state;
    this.layerLine.replaceChildren(
      ...(layer
        ? [html('code', {}, layer.description), html('span', { class: 'location' }, ` ${layer.documentName}:${layer.line + 1}`)]
        : ['Waiting for the layer…']),
    );
    const notes: HTMLElement[] = [];
    if (state.missingLine !== undefined) {
      notes.push(html('p', { class: 'note' }, `No normalization layer at line ${state.missingLine + 1} now; showing its last configuration until one appears.`));
    }
    if (state.unresolved.length > 0) {
      const names = state.unresolved.flatMap((name, index) => [index > 0 ? ', ' : '', html('code', {}, name)]);
      notes.push(html('p', { class: 'note' }, 'Not known from the code: ', ...names, '; the preview uses the value in the controls.'));
    }
    const mismatch = state.channelMismatch;
    if (mismatch) {
      notes.push(html('p', { class: 'note' }, `The layer expects ${mismatch.expected} channels but ${mismatch.fileName} has ${mismatch.channels}; the preview runs the layer on the file's ${mismatch.channels}.`));
    }
    this.notes.replaceChildren(...notes);
  }

  setStatus(text: string): void {
    this.status.textContent = text;
  }
}
