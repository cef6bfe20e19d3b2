// What a population records: per neuron (and location of a multi-compartment neuron) its variables and the
// device of its membrane, with the sampling intervals asked for; read by the recording plan (recording.ts).

import { describeValue } from './describe.js';
import { RecordingError } from './errors.js';
import { McNeuron } from './multicompartment.js';
import type { Population } from './populations.js';

/** Where an analog variable is recorded (hardware.md §11.1 `device`). */
export type RecordingDevice = 'madc' | 'cadc';

/**
 * Which variables of which neurons are recorded, per location (compartment of a multi-compartment neuron; one
 * location for every other cell type).
 */
export class Recorder {
  /** Per site `index · locations + location`: the variables recorded. */
  readonly #variables: Set<string>[];
  /** Sites whose membrane the CADC records (`record('v', { device: 'cadc' })`) instead of the MADC. */
  readonly #cadc: Set<number> = new Set();
  readonly locations: number;
  samplingInterval_ms: number | undefined;
  /** The CADC sampling interval asked for, ms (biological). */
  cadcInterval_ms: number | undefined;
  /** Bumped on every change so the simulator knows when to re-check recording limits and routing. */
  version = 0;

  constructor(size: number, locations = 1) {
    this.locations = locations;
    this.#variables = Array.from({ length: size * locations }, () => new Set<string>());
  }

  add(index: number, variable: string, device: RecordingDevice = 'madc', location = 0): void {
    const site = index * this.locations + location;
    if (!this.#variables[site]!.has(variable)) {
      this.#variables[site]!.add(variable);
      this.version++;
    }
    if (variable !== 'v') return;
    if (device === 'cadc') this.#cadc.add(site);
    else this.#cadc.delete(site);
  }

  /** The device recording `variable` of neuron `index` at `location` (the CADC only ever records `v`). */
  deviceOf(index: number, variable: string, location = 0): RecordingDevice {
    return variable === 'v' && this.#cadc.has(index * this.locations + location) ? 'cadc' : 'madc';
  }

  /** Stops recording neuron `index` (every location). */
  clear(index: number): void {
    for (let location = 0; location < this.locations; location++) {
      const site = index * this.locations + location;
      if (this.#variables[site]!.size > 0) {
        this.#variables[site]!.clear();
        this.version++;
      }
      this.#cadc.delete(site);
    }
    // The sampling intervals belong to the analog recordings: they go with the last of them.
    const analogOnMadc = this.#variables.some((set, site) => [...set].some((v) => v !== 'spikes' && !(v === 'v' && this.#cadc.has(site))));
    if (!analogOnMadc) this.samplingInterval_ms = undefined;
    if (this.#cadc.size === 0) this.cadcInterval_ms = undefined;
  }

  variablesOf(index: number, location = 0): ReadonlySet<string> {
    return this.#variables[index * this.locations + location]!;
  }

  /** Whether any neuron records `variable` (or anything, without an argument). */
  any(variable?: string): boolean {
    return this.#variables.some((s) => (variable === undefined ? s.size > 0 : s.has(variable)));
  }
}

/** The compartments `locations` names for `p` (compartment 0 by default); locations of a one-location cell type are refused. */
export function recordingLocations(p: Population, locations: string | readonly string[] | undefined, group: string): number[] {
  const cellType = p.cellType;
  if (!(cellType instanceof McNeuron)) {
    if (locations === undefined) return [0];
    throw new RecordingError(
      `record() of '${group}': locations ${describeValue(locations)} select compartments of multi-compartment neurons (createMcNeuron); ${cellType.modelName} of population '${p.label}' has one location`,
      { population: p.label, parameter: 'locations', value: locations },
    );
  }
  if (locations === undefined) return [0];
  const list: unknown[] = typeof locations === 'string' ? [locations] : Array.isArray(locations) ? locations : [locations];
  if (list.length === 0) throw new RecordingError(`record() of '${group}': locations is empty; name at least one compartment label`, { population: p.label, parameter: 'locations', value: locations });
  return [...new Set(list.map((label) => cellType.compartmentOf(label, `record() of population '${p.label}'`, RecordingError, { population: p.label, parameter: 'locations' })))];
}
