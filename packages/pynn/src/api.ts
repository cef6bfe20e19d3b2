// PyNN's module-level functions over the one global simulator (`import * as pynn from '@bss2/pynn'`).
import type { Container } from '@bss2/lola';
import { NotSetUpError } from './errors.js';
import { cyclesToMs } from './units.js';
import type { SetupOptions } from './setup-options.js';
import { type BackendStatistics, RunCommand, Simulator } from './simulator.js';
import { currentSimulator, hasSimulator, installSimulator } from './simulator-registry.js';

/**
 * Starts a simulator: a new in-process simulated chip (or `connection`), empty network, time 0. A previous
 * simulator is ended first (its populations and data are gone; a connection it opened is closed).
 */
export function setup(options: SetupOptions = {}): Simulator {
  if (hasSimulator()) {
    const previous = currentSimulator('setup()');
    installSimulator(undefined);
    void previous.end();
  }
  const simulator = new Simulator(options);
  installSimulator(simulator);
  return simulator;
}

/**
 * Runs for `duration` ms of biological time (1 ms = 1 µs on the chip) and returns the current time (ms). With a
 * command, the reference's run commands: `run(null, RunCommand.PREPARE)` configures only, `run(t,
 * RunCommand.APPEND)` stages a snippet of `t` ms (change parameters, append more), `run(null,
 * RunCommand.EXECUTE)` runs what is staged (`run(t)` = stage and execute).
 */
export async function run(duration: number | null, command: RunCommand = RunCommand.EXECUTE): Promise<number> {
  return currentSimulator('run()').run(duration, command);
}

/** Runs until the current time is `time` ms (with APPEND: stages up to it). */
export async function runUntil(time: number, command: RunCommand = RunCommand.EXECUTE): Promise<number> {
  const simulator = currentSimulator('runUntil()');
  return simulator.run(time - simulator.time_ms, command);
}

/** PyNN's `run_for`: the same as `run`. */
export const runFor = run;

/** The current time of the segment, ms. */
export function getCurrentTime(): number {
  return currentSimulator('getCurrentTime()').time_ms;
}

/** The time resolution of inputs and outputs: one FPGA cycle, 8 ns of chip time = 0.008 ms biological. */
export function getTimeStep(): number {
  currentSimulator('getTimeStep()');
  return cyclesToMs(1);
}

/** Rewinds time to 0 and opens a new recording segment; the next run starts from rest. */
export function reset(): void {
  currentSimulator('reset()').reset();
}

/** Places, routes, calibrates and configures the chip without running. */
export async function prepare(): Promise<void> {
  await currentSimulator('prepare()').prepare();
}

/** Ends the simulation: closes the connection pynn opened; populations and data are gone. */
export async function end(): Promise<void> {
  if (!hasSimulator()) return;
  const simulator = currentSimulator('end()');
  installSimulator(undefined);
  await simulator.end();
}

/** Routing statistics, calibration and per-run figures (instructions, spikes, samples, wall times). */
export function getBackendStatistics(): BackendStatistics {
  return currentSimulator('getBackendStatistics()').statistics();
}

/** The current simulator (routing result, calibration, connection, populations). */
export function simulator(): Simulator {
  if (!hasSimulator()) throw new NotSetUpError('simulator()');
  return currentSimulator('simulator()');
}

/** The containers `setup({ injectedReadout: { preRealtime } })` asked for, as the last run read them, by coordinate. */
export function getPreRealtimeRead(): ReadonlyMap<string, Container> {
  return currentSimulator('getPreRealtimeRead()').preRealtimeRead;
}

/** The containers of `injectedReadout.postRealtime`, read after the last run. */
export function getPostRealtimeRead(): ReadonlyMap<string, Container> {
  return currentSimulator('getPostRealtimeRead()').postRealtimeRead;
}
