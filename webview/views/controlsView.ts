/**
 * The panel's controls: method, mode, the batch's N×C×H×W, groups, eps and the seed, plus the
 * input source. Every edit is validated here (whole sizes, the element limit, a .npy file's fixed
 * shape) and only a valid set of controls is passed on, so the views recompute as the user types
 * and an invalid field is marked instead of breaking the preview.
 */
import { maxAxisSize, normMethods, type NormMethod, type PreviewControls } from '../model/previewConfig';
import { html } from './dom';
import { formatCount, formatNumber, formatShape } from './format';

export interface ControlsViewState {
  controls: PreviewControls;
  layerMethod?: NormMethod;
  maxInputElements: number;
  /** Set while a .npy file is the input: its channels and spatial size are fixed, its sample count bounds N. */
  npy?: { name: string; shape: number[] };
  /** Set while the host reads a .npy file or after reading failed. */
  inputStatus?: string;
}

export interface ControlsHandlers {
  onChange(controls: PreviewControls): void;
  onPickNpy(): void;
  onUseSynthetic(): void;
  onResetToLayer(): void;
}

type NumberField = 'batchSize' | 'channels' | 'height' | 'width' | 'groups' | 'seed';

const numberFields: { key: NumberField; label: string; hint: string }[] = [
  { key: 'batchSize', label: 'Batch N', hint: 'samples in the batch the layer sees' },
  { key: 'channels', label: 'Channels C', hint: 'channels of the input' },
  { key: 'height', label: 'Height H', hint: 'spatial height' },
  { key: 'width', label: 'Width W', hint: 'spatial width' },
  { key: 'groups', label: 'Groups G', hint: 'GroupNorm groups; must divide C' },
  { key: 'seed', label: 'Seed', hint: 'seed of the synthetic data and of the mini-batch draws' },
];

export class ControlsView {
  readonly element: HTMLElement;
  private readonly method: HTMLSelectElement;
  private readonly mode: HTMLSelectElement;
  private readonly eps: HTMLInputElement;
  private readonly numbers = new Map<NumberField, HTMLInputElement>();
  private readonly problem: HTMLElement;
  private readonly inputLine: HTMLElement;
  private readonly useSynthetic: HTMLButtonElement;
  private readonly resetToLayer: HTMLButtonElement;
  private state?: ControlsViewState;

  constructor(private readonly handlers: ControlsHandlers) {
    this.method = html('select', { id: 'control-method' });
    this.mode = html('select', { id: 'control-mode' }, html('option', { value: 'train' }, 'train'), html('option', { value: 'eval' }, 'eval'));
    this.eps = html('input', { id: 'control-eps', type: 'text', inputmode: 'decimal', spellcheck: 'false', 'aria-describedby': 'controls-problem' });
    const fields: HTMLElement[] = [field('control-method', 'Method', this.method), field('control-mode', 'Mode', this.mode)];
    for (const { key, label, hint } of numberFields) {
      const input = html('input', { id: `control-${key}`, type: 'number', min: key === 'seed' ? 0 : 1, step: 1, title: hint, 'aria-describedby': 'controls-problem' });
      this.numbers.set(key, input);
      fields.push(field(input.id, label, input));
    }
    fields.push(field('control-eps', 'eps', this.eps));
    this.problem = html('p', { id: 'controls-problem', class: 'problem', role: 'alert' });
    this.inputLine = html('span', { class: 'input-name' });
    const pickNpy = html('button', { type: 'button' }, 'Load .npy…');
    this.useSynthetic = html('button', { type: 'button', class: 'secondary' }, 'Use synthetic data');
    this.resetToLayer = html('button', { type: 'button', class: 'secondary' }, 'Reset to the layer');
    pickNpy.addEventListener('click', () => this.handlers.onPickNpy());
    this.useSynthetic.addEventListener('click', () => this.handlers.onUseSynthetic());
    this.resetToLayer.addEventListener('click', () => this.handlers.onResetToLayer());
    const form = html('form', { class: 'controls', 'aria-label': 'Preview settings' }, ...fields);
    form.addEventListener('input', () => this.onInput());
    form.addEventListener('submit', (event) => event.preventDefault());
    this.element = html(
      'div',
      { class: 'controls-bar' },
      form,
      html('div', { class: 'input-source' }, html('span', { class: 'label' }, 'Input: '), this.inputLine, pickNpy, this.useSynthetic, this.resetToLayer),
      this.problem,
    );
  }

  update(state: ControlsViewState): void {
    this.state = state;
    const { controls } = state;
    this.method.replaceChildren(...normMethods.map((method) => html('option', { value: method }, method === state.layerMethod ? `${method} (this layer)` : method)));
    this.method.value = controls.method;
    this.mode.value = controls.mode;
    // The field being typed in keeps its text ("1e-" is on its way to "1e-3"); the others show the controls.
    for (const [key, input] of this.numbers) {
      if (input !== document.activeElement) input.value = String(controls[key]);
      input.max = String(key === 'batchSize' && state.npy ? state.npy.shape[0] : key === 'seed' ? 2 ** 32 - 1 : maxAxisSize);
      input.disabled = state.npy !== undefined && (key === 'channels' || key === 'height' || key === 'width');
    }
    if (this.eps !== document.activeElement) this.eps.value = formatNumber(controls.eps);
    this.inputLine.textContent = state.inputStatus ?? (state.npy ? `${state.npy.name} (${formatShape(state.npy.shape)})` : `synthetic, seed ${controls.seed}`);
    this.useSynthetic.hidden = state.npy === undefined;
    this.resetToLayer.hidden = state.layerMethod === undefined;
    this.showProblem(undefined);
  }

  private onInput(): void {
    if (!this.state) return;
    const read = this.read(this.state);
    if (typeof read === 'string') {
      this.showProblem(read);
      return;
    }
    this.showProblem(undefined);
    this.handlers.onChange(read);
  }

  /** The controls the fields describe, or what is wrong with them (and the offending field marked). */
  private read(state: ControlsViewState): PreviewControls | string {
    const controls: PreviewControls = { ...state.controls, method: this.method.value as NormMethod, mode: this.mode.value === 'eval' ? 'eval' : 'train' };
    for (const input of [...this.numbers.values(), this.eps]) input.removeAttribute('aria-invalid');
    for (const { key, label } of numberFields) {
      const input = this.numbers.get(key) as HTMLInputElement;
      const value = Number(input.value);
      const min = key === 'seed' ? 0 : 1;
      const max = Number(input.max);
      if (input.value.trim() === '' || !Number.isInteger(value) || value < min || value > max) {
        input.setAttribute('aria-invalid', 'true');
        return `${label} should be a whole number from ${formatCount(min)} to ${formatCount(max)}`;
      }
      controls[key] = value;
    }
    const eps = Number(this.eps.value);
    if (this.eps.value.trim() === '' || !Number.isFinite(eps) || eps < 0 || eps > 1) {
      this.eps.setAttribute('aria-invalid', 'true');
      return 'eps should be a number from 0 to 1, such as 1e-5';
    }
    controls.eps = eps;
    const elements = controls.batchSize * controls.channels * controls.height * controls.width;
    if (elements > state.maxInputElements) {
      this.numbers.get('batchSize')?.setAttribute('aria-invalid', 'true');
      return `N×C×H×W = ${formatCount(elements)} values is over the limit of ${formatCount(state.maxInputElements)} (setting normlint.preview.maxInputElements)`;
    }
    return controls;
  }

  private showProblem(problem: string | undefined): void {
    this.problem.textContent = problem ?? '';
    this.problem.hidden = problem === undefined;
  }
}

function field(id: string, label: string, control: HTMLElement): HTMLElement {
  return html('div', { class: 'field' }, html('label', { for: id }, label), control);
}
