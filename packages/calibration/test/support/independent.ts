// Measurements for the acceptance tests, written apart from the package's measurement code (hardware.md §3.9,
// §5): their own CADC read order, MADC traces instead of CADC sweeps for time constants and PSPs, their own
// event path (another driver, row and label) and their own uncalibrated configuration from the datasheet's
// nominal formulas (§8.3). Only stadls, halco and lola are shared with the package.
import {
  AtomicNeuronOnDLS,
  CADCChannelConfigOnDLS,
  CADCChannelType,
  CADCConfigOnDLS,
  CADCReadoutType,
  CADCSampleQuadOnDLS,
  CADCSampleQuadOnSynram,
  CapMemBlockOnDLS,
  CapMemCellOnCapMemBlock,
  CapMemCellOnDLS,
  ColumnCorrelationQuadOnDLS,
  ColumnCurrentQuadOnDLS,
  CommonNeuronBackendConfigOnDLS,
  CommonPADIBusConfigOnDLS,
  MADCConfigOnDLS,
  MADCControlOnDLS,
  NeuronResetQuadOnDLS,
  ReadoutSourceSelectionOnDLS,
  SpikePack1ToChipOnDLS,
  SynapseDriverBlockOnDLS,
  SynapseDriverOnDLS,
  SynapseDriverOnSynapseDriverBlock,
  SynapseQuadColumnOnDLS,
  SynapseQuadOnDLS,
  SynapseQuadOnSynram,
  SynapseRowOnSynram,
  SynramOnDLS,
  TimerOnDLS,
} from '@bss2/halco';
import type { Connection } from '@bss2/hxcomm';
import {
  AtomicNeuron,
  CADCChannelConfig,
  CADCConfig,
  CADCSampleQuad,
  CapMemCell,
  ColumnCorrelationQuad,
  ColumnCurrentQuad,
  CommonNeuronBackendConfig,
  CommonPADIBusConfig,
  MADCConfig,
  MADCControl,
  NeuronConfig,
  NeuronResetQuad,
  ReadoutSourceSelection,
  SpikePack1ToChip,
  SynapseDriverConfig,
  SynapseQuad,
  Timer,
  TimerValue,
  type NeuronVoltageKind,
  nominal,
} from '@bss2/lola';
import { type ContainerTicket, PlaybackProgramBuilder, run } from '@bss2/stadls';
import { fitExponential } from '../../src/index.js';

export const N = 512;
const CYCLES_PER_US = 125;

/**
 * Nominal CapMem value of a CADC code (§8.3: V = 0.06 V + 4.5 mV · code) for the leak, reset or threshold cell,
 * through the per-parameter transfers of lola's `nominal` (the datasheet's home, not the calibration's code).
 */
export function nominalCell(code: number, kind: NeuronVoltageKind): number {
  return Math.max(0, Math.min(1022, Math.round(nominal.neuronVoltageSetting_lsb(kind, 0.06 + 0.0045 * code))));
}

/** The uncalibrated LIF neurons for the spiking preset, from the §8.3 formulas alone. */
export function uncalibratedNeurons(): AtomicNeuron[] {
  // τ_mem = C / g: C(63) = 2.2 pF, 10 µs → 220 nS; τ_syn = 300 µs · 8 / i_bias with high resistance → 240.
  return Array.from({ length: N }, () => {
    const n = new AtomicNeuron({
      leak: { vLeak: nominalCell(80, 'leak'), iBias: 220 },
      reset: { vReset: nominalCell(70, 'reset'), iBias: 1000 },
      threshold: { enable: true, vThreshold: nominalCell(125, 'threshold') },
      excitatoryInput: { enable: true, iBiasTau: 240, enableHighResistance: true, iBiasGm: 500, iShiftReference: 500 },
      inhibitoryInput: { enable: true, iBiasTau: 240, enableHighResistance: true, iBiasGm: 500, iShiftReference: 500 },
      membraneCapacitance: { capacitance: 63 },
      refractoryPeriod: { inputClock: 1, refractoryTime: 250, resetHoldoff: 15 },
    });
    n.eventRouting = AtomicNeuron.EventRouting.enabled;
    return n;
  });
}

/** Writes of the uncalibrated chip-wide settings: CADC on with zero offsets, synapse DAC 600, backend clocks reset. */
export function writeUncalibratedShared(b: PlaybackProgramBuilder): void {
  for (const s of [0, 1]) b.write(new CADCConfigOnDLS(s), new CADCConfig({ enable: true }));
  for (const half of CommonNeuronBackendConfigOnDLS.all()) b.write(half, new CommonNeuronBackendConfig());
  for (const c of CADCChannelConfigOnDLS.all()) b.write(c, new CADCChannelConfig({ offset: 0 }));
  for (let q = 0; q < 4; q++) b.write(new CapMemCellOnDLS(CapMemCellOnCapMemBlock.synIBiasDac, new CapMemBlockOnDLS(q)), new CapMemCell({ value: 600 }));
}

function wait(b: PlaybackProgramBuilder, us: number): void {
  const timer = new TimerOnDLS(0);
  b.write(timer, new Timer());
  b.blockUntil(timer, new TimerValue(Math.max(1, Math.round(us * CYCLES_PER_US))));
}

/** Writes neurons (silenced for the settling wait, then as given) and waits for CapMem (20 ms, §3.8). */
export function writeNeurons(b: PlaybackProgramBuilder, neurons: readonly AtomicNeuron[], change: (n: AtomicNeuron) => void): void {
  const configured = neurons.map((n) => {
    const copy = AtomicNeuron.decode(n.encode());
    copy.eventRouting.enableDigital = false;
    change(copy);
    return copy;
  });
  configured.forEach((n, i) => {
    const quiet = AtomicNeuron.decode(n.encode());
    quiet.threshold.enable = false;
    b.write(new AtomicNeuronOnDLS(i), quiet);
  });
  wait(b, 20_000);
  configured.forEach((n, i) => b.write(new AtomicNeuronOnDLS(i).toNeuronConfigOnDLS(), NeuronConfig.decode(n.encode().subarray(0, 6))));
  wait(b, 30);
}

/** CADC: every causal channel on its neuron; reads addressed per neuron through halco's channel mapping. */
function connectCadc(b: PlaybackProgramBuilder): void {
  const sw = new ColumnCorrelationQuad({ enableCadcNeuronReadoutCausal: [true, true, true, true] });
  for (const q of ColumnCorrelationQuadOnDLS.all()) b.write(q, sw);
}

function quadOf(quad: number, synram: number): CADCSampleQuadOnDLS {
  return new CADCSampleQuadOnDLS(
    new CADCSampleQuadOnSynram(new SynapseQuadOnSynram(new SynapseQuadColumnOnDLS(quad), new SynapseRowOnSynram(7)), CADCChannelType.causal, CADCReadoutType.triggerRead),
    new SynramOnDLS(synram),
  );
}

/** Per (quad read), the neuron of each entry, from halco's channel coordinates. */
function neuronsOf(coord: CADCSampleQuadOnDLS): number[] {
  return coord.toCADCChannelConfigOnDLS().map((ch) => 256 * ch.toSynramOnDLS().value + ch.toCADCChannelConfigOnSynram().toCADCChannelColumnOnSynram().value);
}

async function execute(connection: Connection, b: PlaybackProgramBuilder) {
  const program = b.done();
  await run(connection, program);
  return program;
}

/** Mean CADC code per neuron over `repeats` reads of each quad, quad by quad (synram 1 first). */
export async function cadcPotentials(connection: Connection, neurons: readonly AtomicNeuron[], change: (n: AtomicNeuron) => void, repeats = 2): Promise<Float64Array> {
  const b = new PlaybackProgramBuilder();
  connectCadc(b);
  writeNeurons(b, neurons, change);
  const reads: [number[], ContainerTicket<CADCSampleQuad>][] = [];
  for (const synram of [1, 0]) {
    for (let q = 63; q >= 0; q--) {
      const coord = quadOf(q, synram);
      for (let r = 0; r < repeats; r++) reads.push([neuronsOf(coord), b.read(coord, CADCSampleQuad)]);
    }
  }
  await execute(connection, b);
  const sum = new Float64Array(N);
  for (const [ids, ticket] of reads) ticket.get().samples.forEach((s, e) => (sum[ids[e]!]! += s / repeats));
  return sum;
}

/** Reset potential: each quad reset by NeuronResetQuad and read right after (§3.4), threshold off. */
export async function cadcResetPotentials(connection: Connection, neurons: readonly AtomicNeuron[]): Promise<Float64Array> {
  const b = new PlaybackProgramBuilder();
  connectCadc(b);
  writeNeurons(b, neurons, (n) => (n.threshold.enable = false));
  const reads: [number[], ContainerTicket<CADCSampleQuad>][] = [];
  for (const reset of NeuronResetQuadOnDLS.all()) {
    const synram = reset.y.value;
    const coord = quadOf(reset.x.value, synram);
    b.write(reset, new NeuronResetQuad());
    wait(b, 0.2);
    reads.push([neuronsOf(coord), b.read(coord, CADCSampleQuad)]);
  }
  await execute(connection, b);
  const out = new Float64Array(N);
  for (const [ids, ticket] of reads) ticket.get().samples.forEach((s, e) => (out[ids[e]!] = s));
  return out;
}

/**
 * Threshold: the leak at the top of its reach (≈ 0.69 V) and an offset current of 30 nA on top (≈ 0.14 V more at
 * 220 nS), far above threshold, so every neuron fires every few µs; each quad is
 * read in a burst of trigger reads 13 FPGA cycles (104 ns, about one analog step) apart, covering more than
 * one interspike interval; the maximum.
 */
export async function cadcThresholds(connection: Connection, neurons: readonly AtomicNeuron[], burst = 110): Promise<Float64Array> {
  const b = new PlaybackProgramBuilder();
  connectCadc(b);
  writeNeurons(b, neurons, (n) => {
    n.leak.vLeak = 1022;
    n.constantCurrent.enable = true;
    n.constantCurrent.type = 'source';
    n.constantCurrent.iOffset = 300;
  });
  const out = new Float64Array(N).fill(-Infinity);
  const reads: [number[], ContainerTicket<CADCSampleQuad>][] = [];
  const timer = new TimerOnDLS(0);
  b.write(timer, new Timer());
  let t = 10;
  for (const synram of [0, 1]) {
    for (let q = 0; q < 64; q++) {
      const coord = quadOf(q, synram);
      for (let r = 0; r < burst; r++) {
        b.blockUntil(timer, new TimerValue((t += 13)));
        reads.push([neuronsOf(coord), b.read(coord, CADCSampleQuad)]);
      }
    }
  }
  await execute(connection, b);
  for (const [ids, ticket] of reads) {
    const word = ticket.words[0]!;
    for (let e = 0; e < 4; e++) out[ids[e]!] = Math.max(out[ids[e]!]!, (word >>> (24 - 8 * e)) & 0xff);
  }
  return out;
}

/**
 * The test's own stimulus: the bottom rows of the drivers whose top rows the calibration uses for PSPs
 * (drivers 32..63 excitatory, 64..95 inhibitory), labels 0x33 / 0x34, weight 2 — other synapses, the same
 * drivers (the driver offset trim is not part of this calibration, so driver gains stay as they are).
 */
export function configureTestStimulus(b: PlaybackProgramBuilder): void {
  for (const blk of [0, 1]) {
    b.write(new CommonPADIBusConfigOnDLS(blk), new CommonPADIBusConfig({ enableSpl1: [true, true, true, true] }));
    for (const [first, mode, label] of [[32, 'excitatory', 0x33], [64, 'inhibitory', 0x34]] as const) {
      const quad = new SynapseQuad({ weights: [2, 2, 2, 2], labels: [label, label, label, label] });
      for (let d = first; d < first + 32; d++) {
        b.write(
          new SynapseDriverOnDLS(new SynapseDriverOnSynapseDriverBlock(d), new SynapseDriverBlockOnDLS(blk)),
          new SynapseDriverConfig({ enableReceiver: true, rowAddressCompareMask: 0, rowModeTop: mode, rowModeBottom: mode }),
        );
        for (let q = 0; q < 64; q++) b.write(new SynapseQuadOnDLS(new SynapseQuadOnSynram(new SynapseQuadColumnOnDLS(q), new SynapseRowOnSynram(2 * d)), new SynramOnDLS(blk)), quad);
      }
    }
  }
  const sw = new ColumnCurrentQuad({ enableSynapticCurrentExcitatory: [true, true, true, true], enableSynapticCurrentInhibitory: [true, true, true, true] });
  for (const q of ColumnCurrentQuadOnDLS.all()) b.write(q, sw);
}

export type Kick = 'reset' | 'excitatory' | 'inhibitory';

const WARMUP_ROUNDS = 8;

export const testLabels = { excitatory: 0x33, inhibitory: 0x34 };
const labelOf = (kick: 'excitatory' | 'inhibitory') => testLabels[kick];

/**
 * Synaptic time constants by the CADC, differently from the package: per delay one burst of four test events
 * (8 ns apart), a sweep just before it (baseline) and one sweep at the delay, quads read synram 1 first; τ from
 * a straight-line fit of ln(reading − baseline) over the delays (the readout line decays to its baseline,
 * §8.2), using readings more than 5 LSB above baseline.
 */
export async function cadcSynapticTau(connection: Connection, neurons: readonly AtomicNeuron[], kick: 'excitatory' | 'inhibitory'): Promise<Float64Array> {
  const delays_us = [1, 2.5, 4.5, 7, 10, 13, 17];
  const b = new PlaybackProgramBuilder();
  connectCadc(b);
  writeNeurons(b, neurons, (n) => {
    n.threshold.enable = false;
    n.readout.source = kick === 'excitatory' ? 'excSynin' : 'inhSynin';
  });
  const timer = new TimerOnDLS(0);
  b.write(timer, new Timer());
  const sweep = () => {
    const out: [number[], ContainerTicket<CADCSampleQuad>][] = [];
    for (const synram of [1, 0]) for (let q = 0; q < 64; q++) out.push([neuronsOf(quadOf(q, synram)), b.read(quadOf(q, synram), CADCSampleQuad)]);
    return out;
  };
  const runs = delays_us.map((delay, k) => {
    const event = Math.round((k + 1) * 80 * CYCLES_PER_US);
    b.blockUntil(timer, new TimerValue(event - 300));
    const base = sweep();
    b.blockUntil(timer, new TimerValue(event));
    for (let e = 0; e < 4; e++) b.write(new SpikePack1ToChipOnDLS(0), new SpikePack1ToChip([labelOf(kick)]));
    b.blockUntil(timer, new TimerValue(event + Math.round(delay * CYCLES_PER_US)));
    return { delay, base, value: sweep() };
  });
  await execute(connection, b);
  const x: number[][] = Array.from({ length: N }, () => []);
  const y: number[][] = Array.from({ length: N }, () => []);
  for (const r of runs) {
    const base = new Float64Array(N);
    for (const [ids, t] of r.base) t.get().samples.forEach((s, e) => (base[ids[e]!] = s));
    for (const [ids, t] of r.value) {
      t.get().samples.forEach((s, e) => {
        const d = s - base[ids[e]!]!;
        if (d > 5) {
          x[ids[e]!]!.push(r.delay);
          y[ids[e]!]!.push(Math.log(d));
        }
      });
    }
  }
  return Float64Array.from({ length: N }, (_, i) => {
    const xs = x[i]!;
    const ys = y[i]!;
    const n = xs.length;
    if (n < 3) return NaN;
    const mx = xs.reduce((a, v) => a + v, 0) / n;
    const my = ys.reduce((a, v) => a + v, 0) / n;
    const slope = xs.reduce((a, v, k) => a + (v - mx) * (ys[k]! - my), 0) / xs.reduce((a, v) => a + (v - mx) ** 2, 0);
    return -1 / slope;
  });
}

/**
 * MADC traces of every neuron, a pair (even and odd column of one row) at a time, channels alternating: the
 * kick (NeuronResetQuad of the pair's quads, or one stimulus event) at the start of each recording.
 * Returns per neuron the sample times (µs after the kick) and voltages (mV).
 */
export async function madcTraces(
  connection: Connection,
  neurons: readonly AtomicNeuron[],
  change: (n: AtomicNeuron) => void,
  kick: Kick,
  duration_us: number,
): Promise<{ t: Float64Array[]; v: Float64Array[] }> {
  const samples = 2 * Math.round(duration_us / 0.068);
  const b = new PlaybackProgramBuilder();
  writeNeurons(b, neurons, change);
  b.write(new MADCConfigOnDLS(0), new MADCConfig({ numberOfSamples: samples, activeMuxInputSelectLength: 1 }));
  const words = neurons.map((n) => {
    const c = AtomicNeuron.decode(n.encode());
    c.eventRouting.enableDigital = false;
    change(c);
    return NeuronConfig.decode(c.encode().subarray(0, 6));
  });
  for (const row of [0, 1]) {
    b.write(new ReadoutSourceSelectionOnDLS(0), new ReadoutSourceSelection({ neuronEvenTop: [row === 0, false], neuronOddTop: [false, row === 0], neuronEvenBottom: [row === 1, false], neuronOddBottom: [false, row === 1] }));
    // Warm-up rounds without recording: stimuli repeat every round, so the first recorded pairs see the same
    // residue of earlier responses as the later ones (a periodic steady state).
    for (let k = -WARMUP_ROUNDS; k < 128; k++) {
      const pair = [256 * row + 2 * Math.max(0, k), 256 * row + 2 * Math.max(0, k) + 1];
      for (const i of pair) b.write(new AtomicNeuronOnDLS(i).toNeuronConfigOnDLS(), words[i]!.with({ enReadout: true }));
      wait(b, 1);
      if (kick === 'reset') for (const i of pair) b.write(new NeuronResetQuadOnDLS(resetQuadOf(i)), new NeuronResetQuad());
      else b.write(new SpikePack1ToChipOnDLS(0), new SpikePack1ToChip([labelOf(kick)]));
      b.write(new MADCControlOnDLS(0), new MADCControl({ wakeUp: k >= 0, startRecording: k >= 0 }));
      wait(b, duration_us + 2);
      for (const i of pair) b.write(new AtomicNeuronOnDLS(i).toNeuronConfigOnDLS(), words[i]!);
    }
  }
  const program = await execute(connection, b);
  const all = program.madcSamples;
  if (all.length !== 256 * samples) throw new Error(`MADC: ${all.length} samples, expected ${256 * samples}`);
  const t = Array.from({ length: N }, () => new Float64Array(samples / 2));
  const v = Array.from({ length: N }, () => new Float64Array(samples / 2));
  for (let p = 0; p < 256; p++) {
    const row = Math.floor(p / 128);
    const first = all[p * samples]!.chipTime;
    for (let s = 0; s < samples; s++) {
      const sample = all[p * samples + s]!;
      const neuron = 256 * row + 2 * (p % 128) + sample.channel;
      const j = Math.floor(s / 2);
      t[neuron]![j] = (sample.chipTime - first) / CYCLES_PER_US;
      v[neuron]![j] = (sample.value * 1200) / 1023;
    }
  }
  return { t, v };
}

function resetQuadOf(neuron: number): number {
  const column = neuron % 256;
  return 64 * Math.floor(neuron / 256) + (column % 2) * 32 + Math.floor(column / 8);
}

/** τ of a trace: least-squares exponential (asymptote free) from `skip_us` on. */
export function traceTau(t: Float64Array, v: Float64Array, skip_us = 0.3): number {
  const from = t.findIndex((x) => x >= skip_us);
  return fitExponential(t.subarray(from), v.subarray(from), { tauMin: 0.1, tauMax: 1000 }).tau;
}

export function std(values: ArrayLike<number>): number {
  const a = Array.from(values);
  const m = a.reduce((x, y) => x + y, 0) / a.length;
  return Math.sqrt(a.reduce((x, y) => x + (y - m) ** 2, 0) / (a.length - 1));
}
