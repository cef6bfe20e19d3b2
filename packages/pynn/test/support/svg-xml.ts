// A strict little XML reader for the SVG our plots write: every tag closed in order, attributes quoted and
// unique, no raw `<` or stray `&` in text, no NaN or Infinity in any attribute, one <svg> root. Throws on
// anything else.

export interface SvgElement {
  readonly name: string;
  readonly attributes: Record<string, string>;
  readonly children: SvgElement[];
  text: string;
}

const ENTITY = /&(?!(amp|lt|gt|quot|apos);)/;

export function parseSvg(xml: string): SvgElement {
  const root: SvgElement = { name: '#document', attributes: {}, children: [], text: '' };
  const stack: SvgElement[] = [root];
  const token = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|<!--[\s\S]*?-->|([^<]+)/gy;
  let position = 0;
  while (position < xml.length) {
    token.lastIndex = position;
    const match = token.exec(xml);
    if (match === null) throw new Error(`malformed XML at ${position}: ${xml.slice(position, position + 40)}`);
    position = token.lastIndex;
    const [whole, closing, name, attributeText, selfClosing, text] = match;
    if (whole.startsWith('<!--')) continue;
    if (text !== undefined) {
      if (ENTITY.test(text)) throw new Error(`unescaped & in ${text}`);
      if (stack.length === 1 && text.trim() !== '') throw new Error(`text outside the root: ${text}`);
      stack[stack.length - 1]!.text += text;
      continue;
    }
    if (closing === '/') {
      const open = stack.pop();
      if (open?.name !== name) throw new Error(`</${name}> closes <${open?.name}>`);
      continue;
    }
    const attributes: Record<string, string> = {};
    for (const [, key, value] of attributeText!.matchAll(/([\w:-]+)="([^"]*)"/g)) {
      if (key! in attributes) throw new Error(`duplicate attribute ${key} on <${name}>`);
      if (ENTITY.test(value!)) throw new Error(`unescaped & in ${key}="${value}"`);
      if (/NaN|Infinity|undefined/.test(value!)) throw new Error(`<${name} ${key}="${value}">`);
      attributes[key!] = value!;
    }
    const element: SvgElement = { name: name!, attributes, children: [], text: '' };
    stack[stack.length - 1]!.children.push(element);
    if (selfClosing !== '/') stack.push(element);
  }
  if (stack.length !== 1) throw new Error(`unclosed <${stack[stack.length - 1]!.name}>`);
  if (root.children.length !== 1 || root.children[0]!.name !== 'svg') throw new Error('not one <svg> root');
  return root.children[0]!;
}

export function findAll(element: SvgElement, predicate: (e: SvgElement) => boolean): SvgElement[] {
  return [...(predicate(element) ? [element] : []), ...element.children.flatMap((c) => findAll(c, predicate))];
}

export const byClass = (root: SvgElement, cls: string): SvgElement[] => findAll(root, (e) => e.attributes.class === cls);
export const byName = (root: SvgElement, name: string): SvgElement[] => findAll(root, (e) => e.name === name);

/** Texts of the tick labels in an axis group, as numbers (d3 writes U+2212 for minus). */
export function tickValues(axis: SvgElement): number[] {
  return byName(axis, 'text').map((e) => Number(e.text.replace(/\u2212/g, '-').replace(/,/g, '')));
}

/** The points of a path written by d3's line(): [x, y] after each M or L. */
export function pathPoints(d: string): [number, number][] {
  return [...d.matchAll(/[ML](-?[\d.]+(?:e-?\d+)?),(-?[\d.]+(?:e-?\d+)?)/g)].map(([, x, y]) => [Number(x), Number(y)]);
}

/** The x, y, width, height of a rect as numbers. */
export function box(rect: SvgElement): { x0: number; y0: number; x1: number; y1: number } {
  const [x, y, w, h] = ['x', 'y', 'width', 'height'].map((k) => Number(rect.attributes[k]));
  return { x0: x!, y0: y!, x1: x! + w!, y1: y! + h! };
}
