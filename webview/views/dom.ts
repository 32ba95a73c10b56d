/**
 * Tiny element builders for the panel's views. Attributes go through setAttribute and text through
 * text nodes, never innerHTML, so nothing a message carries can become markup; and no `style`
 * attribute is ever written, because the panel's CSP allows no inline styles.
 */

type Attributes = Record<string, string | number | boolean | undefined>;
type Child = Node | string | undefined | false;

function applyAttributes(element: Element, attributes: Attributes): void {
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? '' : String(value));
  }
}

function appendChildren(element: Element, children: Child[]): void {
  for (const child of children) {
    if (child === undefined || child === false) continue;
    element.append(child);
  }
}

export function html<Tag extends keyof HTMLElementTagNameMap>(tag: Tag, attributes: Attributes = {}, ...children: Child[]): HTMLElementTagNameMap[Tag] {
  const element = document.createElement(tag);
  applyAttributes(element, attributes);
  appendChildren(element, children);
  return element;
}

const svgNamespace = 'http://www.w3.org/2000/svg';

export function svg<Tag extends keyof SVGElementTagNameMap>(tag: Tag, attributes: Attributes = {}, ...children: Child[]): SVGElementTagNameMap[Tag] {
  const element = document.createElementNS(svgNamespace, tag);
  applyAttributes(element, attributes);
  appendChildren(element, children);
  return element;
}

/** An SVG chart that screen readers announce as one image with `label`, and sighted users see as a tooltip. */
export function chart(width: number, height: number, label: string, className: string, ...children: Child[]): SVGSVGElement {
  return svg('svg', { viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', 'aria-label': label, class: className }, svg('title', {}, label), ...children);
}

/** "x,y x,y …" for polygon and polyline points. */
export function points(coordinates: readonly (readonly [number, number])[]): string {
  return coordinates.map(([x, y]) => `${round(x)},${round(y)}`).join(' ');
}

/** Two decimals are finer than a pixel and keep the SVG small. */
function round(value: number): number {
  return Math.round(value * 100) / 100;
}
