// Plasticity rules as the execution graph carries them (architecture.md: the graph carries "plasticity rules";
// hardware.md §7): a kernel for the two PPUs, a timer in chip time, the projections whose weights it changes,
// the observables it records and the id under which rules share their PPU memory across runs.
import type { Rule } from '@bss2/ppu';
import { ExecutionError, type ExecutionErrorDetails } from '../errors.js';

/** When a rule's kernel runs: at `start_us + k · period_us` for k = 0 .. numPeriods − 1 (µs of segment time). */
export interface PlasticityTimer {
  readonly start_us: number;
  readonly period_us: number;
  readonly numPeriods: number;
}

/** An observable of a hand-written kernel: `bytes` bytes at the global `symbol` of its local memory. */
export interface KernelObservable {
  readonly name: string;
  readonly symbol: string;
  readonly bytes: number;
}

/**
 * The kernel: a rule of `@bss2/ppu`'s rule language, or PPU assembly defining a global `kernel` (return code in
 * r3, 0 = success) that may call the runtime library (`runtimeSource()`); its observables name global symbols.
 */
export type PlasticityKernel =
  | { readonly kind: 'rule'; readonly rule: Rule }
  | { readonly kind: 'assembly'; readonly name: string; readonly source: string; readonly observables?: readonly KernelObservable[] };

export interface PlasticityRuleSpec {
  /** Names the rule in results and errors; unique in the graph. */
  readonly name: string;
  readonly kernel: PlasticityKernel;
  readonly timer: PlasticityTimer;
  /**
   * Mailbox parameters written before each run: rule kernels by param name; assembly kernels by global symbol
   * (one 32-bit word each).
   */
  readonly params?: Readonly<Record<string, number>>;
  /**
   * Rules with a `sameId` keep their PPU memory (kernel state, observables) across runs while the program on the
   * PPUs stays the same (hardware.md §7: they must be identical); without one, the memory is written afresh
   * before every run.
   */
  readonly sameId?: string;
  /** Routed projections (by name) whose weights the executor reads back after the run. */
  readonly projections?: readonly string[];
  /** Observables read after each invocation (default: all of the kernel's). */
  readonly observe?: readonly string[];
}

/** One invocation's outcome on one PPU. */
export interface PpuInvocation {
  readonly returnCode: number;
  /** Observables of this rule (bytes as the PPU holds them). */
  readonly observables: ReadonlyMap<string, Uint8Array>;
}

/** One start of the PPUs: the time it was started (µs of segment time) and what each PPU (0 top, 1 bottom) left. */
export interface RuleInvocation {
  readonly time_us: number;
  readonly ppu: readonly [PpuInvocation, PpuInvocation];
}

/** What the plasticity of one run recorded. */
export interface PlasticityResult {
  /** Per rule (by name) its invocations in time order. */
  readonly rules: ReadonlyMap<string, readonly RuleInvocation[]>;
  /** Per read-back projection (by name) each connection's hardware weight after the run (its synapses summed). */
  readonly weights: ReadonlyMap<string, readonly number[]>;
  /** Kernels that failed in this run (empty: all halted with return code 0). */
  readonly failures: readonly PlasticityFailure[];
}

/** Why a kernel failed: `error` (nonzero return code), `fault` (halted without returning: illegal instruction, bad address, instruction timeout), `overrun` (still running at the next invocation or the run's end). */
export type PlasticityFailureKind = 'error' | 'fault' | 'overrun';

export interface PlasticityFailure {
  readonly rule: string;
  readonly ppu: number;
  readonly kind: PlasticityFailureKind;
  readonly returnCode: number | undefined;
  /** The invocation's start, µs of segment time. */
  readonly time_us: number;
}

/** A plasticity rule of the graph is malformed (timer, names, parameters, projections). */
export class PlasticityRuleError extends ExecutionError {
  override name = 'PlasticityRuleError';
  readonly rule: string | undefined;
  constructor(message: string, rule: string | undefined, details: ExecutionErrorDetails = {}) {
    super(message, details);
    this.rule = rule;
  }
}

/**
 * A kernel failed during a run: it returned an error code, faulted (the PPU halted without returning: an illegal
 * instruction, a bad address, the instruction timeout) or did not halt in time. The run's other results are in
 * `result` (its spikes, traces and the other rules' observables); the chip outside the PPUs is as the run left it.
 */
export class PlasticityKernelError extends ExecutionError {
  override name = 'PlasticityKernelError';
  readonly failures: readonly PlasticityFailure[];
  /** The run's results (a RunReport, or a BatchReport's entries for runBatch). */
  readonly result: unknown;
  constructor(failures: readonly PlasticityFailure[], result: unknown) {
    const f = failures[0]!;
    const what =
      f.kind === 'error'
        ? `returned error code ${f.returnCode}`
        : f.kind === 'fault'
          ? 'stopped without returning (an illegal instruction, a bad address or the instruction timeout; return code word not written)'
          : 'was still running at the next invocation or at the end of the run';
    const more = failures.length > 1 ? ` (and ${failures.length - 1} more failure${failures.length > 2 ? 's' : ''})` : '';
    super(`plasticity rule '${f.rule}' on PPU ${f.ppu} (${f.ppu === 0 ? 'top' : 'bottom'}), invocation at ${f.time_us} µs: the kernel ${what}${more}`, { parameter: f.rule, value: f.returnCode });
    this.failures = failures;
    this.result = result;
  }
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Checks the rules of a graph; returns them unchanged. */
export function checkPlasticityRules(rules: readonly PlasticityRuleSpec[], projectionNames: ReadonlySet<string>): readonly PlasticityRuleSpec[] {
  if (!Array.isArray(rules)) throw new PlasticityRuleError(`the graph's plasticity must be a list of rules, got ${String(rules)}`, undefined, { value: rules });
  const names = new Set<string>();
  for (const rule of rules) {
    const name = rule?.name;
    if (typeof name !== 'string' || name.length === 0) throw new PlasticityRuleError(`a plasticity rule needs a name, got ${String(name)}`, undefined, { value: name });
    if (names.has(name)) throw new PlasticityRuleError(`plasticity rule '${name}' appears twice: rule names are unique in a graph`, name, { value: name });
    names.add(name);
    const fail = (what: string, value: unknown, expected: string): never => {
      throw new PlasticityRuleError(`plasticity rule '${name}': ${what} ${JSON.stringify(value) ?? String(value)} is invalid: ${expected}`, name, { parameter: what, value });
    };
    const t = rule.timer;
    if (t === null || typeof t !== 'object') fail('timer', t, 'give { start_us, period_us, numPeriods }');
    if (typeof t.start_us !== 'number' || !Number.isFinite(t.start_us) || t.start_us < 0) fail('timer.start_us', t.start_us, 'a time ≥ 0 µs');
    if (!Number.isSafeInteger(t.numPeriods) || t.numPeriods < 0) fail('timer.numPeriods', t.numPeriods, 'an integer ≥ 0');
    if (typeof t.period_us !== 'number' || !Number.isFinite(t.period_us) || !(t.period_us > 0 || (t.numPeriods <= 1 && t.period_us >= 0))) {
      fail('timer.period_us', t.period_us, 'a period > 0 µs (0 only with numPeriods ≤ 1)');
    }
    const k = rule.kernel;
    if (k?.kind === 'rule') {
      if (typeof k.rule?.name !== 'string' || k.rule.root === undefined) fail('kernel.rule', k.rule, 'a rule of @bss2/ppu defineRule()');
    } else if (k?.kind === 'assembly') {
      if (typeof k.source !== 'string') fail('kernel.source', k.source, 'PPU assembly text defining a global `kernel`');
      if (typeof k.name !== 'string' || !NAME.test(k.name)) fail('kernel.name', k.name, 'an identifier (it names the assembly file in errors)');
      for (const o of k.observables ?? []) {
        if (typeof o.name !== 'string' || o.name.length === 0 || typeof o.symbol !== 'string' || !Number.isInteger(o.bytes) || o.bytes < 1 || o.bytes > 16384) {
          fail('kernel.observables', o, '{ name, symbol, bytes 1..16384 }');
        }
      }
    } else fail('kernel', k, "{ kind: 'rule', rule } or { kind: 'assembly', name, source }");
    for (const [key, value] of Object.entries(rule.params ?? {}) as [string, number][]) {
      if (!Number.isInteger(value) || value < -(2 ** 31) || value > 2 ** 32 - 1) fail(`params.${key}`, value, 'a 32-bit integer');
    }
    for (const p of rule.projections ?? []) if (!projectionNames.has(p)) fail('projections', p, `a projection of the graph (${[...projectionNames].join(', ') || 'none'})`);
    if (rule.sameId !== undefined && (typeof rule.sameId !== 'string' || rule.sameId.length === 0)) fail('sameId', rule.sameId, 'a non-empty string');
  }
  return rules;
}
