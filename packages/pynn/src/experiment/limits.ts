// Limits of an experiment file checked before it is parsed or walked: its size, and how deeply it nests (a
// recursive walk of a 200 000-deep file would overflow the stack). Both without recursion.
import type { ExperimentIssue } from './errors.js';
import { formatPath } from './issues.js';

export interface ExperimentLimits {
  /** Largest file, UTF-8 bytes. */
  readonly maxBytes: number;
  /** Deepest nesting of arrays and objects (the document itself is level 1). */
  readonly maxDepth: number;
}

/**
 * 64 MiB holds a FromList connector with the chip's full 512 × 512 connections many times over; 64 levels are
 * far beyond the format's deepest element (about 7: `projections[0].connector.connections[0][2]`).
 */
export const EXPERIMENT_LIMITS: ExperimentLimits = { maxBytes: 64 * 2 ** 20, maxDepth: 64 };

/** The UTF-8 size of `text` if it is at most `limit` bytes, else undefined (counted no further than needed). */
function utf8BytesWithin(text: string, limit: number): number | undefined {
  if (text.length > limit) return undefined;
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
    if (bytes > limit) return undefined;
  }
  return bytes;
}

/** The file's size against `maxBytes`: an issue at the root, or undefined. */
export function sizeIssue(text: string, limits: ExperimentLimits): ExperimentIssue | undefined {
  if (utf8BytesWithin(text, limits.maxBytes) !== undefined) return undefined;
  return { path: '', message: `the file has more than ${limits.maxBytes} bytes (at least ${text.length}); experiment files are at most ${limits.maxBytes} bytes` };
}

/** Nesting of JSON text against `maxDepth`, by one scan that skips strings: an issue at the root, or undefined. */
export function textDepthIssue(text: string, limits: ExperimentLimits): ExperimentIssue | undefined {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: the next character is escaped
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      depth++;
      if (depth > limits.maxDepth) {
        return { path: '', message: `nesting deeper than ${limits.maxDepth} levels at character ${i}; experiment files nest arrays and objects at most ${limits.maxDepth} levels` };
      }
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return undefined;
}

/** Nesting of a parsed value against `maxDepth`, with an explicit stack: an issue at the first too-deep element. */
export function valueDepthIssue(json: unknown, limits: ExperimentLimits): ExperimentIssue | undefined {
  interface Node {
    readonly value: object;
    readonly depth: number;
    readonly key: string | number;
    readonly parent: Node | undefined;
  }
  if (json === null || typeof json !== 'object') return undefined;
  const stack: Node[] = [{ value: json, depth: 1, key: '', parent: undefined }];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.depth > limits.maxDepth) {
      const path: (string | number)[] = [];
      for (let n: Node | undefined = node; n?.parent !== undefined; n = n.parent) path.push(n.key);
      return { path: formatPath(path.reverse()), message: `nested ${node.depth} levels deep; experiment files nest arrays and objects at most ${limits.maxDepth} levels` };
    }
    const entries: [string | number, unknown][] = Array.isArray(node.value) ? node.value.map((v, k) => [k, v]) : Object.entries(node.value);
    for (let k = entries.length - 1; k >= 0; k--) {
      const [key, child] = entries[k]!;
      if (child !== null && typeof child === 'object') stack.push({ value: child, depth: node.depth + 1, key, parent: node });
    }
  }
  return undefined;
}
