// The MADC through ordinary programs (hardware.md §3.9, §8.3): 10-bit codes round(1023 · V / 1.2 V) of the
// selected neuron's selected source, one sample every (12 + sample_duration_adjust) MADC clocks, with exact chip
// times, a fixed number of samples or continuous, on the channel the active multiplexer selects.
import { AtomicNeuronOnDLS, MADCConfigOnDLS, MADCControlOnDLS, ReadoutSourceSelectionOnDLS } from '@bss2/halco';
import { MADCConfig, MADCControl, ReadoutSourceSelection, madcSampleRate_hz } from '@bss2/lola';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MADC_CLOCK_PERIOD_NS, SYNAPTIC_INPUT_READOUT_BASELINE_MV, SimulatedChip } from '../../src/index.js';
import { CYCLES_PER_US, Program, SETTLE_CYCLES, passiveNeuron, recordEvents, writeNeuron } from '../model/program.js';

const SEED = 0x3adc;
const config = new MADCConfigOnDLS(0);
const control = new MADCControlOnDLS(0);
const selection = new ReadoutSourceSelectionOnDLS(0);

/** Multiplexer 0 ← even columns of the top row, multiplexer 1 ← odd columns of the top row. */
const topRowLines = new ReadoutSourceSelection({ neuronEvenTop: [true, false], neuronOddTop: [false, true] });

function chip(seed = 1): SimulatedChip {
  return new SimulatedChip({ seed, analog: { idealChip: true, voltageTransfer: 'datasheet' } });
}

/** The expected code of a membrane held at CapMem value `lsb` on the ideal chip: 1023 · (1.2 V · lsb / 1022) / 1.2 V. */
const code = (lsb: number): number => Math.round((1023 * lsb) / 1022);

describe('MADC', () => {
  it('quantises the selected membrane to round(1023 · V / 1.2 V), number_of_samples samples', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1022 }), fc.integer({ min: 1, max: 40 }), (lsb, samples) => {
        const c = chip();
        const p = recordEvents(new Program(c));
        writeNeuron(p, 0, passiveNeuron(lsb));
        p.write(selection, topRowLines);
        p.write(config, new MADCConfig({ numberOfSamples: samples }));
        p.at(SETTLE_CYCLES).write(control, new MADCControl({ wakeUp: true, startRecording: true }));
        const result = p.at(SETTLE_CYCLES + 10 * CYCLES_PER_US).run(c);
        expect(result.madcSamples).toHaveLength(samples);
        for (const s of result.madcSamples) {
          expect(s.channel).toBe(0);
          expect(s.value).toBe(code(lsb));
        }
      }),
      { numRuns: 25, seed: SEED },
    );
  });

  it('samples at the §3.9 rate: sample k at t_start + k / rate, with exact chip times (4 ns resolution)', () => {
    for (const madc of [new MADCConfig({ numberOfSamples: 200 }), new MADCConfig({ numberOfSamples: 60, sampleDurationAdjust: 2, enableMadcClockScaling: true, madcClockScaleValue: 9 })]) {
      const period_ns = 1e9 / madcSampleRate_hz(madc);
      const c = chip();
      const p = recordEvents(new Program(c));
      writeNeuron(p, 0, passiveNeuron(500));
      p.write(selection, topRowLines).write(config, madc);
      // Awake well before the start: the first sample is taken at the write (the omnibus Data instruction).
      p.at(SETTLE_CYCLES - 100).write(control, new MADCControl({ wakeUp: true }));
      const start = SETTLE_CYCLES;
      p.at(start - 1).write(control, new MADCControl({ startRecording: true }));
      const result = p.at(start + 200 * CYCLES_PER_US).run(c);
      const t0_ns = 8 * (result.timerOrigin + start);
      expect(result.madcSamples).toHaveLength(madc.numberOfSamples);
      result.madcSamples.forEach((s, k) => {
        const exact = t0_ns + k * period_ns;
        expect(exact % MADC_CLOCK_PERIOD_NS).toBe(0);
        expect(s.time_ns).toBe(4 * Math.floor(exact / 4));
      });
      const times = result.madcSamples.map((s) => s.time_ns);
      expect((times.at(-1)! - times[0]!) / (times.length - 1)).toBeCloseTo(period_ns, 0);
    }
  });

  it('continuous sampling runs until stop_recording; power-up takes powerup_wait MADC clocks', () => {
    const c = chip();
    const p = recordEvents(new Program(c));
    writeNeuron(p, 0, passiveNeuron(300));
    p.write(selection, topRowLines).write(config, new MADCConfig({ numberOfSamples: 3 }));
    const start = SETTLE_CYCLES;
    // Off until now: the recording starts after the power-up wait (96 clocks = 192 ns at reset).
    p.at(start - 1).write(control, new MADCControl({ startRecording: true, enableContinuousSampling: true }));
    const stop = start + 10 * CYCLES_PER_US;
    p.at(stop - 1).write(control, new MADCControl({ stopRecording: true, enableContinuousSampling: true }));
    const result = p.at(stop + 5 * CYCLES_PER_US).run(c);
    const first_ns = 8 * (result.timerOrigin + start) + 96 * MADC_CLOCK_PERIOD_NS;
    const period_ns = 1e9 / madcSampleRate_hz(new MADCConfig());
    const expected = Math.ceil((8 * (result.timerOrigin + stop) - first_ns) / period_ns);
    expect(result.madcSamples).toHaveLength(expected);
    expect(result.madcSamples[0]!.time_ns).toBe(4 * Math.floor(first_ns / 4));
  });

  it('reads the source the neuron selects on the channel whose multiplexer connects its line; alternates channels', () => {
    const c = chip();
    const p = recordEvents(new Program(c));
    writeNeuron(p, 0, passiveNeuron(400)); // even column: channel 0, membrane
    writeNeuron(p, 1, passiveNeuron(700, { readout: { source: 'excSynin' } })); // odd column: channel 1
    writeNeuron(p, 3, passiveNeuron(900, { readout: { enableBufferedAccess: false } })); // not on the line
    p.write(selection, topRowLines);
    p.write(config, new MADCConfig({ numberOfSamples: 12, activeMuxInitiallySelectedInput: 1, activeMuxInputSelectLength: 3 }));
    p.at(SETTLE_CYCLES).write(control, new MADCControl({ wakeUp: true, startRecording: true }));
    const result = p.at(SETTLE_CYCLES + 10 * CYCLES_PER_US).run(c);
    expect(result.madcSamples.map((s) => s.channel)).toEqual([1, 1, 1, 0, 0, 0, 1, 1, 1, 0, 0, 0]);
    // Channel 1: the idle excitatory synaptic input line at its baseline; channel 0: the membrane at 400 LSB.
    const baseline = Math.round((1023 * SYNAPTIC_INPUT_READOUT_BASELINE_MV) / 1200);
    for (const s of result.madcSamples) expect(s.value).toBe(s.channel === 1 ? baseline : code(400));
  });

  it('averages the circuits that drive one line; an unconnected channel reads 0; dummy data is a sawtooth', () => {
    const c = chip();
    const p = recordEvents(new Program(c));
    writeNeuron(p, 0, passiveNeuron(200));
    writeNeuron(p, 2, passiveNeuron(600));
    p.write(selection, new ReadoutSourceSelection({ neuronEvenTop: [true, false] }));
    p.write(config, new MADCConfig({ numberOfSamples: 4, activeMuxInputSelectLength: 2 }));
    p.at(SETTLE_CYCLES).write(control, new MADCControl({ wakeUp: true, startRecording: true }));
    p.at(SETTLE_CYCLES + CYCLES_PER_US).write(config, new MADCConfig({ numberOfSamples: 5, enableDummyData: true }));
    p.write(control, new MADCControl({ wakeUp: true }));
    p.write(control, new MADCControl({ wakeUp: true, startRecording: true }));
    const result = p.at(SETTLE_CYCLES + 3 * CYCLES_PER_US).run(c);
    expect(result.madcSamples.map((s) => s.value)).toEqual([code(400), code(400), 0, 0, 0, 1, 2, 3, 4]);
  });

  it('a membrane that moves is sampled as it moves (the step from rest to a new leak potential)', () => {
    const c = chip();
    const p = recordEvents(new Program(c));
    const neuron = new AtomicNeuronOnDLS(0);
    // τ_m = C / g_L = 2.2 pF / 100 nS = 22 µs; the offset current lifts the membrane by 40 nA / 100 nS = 400 mV.
    const at = passiveNeuron(200, { leak: { iBias: 100 }, constantCurrent: { enable: false, iOffset: 400 } });
    const on = passiveNeuron(200, { leak: { iBias: 100 }, constantCurrent: { enable: true, iOffset: 400 } });
    writeNeuron(p, 0, at);
    p.write(selection, topRowLines).write(config, new MADCConfig({ enableMadcClockScaling: true, madcClockScaleValue: 49, numberOfSamples: 60 }));
    p.at(SETTLE_CYCLES - 1000).write(control, new MADCControl({ wakeUp: true }));
    p.at(SETTLE_CYCLES - 1).write(neuron.toNeuronConfigOnDLS(), on.toNeuronConfig(), at.toNeuronConfig());
    p.write(control, new MADCControl({ startRecording: true }));
    const result = p.at(SETTLE_CYCLES + 250 * CYCLES_PER_US).run(c);
    expect(result.madcSamples).toHaveLength(60);
    const t0 = 8 * (result.timerOrigin + SETTLE_CYCLES);
    const v0 = (1200 * 200) / 1022;
    for (const s of result.madcSamples.slice(1)) {
      const t_us = (s.time_ns - t0) / 1000;
      const v = v0 + 400 * (1 - Math.exp(-t_us / 22));
      expect(Math.abs(s.value - (1023 * v) / 1200)).toBeLessThan(1.5);
    }
  });
});
