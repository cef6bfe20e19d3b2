// PyNN's PlasticityRule (hardware.md §11.1): a timer, a kernel for the PPUs and the observables it records per
// invocation. The kernel is a rule of @bss2/ppu's rule language, PPU assembly, or a function of the placement
// (the synapse rows its projections occupy: the reference's `generate_kernel()` sees them too).
import type { KernelObservable, PlasticityKernel, RuleInvocation } from '@bss2/execution';
import type { Rule, RowRange } from '@bss2/ppu';
import { describeValue } from '../describe.js';
import { chipMicrosecondsToMs } from '../units.js';
import { PlasticityError } from './errors.js';
import type { PlacedNeuron } from './neurons.js';
import { Timer } from './timer.js';

/** PPU assembly defining a global `kernel` (README of @bss2/ppu: runtime library, halt convention). */
export interface AssemblyKernel {
  readonly name: string;
  readonly source: string;
  readonly observables?: readonly KernelObservable[];
}

/**
 * What a kernel factory is told: for a rule on projections the synapse rows (same range on both hemispheres)
 * they occupy and their post neurons; for a cell's rule the population's placed neurons (reading `rows` there is
 * a PlasticityError: a cell's rule has no synapse rows).
 */
export interface KernelPlacement {
  readonly rows: RowRange;
  readonly neurons: readonly PlacedNeuron[];
}

export type KernelSource = Rule | AssemblyKernel | ((placement: KernelPlacement) => Rule | AssemblyKernel);

export interface PlasticityRuleParameters {
  readonly timer: Timer;
  readonly kernel: KernelSource;
  /** Observables read per invocation (default: all the kernel records). */
  readonly observables?: readonly string[];
  /** Rules with a sameId keep their PPU memory across runs while the program stays the same. */
  readonly sameId?: number | string;
  /** Mailbox parameters (rule-language param names, or global symbols of an assembly kernel). */
  readonly params?: Readonly<Record<string, number>>;
}

/** One invocation's observable: its time (biological ms), the bytes of each PPU, the rows of the kernel instance (undefined for a cell's rule). */
export interface ObservableRecord {
  readonly time_ms: number;
  readonly rows: RowRange | undefined;
  readonly top: Uint8Array;
  readonly bottom: Uint8Array;
}

let nextRuleId = 0;

function isRule(k: unknown): k is Rule {
  return k !== null && typeof k === 'object' && 'root' in k && 'observables' in k && 'params' in k;
}

/** `new PlasticityRule({ timer, kernel, observables, sameId, params })`. */
export class PlasticityRule {
  readonly timer: Timer;
  readonly observables: readonly string[] | undefined;
  readonly sameId: string | undefined;
  readonly label: string;
  readonly #kernel: KernelSource;
  #params: Record<string, number>;
  readonly #records = new Map<string, ObservableRecord[]>();

  constructor(parameters: PlasticityRuleParameters) {
    const p = parameters as Partial<PlasticityRuleParameters> | undefined;
    if (p === null || typeof p !== 'object') throw new PlasticityError(`PlasticityRule takes { timer, kernel, observables?, sameId?, params? }, got ${describeValue(p)}`, { value: p });
    if (!(p.timer instanceof Timer)) throw new PlasticityError(`PlasticityRule timer must be a Timer({ start, period, numPeriods }), got ${describeValue(p.timer)}`, { parameter: 'timer', value: p.timer });
    const k = p.kernel;
    const assembly = k !== null && typeof k === 'object' && typeof (k as AssemblyKernel).source === 'string' && typeof (k as AssemblyKernel).name === 'string';
    if (!(typeof k === 'function' || isRule(k) || assembly)) {
      throw new PlasticityError(`PlasticityRule kernel must be a rule (defineRule), PPU assembly { name, source } or a function of the placement, got ${describeValue(k)}`, { parameter: 'kernel', value: k });
    }
    if (p.observables !== undefined && !(Array.isArray(p.observables) && p.observables.every((o) => typeof o === 'string'))) {
      throw new PlasticityError(`PlasticityRule observables must be a list of names, got ${describeValue(p.observables)}`, { parameter: 'observables', value: p.observables });
    }
    if (p.sameId !== undefined && !(typeof p.sameId === 'string' || Number.isSafeInteger(p.sameId))) {
      throw new PlasticityError(`PlasticityRule sameId must be an integer or a string, got ${describeValue(p.sameId)}`, { parameter: 'sameId', value: p.sameId });
    }
    this.timer = p.timer;
    this.#kernel = k as KernelSource;
    this.observables = p.observables;
    this.sameId = p.sameId === undefined ? undefined : String(p.sameId);
    this.label = `rule${nextRuleId++}`;
    this.#params = {};
    for (const [name, value] of Object.entries(p.params ?? {})) this.setParameter(name, value);
  }

  /** A mailbox parameter, written before the next run (the kernel reads it; no recompilation). */
  setParameter(name: string, value: number): void {
    if (!Number.isInteger(value) || value < -(2 ** 31) || value > 2 ** 32 - 1) {
      throw new PlasticityError(`plasticity rule parameter '${name}' = ${describeValue(value)} must be a 32-bit integer`, { parameter: name, value });
    }
    this.#params = { ...this.#params, [name]: value };
  }

  get params(): Readonly<Record<string, number>> {
    return this.#params;
  }

  /** The execution layer's kernel for the rows its projections occupy. */
  kernelFor(placement: KernelPlacement): PlasticityKernel {
    const k = typeof this.#kernel === 'function' ? this.#kernel(placement) : this.#kernel;
    if (isRule(k)) return { kind: 'rule', rule: k };
    if (k !== null && typeof k === 'object' && typeof k.source === 'string') return { kind: 'assembly', name: k.name, source: k.source, ...(k.observables === undefined ? {} : { observables: k.observables }) };
    throw new PlasticityError(`the kernel function of plasticity rule ${this.label} returned ${describeValue(k)}, not a rule or PPU assembly`, { parameter: 'kernel', value: k });
  }

  /** @internal Stores a run's invocations of the kernel instance on `rows` (a cell rule: none; times from the execution layer, µs). */
  record(rows: RowRange | undefined, invocations: readonly RuleInvocation[]): void {
    for (const inv of invocations) {
      for (const [name, top] of inv.ppu[0].observables) {
        const list = this.#records.get(name) ?? [];
        list.push({ time_ms: chipMicrosecondsToMs(inv.time_us), rows, top, bottom: inv.ppu[1].observables.get(name)! });
        this.#records.set(name, list);
      }
    }
  }

  /**
   * The observables recorded so far, per name one record per invocation (and kernel instance) in time order:
   * the reference's `get_observable_array`. `clear` empties them afterwards.
   */
  getObservableData(options: { clear?: boolean } = {}): Map<string, ObservableRecord[]> {
    const out = new Map([...this.#records].map(([name, list]) => [name, [...list].sort((a, b) => a.time_ms - b.time_ms || (a.rows?.from ?? -1) - (b.rows?.from ?? -1))]));
    if (options.clear === true) this.#records.clear();
    return out;
  }
}
