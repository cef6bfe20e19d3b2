// The reported response latency (DeviceIdentity.responseLatency_cycles): the analog model integrates in steps
// and reports a step's spikes and MADC samples once the step is done, so a program that stops early leaves the
// last ones for the next program. Every event of cycle c must be in the answer of a program whose halt runs at
// cycle c + responseLatency_cycles — checked on a regularly firing LIF neuron recorded by the MADC. The bound
// ⌈step / 8 ns⌉ + 1 holds for any alignment of step and cycle; at 10 and 100 ns it is one cycle more than needed.
import { AtomicNeuronOnDLS, MADCConfigOnDLS, MADCControlOnDLS, ReadoutSourceSelectionOnDLS } from '@bss2/halco';
import { AtomicNeuron, MADCConfig, MADCControl, ReadoutSourceSelection } from '@bss2/lola';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SimulatedChip } from '../../src/index.js';
import { CYCLES_PER_US, Program, type ProgramResult, SETTLE_CYCLES, recordEvents, writeNeuron } from './program.js';

const SEED = 0x1a7e;
const CIRCUIT = 0;
const ADDRESS = 0x41;
/** Recording window after the stimulus onset: a few spikes and a few hundred MADC samples. */
const WINDOW_CYCLES = 12 * CYCLES_PER_US;

/**
 * The constant-current LIF neuron of lif-reference.test.ts (τ_m 10 µs, 1 nA bio, reset held 2 µs), read out on
 * MADC channel 0 (even column, top row); its spikes reach the FPGA with label `ADDRESS` (event output 0, link 0).
 */
function lifNeuron(on: boolean): AtomicNeuron {
  return new AtomicNeuron({
    leak: { vLeak: 300, iBias: 70 },
    reset: { vReset: 300, iBias: 1022, enableMultiplication: true },
    threshold: { enable: on, vThreshold: 446 },
    membraneCapacitance: { capacitance: 18 },
    constantCurrent: { enable: on, iOffset: 600 },
    refractoryPeriod: { refractoryTime: 251, resetHoldoff: 15, enablePause: true },
    eventRouting: { analogOutput: 'normal', enableDigital: true, address: ADDRESS },
    readout: { enableBufferedAccess: true, source: 'membrane' },
    bayesian: { toPostPulse: false },
  });
}

interface Run {
  result: ProgramResult;
  /** Timer value of the stimulus onset. */
  onset: number;
}

/** Settles, switches the neuron and continuous MADC sampling on at `onset`, halts at timer value `halt(onset)`. */
function run(analogStep_ns: number, halt: (onset: number) => number): Run & { chip: SimulatedChip } {
  const chip = new SimulatedChip({ seed: 3, analog: { analogStep_ns, idealChip: true, voltageTransfer: 'datasheet' } });
  const p = recordEvents(new Program(chip));
  writeNeuron(p, CIRCUIT, lifNeuron(false));
  p.write(new ReadoutSourceSelectionOnDLS(0), new ReadoutSourceSelection({ neuronEvenTop: [true, false] }));
  p.write(new MADCConfigOnDLS(0), new MADCConfig());
  p.at(SETTLE_CYCLES - CYCLES_PER_US).write(new MADCControlOnDLS(0), new MADCControl({ wakeUp: true }));
  const onset = SETTLE_CYCLES;
  p.at(onset - 2).write(new AtomicNeuronOnDLS(CIRCUIT).toNeuronConfigOnDLS(), lifNeuron(true).toNeuronConfig(), lifNeuron(false).toNeuronConfig());
  p.write(new MADCControlOnDLS(0), new MADCControl({ startRecording: true, enableContinuousSampling: true }));
  const result = p.at(halt(onset)).run(chip);
  return { chip, result, onset };
}

/** Every recorded event, keyed `kind tick value` (`tick` the 250 MHz tick of its chip time). */
function events(result: ProgramResult): { key: string; cycle: number; time_ns: number }[] {
  return [
    ...result.spikes.map((s) => ({ key: `spike ${s.time_ns / 4} ${s.label}`, cycle: s.chipTime, time_ns: s.time_ns })),
    ...result.madcSamples.map((s) => ({ key: `madc ${s.time_ns / 4} ${s.channel}:${s.value}`, cycle: s.chipTime, time_ns: s.time_ns })),
  ];
}

const keys = (result: ProgramResult): string[] => events(result).map((e) => e.key);

describe('response latency of the analog model (DeviceIdentity.responseLatency_cycles)', () => {
  /** The whole window, run once per step: the reference every truncated run is compared with. */
  const complete = new Map<number, Run>();
  const reference = (step: number): Run => {
    let r = complete.get(step);
    if (r === undefined) complete.set(step, (r = run(step, (onset) => onset + WINDOW_CYCLES + 1000)));
    return r;
  };

  it.each([10, 100])('the reference run at %i ns fires and samples in the window', (step) => {
    const { result } = reference(step);
    expect(result.spikes.filter((s) => s.label === ADDRESS).length).toBeGreaterThanOrEqual(3);
    expect(result.madcSamples.length).toBeGreaterThan(100);
  });

  it('every spike and MADC sample of cycle c is in the answer of a program halting at c + responseLatency_cycles', () => {
    // Any even step (a multiple of the 2 ns MADC clock), so that every alignment of step and cycle occurs.
    const step = fc.oneof(fc.constantFrom(10, 100), fc.integer({ min: 1, max: 100 }).map((half) => 2 * half));
    fc.assert(
      fc.property(step, fc.integer({ min: 1, max: WINDOW_CYCLES }), (step, afterOnset) => {
        const whole = reference(step);
        const truncated = run(step, (onset) => onset + afterOnset);
        const latency = truncated.chip.identity.responseLatency_cycles;
        expect(latency).toBe(Math.ceil(step / 8) + 1);
        const haltCycle = truncated.result.timerOrigin + whole.onset + afterOnset;
        const answered = new Set(keys(truncated.result));
        const due = events(whole.result).filter((e) => e.cycle + latency <= haltCycle);
        for (const e of due) expect(answered, `${e.key} (cycle ${e.cycle}, halt at ${haltCycle})`).toContain(e.key);
        // Nothing else: the truncated answer is a prefix of the complete one (determinism).
        const all = new Set(keys(whole.result));
        for (const key of answered) expect(all).toContain(key);
      }),
      { numRuns: 20, seed: SEED },
    );
  });

  it.each([10, 100])('at %i ns the latency is needed, and at most one cycle more than needed', (step) => {
    const whole = reference(step);
    const latency = Math.ceil(step / 8) + 1;
    // The cycle by which an event's analog step is done, or earlier: its 4 ns timestamp tick is at or before its
    // time, so its step starts no earlier than the one holding the tick.
    const stepDone = (time_ns: number) => Math.ceil((Math.floor(time_ns / step) * step + step) / 8);
    const lag = (e: { cycle: number; time_ns: number }) => stepDone(e.time_ns) - e.cycle;
    const slowest = events(whole.result).reduce((a, b) => (lag(b) > lag(a) ? b : a));
    expect(lag(slowest)).toBe(latency - 1);
    const timer = (cycle: number) => cycle - whole.result.timerOrigin;
    expect(keys(run(step, () => timer(slowest.cycle + latency - 2)).result)).not.toContain(slowest.key);
    expect(keys(run(step, () => timer(slowest.cycle + latency)).result)).toContain(slowest.key);
  });
});
