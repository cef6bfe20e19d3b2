import type { Coordinate } from '@bss2/halco';
import type { Container, ContainerType } from '@bss2/lola';
import { EventRouter, type EventRouterOptions, RegisterFile, type SpikeRecorder, type SynapticInputSink, memoryMap } from '../../src/index.js';

/** Fixed seed of every property in this folder: runs are reproducible. */
export const SEED = 0x0e7e_47a5;

export interface Delivery {
  circuit: number;
  receptor: number;
  amount: number;
  cycle: number;
}

/** Records what the router delivers: synaptic inputs and FPGA-recorded spikes. */
export class Recorder implements SynapticInputSink, SpikeRecorder {
  inputs: Delivery[] = [];
  spikes: { label: number; cycle: number }[] = [];

  synapticInputs(targets: Uint16Array, weights: Float32Array, from: number, to: number, pulse: number, cycle: number): void {
    for (let k = from; k < to; k++) this.inputs.push({ circuit: targets[k]! % 512, receptor: targets[k]! >> 9, amount: weights[k]! * pulse, cycle });
  }

  spike(label: number, cycle: number): void {
    this.spikes.push({ label, cycle });
  }

  clear(): void {
    this.inputs = [];
    this.spikes = [];
  }
}

export interface Bench {
  registers: RegisterFile;
  router: EventRouter;
  recorder: Recorder;
  /** Stores `container` at `coord` through the omnibus rules, then tells the router (at `cycle`). */
  write(coord: Coordinate, container: Container, cycle?: number): void;
}

/** A chip state at reset values with a router wired to a recorder. */
export function bench(options: Omit<EventRouterOptions, 'registers' | 'sink' | 'recorder'> = {}): Bench {
  const registers = new RegisterFile(memoryMap());
  const recorder = new Recorder();
  const router = new EventRouter({ ...options, registers, sink: recorder, recorder });
  const write = (coord: Coordinate, container: Container, cycle = 0): void => {
    const type = container.constructor as unknown as ContainerType;
    const words = container.encode();
    type.addresses(coord).forEach((address, i) => {
      registers.write(address, words[i]!, 0xffff_ffff);
      router.onWrite(address, cycle);
    });
  };
  return { registers, router, recorder, write };
}

/** Deliveries in a canonical order, amounts rounded for comparison. */
export function canonical(inputs: readonly Delivery[]): string[] {
  return inputs.map((d) => `${d.cycle}:${d.circuit}:${d.receptor}:${d.amount.toFixed(6)}`).sort();
}
