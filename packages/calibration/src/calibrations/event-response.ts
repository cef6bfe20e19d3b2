import { nominal } from '@bss2/lola';
import { CadcNeuronReadout, sweepPositionOf } from '../measurement/cadc-readout.js';
import type { NeuronSetup } from '../measurement/neuron-words.js';
import { type StimulusKind, stimulate } from '../measurement/stimulus.js';
import { NEURON_COUNT } from '../targets.js';
import { type CalibrationContext, resetTimer, waitUntil } from './context.js';

const GRID_CYCLES = 25;

/** What one repetition observes: a baseline sweep before the event, sweeps at fixed delays after it. */
export interface EventResponseProgram {
  readonly setup: NeuronSetup;
  readonly stimulus: StimulusKind;
  /** Delays from the event to each sweep, FPGA cycles (multiples of 25: see decay-measurement.ts). */
  readonly delays_cycles: readonly number[];
  /** Repetitions, and their period in FPGA cycles (long enough for the response to fade). */
  readonly repetitions: number;
  readonly period_cycles: number;
}

/** Per repetition and delay, every neuron's reading minus its baseline just before the event. */
export interface EventResponse {
  /** `[delay][neuron]`, averaged over repetitions, CADC LSB. */
  readonly change: Float64Array[];
  /** Sample time of each neuron's read relative to the event, per delay: `[delay][neuron]`, µs. */
  readonly time_us: Float64Array[];
}

/**
 * The response of every neuron to one stimulus event (§1.3), by CADC sweeps: one sweep right before the
 * event gives each neuron's baseline, sweeps at fixed delays after it the response; differences are averaged
 * over repetitions. Used for the synaptic input step (synapse DAC bias) and PSP amplitudes (`i_bias_gm`).
 */
export async function measureEventResponse(ctx: CalibrationContext, p: EventResponseProgram): Promise<EventResponse> {
  const baselineLead = 2 * 128;
  const runs = await ctx.measure(p.setup, (b) => {
    resetTimer(b);
    return Array.from({ length: p.repetitions }, (_, r) => {
      // One period of lead-in: responses to earlier programs' events have faded before the first baseline.
      const event = (r + 1) * p.period_cycles;
      waitUntil(b, event - baselineLead);
      const baseline = CadcNeuronReadout.sweep(b);
      waitUntil(b, event);
      stimulate(b, p.stimulus);
      const responses = p.delays_cycles.map((delay) => {
        waitUntil(b, event + delay);
        return CadcNeuronReadout.sweep(b);
      });
      return { baseline, responses };
    });
  });
  const change = p.delays_cycles.map(() => new Float64Array(NEURON_COUNT));
  const base = new Float64Array(NEURON_COUNT);
  const one = new Float64Array(NEURON_COUNT);
  for (const run of runs) {
    CadcNeuronReadout.decode(run.baseline, base);
    run.responses.forEach((sweep, k) => {
      CadcNeuronReadout.decode(sweep, one);
      for (let i = 0; i < NEURON_COUNT; i++) change[k]![i]! += (one[i]! - base[i]!) / runs.length;
    });
  }
  const time_us = p.delays_cycles.map((delay) => Float64Array.from({ length: NEURON_COUNT }, (_, i) => (delay + sweepPositionOf[i]!) / nominal.fpgaClockCyclesPerUs));
  return { change, time_us };
}

export function gridCycles(time_us: number): number {
  return Math.max(GRID_CYCLES, Math.round((time_us * nominal.fpgaClockCyclesPerUs) / GRID_CYCLES) * GRID_CYCLES);
}
