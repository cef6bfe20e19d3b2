// SVG as text, so plots need no DOM and run in Node and browsers alike: escaping, coordinates and elements.
import { PlotError } from './errors.js';

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/**
 * Text safe inside an element or a quoted attribute. Control characters that XML 1.0 forbids (a label read
 * from a file may hold one) become U+FFFD instead of making the whole document unreadable.
 */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '\ufffd');
}

/** A coordinate with at most two decimals (sub-pixel detail is invisible; files stay small). */
export function px(value: number): string {
  // A NaN here is a layout bug or unchecked data; an SVG with NaN in it renders as nothing, silently.
  if (!Number.isFinite(value)) throw new PlotError(`non-finite SVG coordinate ${value}`, { value });
  const rounded = Math.round(value * 100) / 100;
  return String(rounded === 0 ? 0 : rounded);
}

export type AttributeValue = string | number | undefined;
export type Attributes = Readonly<Record<string, AttributeValue>>;

function attributeText(attributes: Attributes): string {
  let text = '';
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined) continue;
    text += ` ${key}="${typeof value === 'number' ? px(value) : escapeXml(value)}"`;
  }
  return text;
}

/** `<name …>children</name>`, or `<name …/>` without children; attribute values are escaped, numbers checked. */
export function element(name: string, attributes: Attributes, ...children: readonly string[]): string {
  const inner = children.join('');
  return inner === '' ? `<${name}${attributeText(attributes)}/>` : `<${name}${attributeText(attributes)}>${inner}</${name}>`;
}

/** A `<text>` element whose content is escaped. */
export function text(attributes: Attributes, content: string): string {
  return `<text${attributeText(attributes)}>${escapeXml(content)}</text>`;
}

/** `data-<key>` attributes from plain data. */
export function dataAttributes(data: Readonly<Record<string, string | number>> | undefined): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  for (const [key, value] of Object.entries(data ?? {})) {
    if (!/^[a-z][a-z0-9-]*$/.test(key)) throw new PlotError(`data attribute name '${key}' is not lower-case letters, digits and '-'`, { value: key });
    out[`data-${key}`] = typeof value === 'number' ? String(value) : value;
  }
  return out;
}
