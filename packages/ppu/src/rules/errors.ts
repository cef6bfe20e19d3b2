import { PpuError } from '../errors.js';

/** A rule was built wrongly: a value out of range, a value used outside its scope, a duplicate name. */
export class RuleDefinitionError extends PpuError {
  override name = 'RuleDefinitionError';
  constructor(
    /** The rule's name. */
    readonly rule: string,
    /** The operation or argument at fault (`shl`, `rows.from`, `param 'eta'`). */
    readonly where: string,
    /** What was given. */
    readonly value: unknown,
    /** What is allowed. */
    readonly expected: string,
  ) {
    super(`rule '${rule}': ${where} = ${describe(value)} is not allowed (${expected})`);
  }
}

/** The rule needs more vector registers at one point than the PPU has (32): no spilling. */
export class RuleRegisterError extends PpuError {
  override name = 'RuleRegisterError';
  constructor(
    readonly rule: string,
    /** The operation that found no free register. */
    readonly operation: string,
    /** Values live at that point. */
    readonly live: number,
    readonly available: number,
  ) {
    super(
      `rule '${rule}': ${operation} needs a vector register but all ${available} hold live values (${live} live); ` +
        `compute fewer values outside the row loop or reuse them`,
    );
  }
}

/** A rule compiled but does not fit the PPU (observables and code beyond the local memory), or a host value is wrong. */
export class RuleCompileError extends PpuError {
  override name = 'RuleCompileError';
  constructor(
    readonly rule: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`rule '${rule}': ${reason}`, options);
  }
}

function describe(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'number' || typeof value === 'boolean' || value === undefined || value === null) return String(value);
  try {
    return JSON.stringify(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}
