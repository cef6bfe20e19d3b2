// Options objects of pynn's constructors and methods (PyNN's keyword arguments): every key is either one this
// backend implements or refused by name, never ignored. TypeScript catches unknown keys of object literals at
// compile time; this check covers everything else (JavaScript callers, spread objects, experiment files).
import { describeValue } from './describe.js';
import type { PyNNError, PyNNErrorDetails } from './errors.js';

/** Keys PyNN (or the reference backend) accepts that this backend refuses, with the reason told to the user. */
export type RefusedOptions = Readonly<Record<string, string>>;

type ErrorClass = new (message: string, details?: PyNNErrorDetails) => PyNNError;

/**
 * Checks that `given` is an options object whose keys are all in `accepted`. A key of `refused` is a
 * `NotSupported` error (PyNN has it, this chip does not: the reason says why), any other unknown key an error
 * of class `Unknown` naming the key and the accepted ones. Both carry `details` (population / projection).
 */
export function checkOptions(
  given: unknown,
  owner: string,
  accepted: readonly string[],
  errors: { readonly Unknown: ErrorClass; readonly NotSupported: ErrorClass },
  details: PyNNErrorDetails = {},
  refused: RefusedOptions = {},
): void {
  if (given === undefined) return;
  if (given === null || typeof given !== 'object' || Array.isArray(given)) {
    throw new errors.Unknown(`${owner} takes an options object, got ${describeValue(given)}`, { ...details, value: given });
  }
  for (const key of Object.keys(given)) {
    if (accepted.includes(key)) continue;
    const value = (given as Record<string, unknown>)[key];
    const reason = Object.hasOwn(refused, key) ? refused[key] : undefined;
    if (reason !== undefined) throw new errors.NotSupported(`${owner}: option '${key}' is not supported: ${reason}`, { ...details, parameter: key, value });
    throw new errors.Unknown(`${owner} has no option '${key}'; options: ${accepted.length === 0 ? '(none)' : accepted.join(', ')}`, { ...details, parameter: key, value });
  }
}
