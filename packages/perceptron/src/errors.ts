// Typed errors of the perceptron front end: each names the op or layer, the offending value and the rule.

export interface PerceptronErrorDetails {
  /** Where: the op or layer (`matmul`, `Linear(5 → 100)`). */
  readonly op: string;
  readonly parameter?: string;
  readonly value?: unknown;
  readonly rule?: string;
}

export class PerceptronError extends Error {
  override name = 'PerceptronError';
  readonly op: string;
  readonly parameter: string | undefined;
  readonly value: unknown;
  readonly rule: string | undefined;
  constructor(message: string, details: PerceptronErrorDetails) {
    super(message);
    this.op = details.op;
    this.parameter = details.parameter;
    this.value = details.value;
    this.rule = details.rule;
  }
}

/** A value outside its rule: a non-integer or out-of-range input, weight or int8 value, a bad option. */
export class PerceptronValueError extends PerceptronError {
  override name = 'PerceptronValueError';
  constructor(op: string, parameter: string, value: unknown, rule: string, advice?: string) {
    super(`${op}: ${parameter} = ${describeValue(value)} is invalid: ${rule}${advice === undefined ? '' : `; ${advice}`}`, { op, parameter, value, rule });
  }
}

/** Shapes that do not fit: ranks, inner dimensions, array lengths, kernels larger than their input. */
export class PerceptronShapeError extends PerceptronError {
  override name = 'PerceptronShapeError';
  constructor(op: string, parameter: string, value: unknown, rule: string) {
    super(`${op}: ${parameter} is ${describeValue(value)}, expected ${rule}`, { op, parameter, value, rule });
  }
}

/** The device answered something that is not a MAC result of the request (block count, lengths, values). */
export class PerceptronDeviceError extends PerceptronError {
  override name = 'PerceptronDeviceError';
  constructor(op: string, parameter: string, value: unknown, rule: string) {
    super(`${op}: the device returned ${parameter} = ${describeValue(value)}, expected ${rule}`, { op, parameter, value, rule });
  }
}

/** An op that needs a backend got none: no `backend` option, no `mock: true`, no `initHardware` before. */
export class NoBackendError extends PerceptronError {
  override name = 'NoBackendError';
  constructor(op: string) {
    const rule = 'a backend: pass { backend } or { mock: true }, or call initHardware({ device }) first';
    super(`${op}: no hardware is initialised; ${rule}`, { op, rule });
  }
}

/** How a value is printed in messages: shapes as [a, b], non-finite numbers by name, long things cut. */
export function describeValue(value: unknown): string {
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (value === undefined || value === null) return String(value);
  if (Array.isArray(value)) return value.length <= 8 ? `[${value.map(describeValue).join(', ')}]` : `an array of ${value.length}`;
  if (ArrayBuffer.isView(value)) return `${value.constructor.name}(${(value as unknown as ArrayLike<number>).length})`;
  if (typeof value === 'object') return `an object (${(value as object).constructor?.name ?? 'Object'})`;
  return String(value);
}
