// The event path inside the whole chip, through ordinary programs (hardware.md §1.3, §2.4–§2.7, §3.4–§3.7,
// §8.2): FPGA labels through crossbar filters, PADI buses, driver row-select compares and 6-bit synapse labels to
// neurons (bypass neurons re-emit every event they receive, so the recorded spikes show who got it); short-term
// depression seen on the synaptic input readout; background generators' rates seen by a neuron's spike counter.
import {
  AtomicNeuronOnDLS,
  BackgroundSpikeSourceOnDLS,
  ColumnCurrentQuadOnDLS,
  CommonPADIBusConfigOnDLS,
  CommonSTPConfigOnDLS,
  EntryOnQuad,
  MADCConfigOnDLS,
  MADCControlOnDLS,
  ReadoutSourceSelectionOnDLS,
} from '@bss2/halco';
import {
  AtomicNeuron,
  BackgroundSpikeSource,
  ColumnCurrentQuad,
  CommonPADIBusConfig,
  CommonSTPConfig,
  CrossbarNode,
  MADCConfig,
  MADCControl,
  ReadoutSourceSelection,
  SYNAPSE_DRIVER_ROW_MODES,
  SpikeCounterRead,
  SpikeCounterReset,
  SynapseDriverConfig,
  type SynapseDriverRowMode,
} from '@bss2/lola';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SYNAPTIC_INPUT_READOUT_BASELINE_MV, SimulatedChip, stpRecoveryTime_us, stpUtilization } from '../../src/index.js';
import {
  CYCLES_PER_US,
  Program,
  SETTLE_CYCLES,
  crossbarNode,
  driver,
  openEventPath,
  passiveNeuron,
  recordEvents,
  synapseDacBias,
  writeNeuron,
  writeSynapses,
} from './program.js';

const SEED = 0xe7e1;

/** A neuron that re-emits every synaptic event as a spike, with `address` as its label byte. */
const relay = (address: number): AtomicNeuron =>
  new AtomicNeuron({ eventRouting: { analogOutput: 'normal', enableDigital: true, address, enableBypassExcitatory: true, enableBypassInhibitory: true } });

/** The label a spike of `circuit` carries to the FPGA: link `e % 4`, then `e << 8 | address` (§2.4, §2.5). */
function recordedLabel(circuit: number, address: number): number {
  const output = new AtomicNeuronOnDLS(circuit).toNeuronEventOutputOnDLS().value;
  return ((output % 4) << 14) | (output << 8) | address;
}

/** A random routing configuration and an independent model of who receives label L (hardware.md §1.3). */
interface Routing {
  nodes: { link: number; bus: number; mask: number; target: number }[];
  drivers: { block: number; d: number; mask: number; top: SynapseDriverRowMode; bottom: SynapseDriverRowMode }[];
  synapses: { synram: number; row: number; column: number; weight: number; label: number }[];
  columnSwitch: { synram: number; column: number; exc: boolean; inh: boolean }[];
}

function randomRouting(next: () => number): Routing {
  const int = (n: number) => Math.floor(next() * n);
  const nodes: Routing['nodes'] = [];
  for (let link = 0; link < 4; link++) {
    for (let bus = 0; bus < 8; bus++) {
      // Two random label bits compared: about a quarter of the labels pass a node.
      const mask = (1 << int(14)) | (1 << int(14));
      nodes.push({ link, bus, mask, target: mask & int(1 << 14) });
    }
  }
  const modes = SYNAPSE_DRIVER_ROW_MODES;
  const drivers: Routing['drivers'] = [];
  const used = new Set<string>();
  while (drivers.length < 12) {
    const block = int(2);
    const d = int(128);
    if (used.has(`${block}:${d}`)) continue;
    used.add(`${block}:${d}`);
    drivers.push({ block, d, mask: int(32), top: modes[int(modes.length)]!, bottom: modes[int(modes.length)]! });
  }
  const synapses: Routing['synapses'] = [];
  for (const { block, d } of drivers) {
    for (const row of [2 * d, 2 * d + 1]) {
      const columns = new Set<number>();
      while (columns.size < 5) columns.add(int(256));
      for (const column of columns) synapses.push({ synram: block, row, column, weight: int(4) === 0 ? 0 : 1 + int(63), label: int(64) });
    }
  }
  const columnSwitch: Routing['columnSwitch'] = [];
  for (let synram = 0; synram < 2; synram++) {
    for (let column = 0; column < 256; column++) columnSwitch.push({ synram, column, exc: next() < 0.8, inh: next() < 0.8 });
  }
  return { nodes, drivers, synapses, columnSwitch };
}

/** The circuits that receive an event with 16-bit `label` (an independent reading of §1.3, §2.4–§2.7, §3.6). */
function receivers(r: Routing, label: number): Set<number> {
  const link = label >>> 14;
  const neuronLabel = label & 0x3fff;
  const rowSelect = (neuronLabel >>> 6) & 31;
  const address = neuronLabel & 63;
  const out = new Set<number>();
  for (const node of r.nodes) {
    if (node.link !== link || (neuronLabel & node.mask) !== node.target) continue;
    for (const drv of r.drivers) {
      // Driver d of block h sits on PADI bus 4h + d % 4 at index d / 4 (§2.7).
      if (4 * drv.block + (drv.d % 4) !== node.bus) continue;
      if ((rowSelect & drv.mask) !== (Math.floor(drv.d / 4) & drv.mask)) continue;
      for (const [row, mode] of [[2 * drv.d + 1, drv.top], [2 * drv.d, drv.bottom]] as const) {
        for (const s of r.synapses) {
          if (s.synram !== drv.block || s.row !== row || s.label !== address || s.weight === 0) continue;
          const sw = r.columnSwitch.find((c) => c.synram === s.synram && c.column === s.column)!;
          const exc = (mode === 'excitatory' || mode === 'excitatoryAndInhibitory') && sw.exc;
          const inh = (mode === 'inhibitory' || mode === 'excitatoryAndInhibitory') && sw.inh;
          if (exc || inh) out.add(256 * s.synram + s.column);
        }
      }
    }
  }
  return out;
}

function configure(p: Program, r: Routing): void {
  recordEvents(p);
  synapseDacBias(p, 600);
  for (const block of CommonPADIBusConfigOnDLS.all()) p.write(block, new CommonPADIBusConfig({ enableSpl1: [true, true, true, true] }));
  // Neuron spikes only reach the FPGA (no loops back into the array); FPGA labels are not recorded back.
  for (let input = 0; input < 8; input++) for (const bus of [input % 4, 4 + (input % 4)]) p.write(crossbarNode(input, bus), CrossbarNode.drop);
  for (let link = 0; link < 4; link++) p.write(crossbarNode(8 + link, 8 + link), CrossbarNode.drop);
  for (const n of r.nodes) p.write(crossbarNode(8 + n.link, n.bus), new CrossbarNode({ mask: n.mask, target: n.target }));
  for (const drv of r.drivers) {
    p.write(driver(drv.block, drv.d), new SynapseDriverConfig({ enableReceiver: true, rowAddressCompareMask: drv.mask, rowModeTop: drv.top, rowModeBottom: drv.bottom }));
  }
  const rows = new Map<string, [number, number, number][]>();
  for (const s of r.synapses) rows.set(`${s.synram}:${s.row}`, [...(rows.get(`${s.synram}:${s.row}`) ?? []), [s.column, s.weight, s.label]]);
  for (const [key, synapses] of rows) {
    const [synram, row] = key.split(':').map(Number) as [number, number];
    writeSynapses(p, synram, row, synapses);
  }
  for (const quad of ColumnCurrentQuadOnDLS.all()) {
    const synram = quad.toSynramOnDLS().value;
    const columns = [...EntryOnQuad.all()].map((e) => quad.toSynapseQuadColumnOnDLS().neuronColumnOf(e).value);
    const sw = columns.map((column) => r.columnSwitch.find((c) => c.synram === synram && c.column === column)!);
    p.write(quad, new ColumnCurrentQuad({ enableSynapticCurrentExcitatory: sw.map((s) => s.exc), enableSynapticCurrentInhibitory: sw.map((s) => s.inh) }));
  }
  for (let circuit = 0; circuit < 512; circuit++) writeNeuron(p, circuit, relay(circuit % 256));
}

describe('the event path to the neurons, end to end', () => {
  it('FPGA labels reach exactly the neurons their crossbar filters, row-select compares and 6-bit addresses select', () => {
    const next = (() => {
      let state = 0x2545f491;
      return () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    })();
    const routing = randomRouting(next);
    const chip = new SimulatedChip({ seed: 3, analog: { idealChip: true } });
    const p = new Program(chip);
    configure(p, routing);
    p.at(SETTLE_CYCLES).run(chip);
    // Labels aimed at a configured synapse (its driver index as row select, its label as address) or random.
    const aimed = fc.tuple(fc.integer({ min: 0, max: routing.synapses.length - 1 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 0xff })).map(([i, link, high]) => {
      const s = routing.synapses[i]!;
      return (link << 14) | ((high & 0xe0) << 6) | (Math.floor(s.row / 2 / 4) << 6) | s.label;
    });
    let hits = 0;
    fc.assert(
      fc.property(fc.array(fc.oneof(aimed, fc.integer({ min: 0, max: 0xffff })), { minLength: 1, maxLength: 4 }), (labels) => {
        const q = new Program(chip);
        labels.forEach((label, k) => q.at((k + 1) * CYCLES_PER_US).spikes(label));
        const result = q.at((labels.length + 1) * CYCLES_PER_US).run(chip);
        labels.forEach((label, k) => {
          const cycle = result.timerOrigin + (k + 1) * CYCLES_PER_US;
          const got = new Set(result.spikes.filter((s) => s.chipTime === cycle).map((s) => s.label));
          const expected = new Set([...receivers(routing, label)].map((c) => recordedLabel(c, c % 256)));
          hits += expected.size;
          expect(got).toEqual(expected);
        });
        expect(result.spikes.every((s) => labels.some((_, k) => s.chipTime === result.timerOrigin + (k + 1) * CYCLES_PER_US))).toBe(true);
      }),
      { numRuns: 60, seed: SEED },
    );
    expect(hits).toBeGreaterThan(10);
  });

  it('short-term depression: each event of a train transmits U · R, R recovering with τ_rec (synaptic input readout)', () => {
    const utilization = 6;
    const recovery = 3;
    const speed = 7;
    const U = stpUtilization(utilization);
    const tauRec_us = stpRecoveryTime_us(recovery, speed);
    const interval_us = 2;
    const events = 8;
    const chip = new SimulatedChip({ seed: 4, analog: { idealChip: true } });
    const p = openEventPath(new Program(chip));
    synapseDacBias(p, 600);
    p.write(new CommonSTPConfigOnDLS(0), new CommonSTPConfig({ enableRecoveryClock: true, recoveryClockSpeed: speed }));
    p.write(driver(0, 0), new SynapseDriverConfig({ enableReceiver: true, rowModeTop: 'excitatory', enableStp: true, enableRecovery: true, utilization, recovery }));
    writeSynapses(p, 0, 1, [[10, 63, 3]]);
    // The integrator holds (τ_syn = 300 µs · 8 = 2.4 ms with the high resistance); its line is read.
    writeNeuron(p, 10, passiveNeuron(300, { readout: { source: 'excSynin' }, excitatoryInput: { enable: true, iBiasTau: 1, enableHighResistance: true } }));
    p.write(new ReadoutSourceSelectionOnDLS(0), new ReadoutSourceSelection({ neuronEvenTop: [true, false] }));
    p.write(new MADCConfigOnDLS(0), new MADCConfig({ enableMadcClockScaling: true, madcClockScaleValue: 5, numberOfSamples: 1000 }));
    const start = SETTLE_CYCLES;
    p.at(start - 200).write(new MADCControlOnDLS(0), new MADCControl({ wakeUp: true }));
    p.at(start - 1).write(new MADCControlOnDLS(0), new MADCControl({ startRecording: true }));
    for (let k = 0; k < events; k++) p.at(start + (k + 1) * interval_us * CYCLES_PER_US).spikes(3);
    const result = p.at(start + (events + 2) * interval_us * CYCLES_PER_US).run(chip);
    // The line just before and well after each event (the sample grid is 204 ns).
    const lineAt = (t_ns: number): number => {
      const s = result.madcSamples.filter((x) => x.time_ns <= t_ns).at(-1)!;
      return (s.value * 1200) / 1023;
    };
    const t0 = 8 * (result.timerOrigin + start);
    const jumps = Array.from({ length: events }, (_, k) => {
      const at = t0 + (k + 1) * interval_us * 1000;
      return lineAt(at + 1000) - lineAt(at - 1);
    });
    let r = 1;
    const expected: number[] = [];
    for (let k = 0; k < events; k++) {
      if (k > 0) r = 1 - (1 - r) * Math.exp(-interval_us / tauRec_us);
      expected.push(U * r);
      r -= U * r;
    }
    // x jumps by q · amount = 100 nA · U · R; the line shows 1 mV per nA, the MADC 1.17 mV per LSB.
    expect(Math.abs(lineAt(t0) - SYNAPTIC_INPUT_READOUT_BASELINE_MV)).toBeLessThan(1.2);
    jumps.forEach((jump, k) => expect(Math.abs(jump - 100 * expected[k]!)).toBeLessThan(2.4));
    for (let k = 1; k < events; k++) expect(jumps[k]! / jumps[0]!).toBeCloseTo(expected[k]! / expected[0]!, 1);
    expect(jumps.at(-1)!).toBeLessThan(0.6 * jumps[0]!);
  });

  it('background generators: a regular source arrives every period, a Poisson one at rate/255 per bin; spike counters count', () => {
    const chip = new SimulatedChip({ seed: 6, analog: { idealChip: true } });
    const p = openEventPath(new Program(chip));
    synapseDacBias(p, 600);
    // Generator 0 → crossbar input 12 → PADI bus 0 → driver 0 (index 0) → row 1; generator 1 → bus 1 → driver 1 → row 3.
    p.write(driver(0, 0), new SynapseDriverConfig({ enableReceiver: true, rowModeTop: 'excitatory' }));
    p.write(driver(0, 1), new SynapseDriverConfig({ enableReceiver: true, rowModeTop: 'excitatory' }));
    writeSynapses(p, 0, 1, [[20, 30, 9]]);
    writeSynapses(p, 0, 3, [[21, 30, 12]]);
    writeNeuron(p, 20, relay(0x80));
    writeNeuron(p, 21, relay(0x81));
    const regular = 700;
    const bin = 40;
    const rate = 51;
    const window = 150_000;
    const start = p.aligned(1000, 1);
    p.at(start - 1).write(new BackgroundSpikeSourceOnDLS(0), new BackgroundSpikeSource({ enable: true, period: regular, neuronLabel: 9 }));
    p.write(new BackgroundSpikeSourceOnDLS(1), new BackgroundSpikeSource({ enable: true, enableRandom: true, period: bin, rate, seed: 0x1234567, neuronLabel: 12 }));
    p.at(start + window).write(new BackgroundSpikeSourceOnDLS(0), new BackgroundSpikeSource());
    p.write(new BackgroundSpikeSourceOnDLS(1), new BackgroundSpikeSource());
    p.at(start + window + 100);
    p.read(new AtomicNeuronOnDLS(20).toSpikeCounterReadOnDLS(), SpikeCounterRead);
    p.read(new AtomicNeuronOnDLS(21).toSpikeCounterReadOnDLS(), SpikeCounterRead);
    p.write(new AtomicNeuronOnDLS(20).toSpikeCounterResetOnDLS(), new SpikeCounterReset());
    p.read(new AtomicNeuronOnDLS(20).toSpikeCounterReadOnDLS(), SpikeCounterRead);
    const result = p.run(chip);
    // A BackgroundSpikeSource is three words; the enable sits in the last (its Data instruction 4 cycles in).
    const enabled = result.timerOrigin + start + 4;
    const enabledPoisson = enabled + 6;
    const regularTimes = result.spikes.filter((s) => s.label === recordedLabel(20, 0x80)).map((s) => s.chipTime - enabled);
    const expectedCount = Math.floor((window - 1) / regular);
    expect(regularTimes).toEqual(Array.from({ length: expectedCount }, (_, k) => (k + 1) * regular));
    const poisson = result.spikes.filter((s) => s.label === recordedLabel(21, 0x81));
    const bins = window / bin;
    const mean = (bins * rate) / 255;
    expect(Math.abs(poisson.length - mean)).toBeLessThan(4 * Math.sqrt(mean * (1 - rate / 255)));
    // Every Poisson spike ends a bin of its generator.
    for (const s of poisson) expect((s.chipTime - enabledPoisson) % bin).toBe(0);
    const [count20, count21, afterReset] = result.data.map((w) => SpikeCounterRead.decode(Uint32Array.of(w)));
    expect(count20!.count + (count20!.overflow ? 256 : 0)).toBe(expectedCount);
    expect(count21!.overflow).toBe(poisson.length > 255);
    expect(count21!.count).toBe(poisson.length % 256);
    expect(afterReset!.count).toBe(0);
  });
});
