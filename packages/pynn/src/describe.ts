// Values in error messages: JSON-like text that keeps what JSON cannot say (NaN, Infinity, -Infinity, undefined),
// shortened so a huge array does not become a huge message.

const NON_FINITE = '\u0000nonfinite:';
const MARKED = /"\\u0000nonfinite:(NaN|Infinity|-Infinity|undefined|a function)"/g;

/**
 * `x` as JSON text, except that non-finite numbers read `NaN`, `Infinity` and `-Infinity` (JSON.stringify writes
 * `null`), typed arrays read as arrays, and text beyond `maxLength` characters is cut with `...`.
 */
export function describeValue(x: unknown, maxLength = 80): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(x, (_key, v: unknown) => {
      if (typeof v === 'number' && !Number.isFinite(v)) return `${NON_FINITE}${String(v)}`;
      if (v === undefined) return `${NON_FINITE}undefined`;
      if (typeof v === 'function') return `${NON_FINITE}a function`;
      if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number>);
      return v;
    });
  } catch {
    // Cyclic structures and bigints: String() is all a message can say.
    text = undefined;
  }
  const out = text === undefined ? String(x) : text.replace(MARKED, '$1');
  return out.length > maxLength ? `${out.slice(0, Math.max(0, maxLength - 3))}...` : out;
}
