// The one global simulator state PyNN's module-level API works on (setup() → … → end()).
import { NotSetUpError } from './errors.js';
import type { Simulator } from './simulator.js';

export type { Simulator };

let current: Simulator | undefined;

export function currentSimulator(what: string): Simulator {
  if (current === undefined) throw new NotSetUpError(what);
  return current;
}

export function hasSimulator(): boolean {
  return current !== undefined;
}

export function installSimulator(simulator: Simulator | undefined): void {
  current = simulator;
}
