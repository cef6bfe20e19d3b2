// PyNN's current sources (DCSource, StepCurrentSource), realised through each neuron's offset current
// (`constant_current`, hardware.md §3.2, §8.1). The offset current's magnitude is a CapMem cell, which settles
// with τ = 2 ms of chip time (§3.8, 2 s biological): it cannot step within a run. Its switch (`enable`) and its
// direction (`type`: source or sink) are NeuronConfig bits that act at once. So a neuron's total offset current
// (i_offset plus the sources injected into it) may step between 0, +M and −M for one magnitude M per neuron;
// the run is cut at the step times, each part with the switches of its time (the execution layer's runs that
// continue the segment). Any other schedule is refused, naming the neuron, the currents and the rule.
import { describeValue } from './describe.js';
import { NotSupportedError, ParameterError } from './errors.js';
import { checkOptions } from './options.js';
import type { BasePopulation, ID, Population } from './populations.js';
import { cyclesToMs, msToCycles } from './units.js';

/** Offset currents nearer than this (nA, model) count as equal: well below one CapMem LSB (≈ 0.003 nA model). */
const CURRENT_EPSILON_NA = 1e-9;

export abstract class CurrentSource {
  abstract readonly name: string;
  readonly #targets: ID[] = [];
  /** Bumped when parameters or targets change. */
  version = 0;

  /** The neurons this source drives. */
  get targets(): readonly ID[] {
    return this.#targets;
  }

  /** PyNN's `inject_into(cells)`: drives every member of `cells` (model neurons only). */
  injectInto(cells: BasePopulation): void {
    const members = cells.members();
    for (const m of members) {
      const cellType = m.population.cellType;
      if (!cellType.isNeuron) {
        throw new ParameterError(`${this.name} cannot be injected into population '${m.population.label}': ${cellType.modelName} is a spike source, not a neuron`, { population: m.population.label });
      }
      if (cellType.kind !== 'lif') {
        throw new NotSupportedError(
          `${this.name} cannot be injected into population '${m.population.label}' (${cellType.modelName}): current sources drive the offset current of model neurons in nA; an HXNeuron's offset current is its raw constant_current_i_offset (CapMem LSB)`,
          { population: m.population.label },
        );
      }
    }
    for (const m of members) if (!this.#targets.some((t) => t.id === m.id)) this.#targets.push(m);
    for (const p of new Set(members.map((m) => m.population))) p.simulatorFor(`${this.name}.injectInto()`).addCurrentSource(this);
    this.version++;
  }

  /** Amplitude (nA) at time `t_ms` of the segment. */
  abstract amplitudeAt(t_ms: number): number;

  /** The times (ms) at which the amplitude changes. */
  abstract changeTimes(): number[];

  /** PyNN's `set_parameters(…)`: changes parameters, checked as at construction. */
  abstract set(parameters: Readonly<Record<string, unknown>>): void;
}

function finiteNumber(owner: string, name: string, value: unknown, min = -Infinity): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw new ParameterError(`${owner} ${name} = ${describeValue(value)} is invalid: must be a finite number${min > -Infinity ? ` ≥ ${min}` : ''}`, { parameter: name, value });
  }
  return value;
}

const SOURCE_ERRORS = { Unknown: ParameterError, NotSupported: NotSupportedError } as const;

export interface DCSourceParameters {
  /** nA (default 1). */
  readonly amplitude?: number;
  /** ms (default 0). */
  readonly start?: number;
  /** ms (default: never). */
  readonly stop?: number;
}

/** PyNN's DCSource: `amplitude` (nA) from `start` to `stop` (ms). */
export class DCSource extends CurrentSource {
  readonly name = 'DCSource';
  amplitude = 1;
  start = 0;
  stop = Infinity;

  constructor(parameters: DCSourceParameters = {}) {
    super();
    this.set(parameters as Readonly<Record<string, unknown>>);
  }

  set(parameters: Readonly<Record<string, unknown>>): void {
    checkOptions(parameters, 'DCSource', ['amplitude', 'start', 'stop'], SOURCE_ERRORS);
    const amplitude = finiteNumber('DCSource', 'amplitude', parameters.amplitude ?? this.amplitude);
    const start = finiteNumber('DCSource', 'start', parameters.start ?? this.start, 0);
    const stop = parameters.stop === undefined ? this.stop : finiteNumber('DCSource', 'stop', parameters.stop, 0);
    if (stop < start) throw new ParameterError(`DCSource stop = ${stop} ms lies before start = ${start} ms`, { parameter: 'stop', value: stop });
    Object.assign(this, { amplitude, start, stop });
    this.version++;
  }

  amplitudeAt(t_ms: number): number {
    return t_ms >= this.start && t_ms < this.stop ? this.amplitude : 0;
  }

  changeTimes(): number[] {
    return [this.start, this.stop].filter((t) => t > 0 && Number.isFinite(t));
  }
}

export interface StepCurrentSourceParameters {
  /** ms, ascending. */
  readonly times?: readonly number[];
  /** nA, one per time: `amplitudes[k]` from `times[k]` until the next time (0 before the first). */
  readonly amplitudes?: readonly number[];
}

/** PyNN's StepCurrentSource: `amplitudes[k]` (nA) from `times[k]` (ms) on. */
export class StepCurrentSource extends CurrentSource {
  readonly name = 'StepCurrentSource';
  times: readonly number[] = [];
  amplitudes: readonly number[] = [];

  constructor(parameters: StepCurrentSourceParameters = {}) {
    super();
    this.set(parameters as Readonly<Record<string, unknown>>);
  }

  set(parameters: Readonly<Record<string, unknown>>): void {
    checkOptions(parameters, 'StepCurrentSource', ['times', 'amplitudes'], SOURCE_ERRORS);
    const list = (name: string, value: unknown, min?: number) => {
      if (!Array.isArray(value) && !ArrayBuffer.isView(value)) throw new ParameterError(`StepCurrentSource ${name} must be a list of numbers, got ${describeValue(value)}`, { parameter: name, value });
      return Array.from(value as ArrayLike<unknown>, (x, k) => finiteNumber('StepCurrentSource', `${name}[${k}]`, x, min));
    };
    const times = list('times', parameters.times ?? this.times, 0);
    const amplitudes = list('amplitudes', parameters.amplitudes ?? this.amplitudes);
    if (times.length !== amplitudes.length) {
      throw new ParameterError(`StepCurrentSource has ${times.length} times and ${amplitudes.length} amplitudes: one amplitude per time`, { parameter: 'amplitudes', value: amplitudes.length });
    }
    for (let k = 1; k < times.length; k++) {
      if (times[k]! <= times[k - 1]!) throw new ParameterError(`StepCurrentSource times must ascend strictly: times[${k}] = ${times[k]} ≤ ${times[k - 1]}`, { parameter: 'times', value: times[k] });
    }
    this.times = times;
    this.amplitudes = amplitudes;
    this.version++;
  }

  amplitudeAt(t_ms: number): number {
    let amplitude = 0;
    for (let k = 0; k < this.times.length && this.times[k]! <= t_ms; k++) amplitude = this.amplitudes[k]!;
    return amplitude;
  }

  changeTimes(): number[] {
    return this.times.filter((t) => t > 0);
  }
}

/** A neuron's offset current at one time and the one magnitude its schedule uses (nA, model). */
export interface OffsetDrive {
  readonly now_nA: number;
  readonly magnitude_nA: number;
}

/** Times (ms, on the cycle grid) inside (from, to) where a source changes, ascending: the run is cut there. */
export function cutTimes(sources: readonly CurrentSource[], from_ms: number, to_ms: number): number[] {
  const times = new Set<number>();
  for (const s of sources) {
    for (const t of s.changeTimes()) {
      const onGrid = cyclesToMs(msToCycles(t));
      if (onGrid > from_ms && onGrid < to_ms) times.add(onGrid);
    }
  }
  return [...times].sort((a, b) => a - b);
}

/**
 * Per member of `p` driven by a source, its offset current at `t_ms` and its magnitude; undefined for a
 * population no source drives. A schedule with two magnitudes is a NotSupportedError naming the neuron.
 */
export function offsetDrives(p: Population, sources: readonly CurrentSource[], t_ms: number): (OffsetDrive | undefined)[] | undefined {
  const driving = sources.filter((s) => s.targets.some((m) => m.population === p));
  if (driving.length === 0) return undefined;
  return Array.from({ length: p.size }, (_, i) => {
    const own = driving.filter((s) => s.targets.some((m) => m.population === p && m.index === i));
    if (own.length === 0) return undefined;
    const offset = p.parameterValue('i_offset', i) as number;
    const total = (t: number) => offset + own.reduce((sum, s) => sum + s.amplitudeAt(t), 0);
    // Every interval of the schedule: before the first change, and from each change on.
    const changes = [0, ...own.flatMap((s) => s.changeTimes())].sort((a, b) => a - b);
    const levels = changes.map(total);
    const magnitude = Math.max(...levels.map(Math.abs));
    const other = levels.find((level) => Math.abs(level) > CURRENT_EPSILON_NA && Math.abs(Math.abs(level) - magnitude) > CURRENT_EPSILON_NA);
    if (other !== undefined) {
      throw new NotSupportedError(
        `population '${p.label}' neuron ${i}: its offset current (i_offset ${offset} nA + ${own.map((s) => s.name).join(' + ')}) steps through ${[...new Set(levels)].join(', ')} nA; the chip switches its offset current on, off and in sign at once, but its magnitude is a CapMem cell that settles for milliseconds of chip time (hardware.md §3.8), so the current may take 0 and ±one magnitude only (here ±${magnitude} nA, not ${other} nA)`,
        { population: p.label, parameter: 'amplitude', value: other },
      );
    }
    return { now_nA: total(t_ms), magnitude_nA: magnitude };
  });
}
