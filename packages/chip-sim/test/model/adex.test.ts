// AdEx through the registers (hardware.md §3.2, §8.1): the firing patterns of Naud et al. (2008), mapped to
// hardware units by the engine's tests (test/analog/adex-patterns.ts), written as AtomicNeurons, switched on by
// NeuronConfig writes and recorded through the crossbar — each recognised from its inter-spike intervals.
import { AtomicNeuronOnDLS } from '@bss2/halco';
import { AtomicNeuron } from '@bss2/lola';
import { describe, expect, it } from 'vitest';
import { SimulatedChip } from '../../src/index.js';
import { type PatternName, adexNeuron, naudPatterns } from '../analog/adex-patterns.js';
import { CYCLES_PER_US, Program, SETTLE_CYCLES, recordEvents, writeNeuron } from './program.js';

const PATTERNS: PatternName[] = ['tonic', 'adapting', 'initialBurst', 'regularBursting'];
const STIMULUS_US = 600; // 600 ms biological

/** Spike times (µs after the stimulus onset) of each pattern, circuit i = pattern i. */
function simulate(): number[][] {
  const chip = new SimulatedChip({ seed: 2, analog: { idealChip: true, voltageTransfer: 'datasheet' } });
  const p = recordEvents(new Program(chip));
  const neurons = PATTERNS.map((name, i) => {
    const on = adexNeuron(naudPatterns[name]);
    const json = on.toJSON();
    const withAddress = AtomicNeuron.fromJSON({ ...json, eventRouting: { ...on.eventRouting.values(), address: 0x40 + i }, bayesian: { ...on.bayesian.values(), toPostPulse: false } });
    // While CapMem settles: no exponential term (it would run away on the partial potentials), no comparator,
    // no stimulus. The membrane and adaptation rest at E_L and 0.
    const off = AtomicNeuron.fromJSON({
      ...withAddress.toJSON(),
      exponential: { ...withAddress.exponential.values(), enable: false },
      threshold: { ...withAddress.threshold.values(), enable: false },
      constantCurrent: { ...withAddress.constantCurrent.values(), enable: false },
    });
    writeNeuron(p, i, off);
    return { on: withAddress, off };
  });
  const t0 = p.aligned(SETTLE_CYCLES, CYCLES_PER_US);
  p.at(t0 - 1);
  neurons.forEach(({ on, off }, i) => p.write(new AtomicNeuronOnDLS(i).toNeuronConfigOnDLS(), on.toNeuronConfig(), off.toNeuronConfig()));
  const result = p.at(t0 + STIMULUS_US * CYCLES_PER_US).run(chip);
  return PATTERNS.map((_, i) => result.spikes.filter((s) => s.label === (0x40 + i)).map((s) => (s.time_ns - 8 * (result.timerOrigin + t0)) / 1000));
}

const intervals = (t: number[]): number[] => t.slice(1).map((x, i) => x - t[i]!);
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const cv = (xs: number[]): number => Math.sqrt(mean(xs.map((x) => (x - mean(xs)) ** 2))) / mean(xs);

describe('AdEx firing patterns configured through the registers', () => {
  let cached: number[][] | undefined;
  const spikes = (): number[][] => (cached ??= simulate());
  const isi = (i: number): number[] => intervals(spikes()[i]!);

  it('tonic: regular spiking', () => {
    expect(spikes()[0]!.length).toBeGreaterThan(30);
    expect(cv(isi(0).slice(3))).toBeLessThan(0.05);
  });

  it('adapting: intervals lengthen gradually', () => {
    const x = isi(1);
    expect(spikes()[1]!.length).toBeGreaterThan(5);
    x.slice(1).forEach((v, i) => expect(v / x[i]!).toBeGreaterThanOrEqual(0.99));
    expect(x.at(-1)! / x[0]!).toBeGreaterThan(3);
  });

  it('initial burst: two short intervals, then regular spiking', () => {
    const x = isi(2);
    const steady = x.slice(-5);
    expect(cv(steady)).toBeLessThan(0.02);
    expect(x[0]!).toBeLessThan(0.2 * mean(steady));
    expect(x[1]!).toBeLessThan(0.2 * mean(steady));
  });

  it('regular bursting: short intra-burst and long inter-burst intervals', () => {
    const x = isi(3);
    const long = x.filter((v) => v > 50);
    const short = x.filter((v) => v < 10);
    expect(long.length).toBeGreaterThanOrEqual(3);
    expect(short.length).toBeGreaterThanOrEqual(long.length);
    expect(Math.min(...long)).toBeGreaterThan(10 * Math.max(...short));
  });
});
