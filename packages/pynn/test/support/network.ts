// Shared pieces of the end-to-end tests: the fast chip set-up, the bypass neuron that reports its inputs, and
// readers of recorded data.
import { expect } from 'vitest';
import * as pynn from '../../src/index.js';

/** No fixed-pattern variation and the §8.3 transfer functions: exact model parameters without measuring. */
export const IDEAL = { idealChip: true, calibration: 'nominal' } as const satisfies pynn.SetupOptions;

/**
 * An HXNeuron that fires exactly when an excitatory event reaches it (hardware.md §3.4, bypass mode): its output
 * spike time is the input spike time, so which neurons fire, and when, shows which connections exist.
 */
export function bypassNeuron(): pynn.HXNeuron {
  return new pynn.HXNeuron({ event_routing_enable_bypass_excitatory: true, excitatory_input_enable: true });
}

/** Spike times (ms) per member of `group` in segment `segment` (default: the last). */
export function spikeTimes(group: pynn.BasePopulation, segment = -1): number[][] {
  const segments = group.getData('spikes').segments;
  const s = segments.at(segment)!;
  expect(s.spiketrains).toHaveLength(group.size);
  return s.spiketrains.map((st) => Array.from(st.times));
}

/** The one analog signal of `group` in the last segment. */
export function signalOf(group: pynn.BasePopulation, variable: string): pynn.AnalogSignal {
  const signals = group.getData(variable).segments.at(-1)!.analogsignals;
  expect(signals).toHaveLength(1);
  return signals[0]!;
}

/** Mean of the values of `signal` sampled in [from_ms, to_ms). */
export function meanIn(signal: pynn.AnalogSignal, from_ms: number, to_ms: number): number {
  let sum = 0;
  let count = 0;
  signal.times.forEach((t, i) => {
    if (t >= from_ms && t < to_ms) {
      sum += signal.values[i]!;
      count++;
    }
  });
  expect(count).toBeGreaterThan(0);
  return sum / count;
}

/** Largest and smallest value of `signal` in [from_ms, to_ms). */
export function extremaIn(signal: pynn.AnalogSignal, from_ms: number, to_ms: number): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  signal.times.forEach((t, i) => {
    if (t >= from_ms && t < to_ms) {
      min = Math.min(min, signal.values[i]!);
      max = Math.max(max, signal.values[i]!);
    }
  });
  expect(max).toBeGreaterThanOrEqual(min);
  return { min, max };
}

/** `[pre, post]` pairs as sorted strings, for comparing connection sets. */
export function pairSet(pairs: Iterable<{ readonly pre: number; readonly post: number }>): string[] {
  return [...new Set([...pairs].map((c) => `${c.pre}→${c.post}`))].sort();
}

/** The error `action` throws, checked to be a `type`. */
export function thrown<E extends Error>(type: abstract new (...args: never[]) => E, action: () => unknown): E {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(type);
    return error as E;
  }
  throw new Error(`expected ${type.name}, nothing was thrown`);
}

/** The error `action` rejects with, checked to be a `type`. */
export async function rejected<E extends Error>(type: abstract new (...args: never[]) => E, action: () => Promise<unknown>): Promise<E> {
  try {
    await action();
  } catch (error) {
    expect(error).toBeInstanceOf(type);
    return error as E;
  }
  throw new Error(`expected ${type.name}, the promise resolved`);
}

/** The circuit (AtomicNeuronOnDLS enum: 256 · row + column) a neuron is placed on, after prepare() or run(). */
export function circuitOf(population: pynn.Population, index: number): number {
  const routing = pynn.simulator().routing;
  if (routing === undefined) throw new Error('not routed yet');
  return routing.logicalNeurons(population.label)[index]!.atomicNeurons()[0]!.value;
}
