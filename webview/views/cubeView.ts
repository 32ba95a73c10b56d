/**
 * View 1: the classic figure of normalization methods, an N×C×(H·W) cube per method with the set
 * that holds the selected element shaded, drawn for the batch's actual N, C and G. The cube of the
 * current method is framed. Clicking a cube's top or front face selects an element; with the figure
 * focused, the arrow keys move the selection (left/right: channel, up/down: sample).
 */
import { setBox, setCount, setDescription, setIndexOf, setLayout, tensorShapeOf, valuesPerSet, type SetLayout } from '../model/normalizationSets';
import { normMethods, type NormMethod, type PreviewControls, type Selection } from '../model/previewConfig';
import { chart, html, points, svg } from './dom';
import { countOf, formatCount } from './format';

/** Front face width and height, and the offset of the back face: an oblique projection like the paper's figure. */
const frontWidth = 104;
const frontHeight = 72;
const depthX = 44;
const depthY = -32;
const originX = 30;
const originY = 116;
const chartWidth = 190;
const chartHeight = 136;
/** Beyond these counts the per-channel and per-sample lines would merge into a solid fill. */
const maxChannelLines = 64;
const maxSampleLines = 32;

type Point = readonly [number, number];

/** The projection of (channel c, sample n, height s∈[0,1]) for a cube of `channels` × `samples`. */
function projector(channels: number, samples: number): (channel: number, sample: number, height: number) => Point {
  return (channel, sample, height) => [
    originX + (channel / channels) * frontWidth + (sample / samples) * depthX,
    originY - height * frontHeight + (sample / samples) * depthY,
  ];
}

export interface CubeViewInput {
  controls: PreviewControls;
  selection: Selection;
  /** The analyzed layer's method, labelled "this layer". */
  layerMethod?: NormMethod;
}

export class CubeView {
  readonly element: HTMLElement;
  private readonly figures: HTMLElement;
  private readonly announcement: HTMLElement;
  private input?: CubeViewInput;

  constructor(private readonly onSelect: (selection: Selection) => void) {
    this.figures = html('div', {
      class: 'cubes',
      tabindex: 0,
      role: 'group',
      'aria-label': 'Normalization sets of each method. Arrow keys move the selected element: left and right change the channel, up and down the sample.',
      'aria-describedby': 'cube-selection',
    });
    this.announcement = html('p', { id: 'cube-selection', class: 'caption', 'aria-live': 'polite' });
    this.figures.addEventListener('keydown', (event) => this.onKey(event));
    this.element = html(
      'section',
      { 'aria-labelledby': 'cube-heading', class: 'view view-cubes' },
      html('h2', { id: 'cube-heading' }, 'Normalization sets'),
      html('p', { class: 'caption' }, 'Each cube is the batch: N samples deep, C channels wide, H·W spatial positions high. The shaded block is one normalization set: the values that share a mean and variance.'),
      this.figures,
      this.announcement,
    );
  }

  render(input: CubeViewInput): void {
    this.input = input;
    const { controls, selection } = input;
    const shape = tensorShapeOf(controls);
    this.figures.replaceChildren(
      ...normMethods.map((method) => this.figure(method, setLayout(method, shape, controls.groups), input)),
    );
    const current = setLayout(controls.method, shape, controls.groups);
    this.announcement.textContent =
      `Selected: sample ${selection.sample}, channel ${selection.channel}. ` +
      (typeof current === 'string' ? `${controls.method}: ${current}.` : `${controls.method} normalizes ${setDescription(controls.method, current)}; ${countOf(setCount(current), 'set')}.`);
  }

  private figure(method: NormMethod, layout: SetLayout | string, input: CubeViewInput): HTMLElement {
    const { controls, selection } = input;
    const isCurrent = method === controls.method;
    const tag = isCurrent ? (method === input.layerMethod ? ' (this layer)' : ' (selected method)') : '';
    const caption =
      typeof layout === 'string'
        ? html('figcaption', {}, html('strong', {}, method + tag), html('span', { class: 'error-text' }, layout))
        : html('figcaption', {}, html('strong', {}, method + tag), `${countOf(setCount(layout), 'set')}; ${setDescription(method, layout)}`);
    const drawing = this.drawCube(method, layout, controls, selection);
    drawing.addEventListener('click', (event) => this.onClick(event, drawing, controls));
    return html('figure', { class: isCurrent ? 'cube current' : 'cube', 'data-method': method }, drawing, caption);
  }

  private drawCube(method: NormMethod, layout: SetLayout | string, controls: PreviewControls, selection: Selection): SVGSVGElement {
    const { batchSize: samples, channels } = controls;
    const at = projector(channels, samples);
    const face = (corners: Point[], className: string): SVGElement => svg('polygon', { points: points(corners), class: className });
    const line = (from: Point, to: Point, className: string): SVGElement => svg('line', { x1: from[0], y1: from[1], x2: to[0], y2: to[1], class: className });
    const parts: SVGElement[] = [
      face([at(0, 0, 0), at(channels, 0, 0), at(channels, 0, 1), at(0, 0, 1)], 'cube-face front'),
      face([at(0, 0, 1), at(channels, 0, 1), at(channels, samples, 1), at(0, samples, 1)], 'cube-face top'),
      face([at(channels, 0, 0), at(channels, samples, 0), at(channels, samples, 1), at(channels, 0, 1)], 'cube-face side'),
    ];
    if (channels <= maxChannelLines) {
      for (let channel = 1; channel < channels; channel++) {
        parts.push(line(at(channel, 0, 0), at(channel, 0, 1), 'grid'), line(at(channel, 0, 1), at(channel, samples, 1), 'grid'));
      }
    }
    if (samples <= maxSampleLines) {
      for (let sample = 1; sample < samples; sample++) {
        parts.push(line(at(0, sample, 1), at(channels, sample, 1), 'grid'), line(at(channels, sample, 0), at(channels, sample, 1), 'grid'));
      }
    }
    if (typeof layout !== 'string' && method === 'GroupNorm' && layout.channelsPerGroup > 1) {
      for (let group = 1; group < layout.groupCount; group++) {
        const channel = group * layout.channelsPerGroup;
        parts.push(line(at(channel, 0, 0), at(channel, 0, 1), 'group-line'), line(at(channel, 0, 1), at(channel, samples, 1), 'group-line'));
      }
    }
    let label = `${method} on N=${samples}, C=${channels}, H·W=${controls.height * controls.width}`;
    if (typeof layout !== 'string') {
      const box = setBox(layout, setIndexOf(layout, selection));
      const [firstChannel, endChannel] = box.channels;
      const [firstSample, endSample] = box.samples;
      parts.push(
        face([at(firstChannel, firstSample, 0), at(endChannel, firstSample, 0), at(endChannel, firstSample, 1), at(firstChannel, firstSample, 1)], 'set-face front'),
        face([at(firstChannel, firstSample, 1), at(endChannel, firstSample, 1), at(endChannel, endSample, 1), at(firstChannel, endSample, 1)], 'set-face top'),
        face([at(endChannel, firstSample, 0), at(endChannel, endSample, 0), at(endChannel, endSample, 1), at(endChannel, firstSample, 1)], 'set-face side'),
      );
      label += `: the shaded set covers samples ${firstSample}–${endSample - 1} and channels ${firstChannel}–${endChannel - 1} over all H·W, ${formatCount(valuesPerSet(layout))} values`;
    }
    // The selected element's column, outlined on the top face.
    parts.push(
      face(
        [at(selection.channel, selection.sample, 1), at(selection.channel + 1, selection.sample, 1), at(selection.channel + 1, selection.sample + 1, 1), at(selection.channel, selection.sample + 1, 1)],
        'selected-cell',
      ),
      svg('polyline', { points: points([at(0, 0, 0), at(channels, 0, 0), at(channels, samples, 0), at(channels, samples, 1), at(0, samples, 1), at(0, 0, 1), at(0, 0, 0)]), class: 'cube-edge' }),
      line(at(0, 0, 1), at(channels, 0, 1), 'cube-edge'),
      line(at(channels, 0, 1), at(channels, 0, 0), 'cube-edge'),
      line(at(channels, 0, 1), at(channels, samples, 1), 'cube-edge'),
      axisLabel(at(channels / 2, 0, 0), 0, 16, 'middle', `C = ${channels}`),
      axisLabel(at(0, 0, 0.5), -8, 4, 'end', `H·W = ${controls.height * controls.width}`),
      axisLabel(at(channels, samples / 2, 0), 8, 10, 'start', `N = ${samples}`),
    );
    return chart(chartWidth, chartHeight, label, 'cube-chart', ...parts);
  }

  private onClick(event: MouseEvent, drawing: SVGSVGElement, controls: PreviewControls): void {
    const bounds = drawing.getBoundingClientRect();
    const x = ((event.clientX - bounds.left) * chartWidth) / bounds.width;
    const y = ((event.clientY - bounds.top) * chartHeight) / bounds.height;
    const selection = elementAt(x, y, controls, this.input?.selection ?? { sample: 0, channel: 0 });
    if (selection) this.onSelect(selection);
  }

  private onKey(event: KeyboardEvent): void {
    if (!this.input) return;
    const { selection, controls } = this.input;
    const moves: Record<string, Selection> = {
      ArrowLeft: { ...selection, channel: selection.channel - 1 },
      ArrowRight: { ...selection, channel: selection.channel + 1 },
      ArrowUp: { ...selection, sample: selection.sample + 1 },
      ArrowDown: { ...selection, sample: selection.sample - 1 },
      Home: { sample: 0, channel: 0 },
      End: { sample: controls.batchSize - 1, channel: controls.channels - 1 },
    };
    const next = moves[event.key];
    if (!next) return;
    event.preventDefault();
    if (next.channel >= 0 && next.channel < controls.channels && next.sample >= 0 && next.sample < controls.batchSize) this.onSelect(next);
  }
}

function axisLabel([x, y]: Point, offsetX: number, offsetY: number, anchor: 'start' | 'middle' | 'end', text: string): SVGElement {
  return svg('text', { x: x + offsetX, y: y + offsetY, 'text-anchor': anchor, class: 'axis-label' }, text);
}

/**
 * The element under (x, y): on the top face the point fixes both channel and sample; on the front
 * face only the channel, so the sample stays as it was.
 */
function elementAt(x: number, y: number, controls: PreviewControls, previous: Selection): Selection | undefined {
  const { channels, batchSize: samples } = controls;
  const topY = originY - frontHeight;
  const depth = (y - topY) / depthY;
  const onTop = depth >= 0 && depth <= 1;
  const channelShare = (x - originX - (onTop ? depth * depthX : 0)) / frontWidth;
  const onFront = !onTop && y >= topY && y <= originY;
  if ((!onTop && !onFront) || channelShare < 0 || channelShare > 1) return undefined;
  const channel = Math.min(channels - 1, Math.floor(channelShare * channels));
  const sample = onTop ? Math.min(samples - 1, Math.floor(depth * samples)) : previous.sample;
  return { sample, channel };
}
