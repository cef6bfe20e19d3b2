// Ordinary playback programs for the model tests: container writes at halco coordinates, timed waits,
// SpikePack injection and reads, built as a fisch instruction stream (chip-sim never imports stadls) and run on a
// SimulatedChip; responses are decoded and time-annotated as a host would.
import { InstructionStream, Loopback, type MADCSampleFromChip, ResponseDecoder, type SpikeFromChip, TimeAnnotator } from '@bss2/fisch';
import {
  AtomicNeuronOnDLS,
  CADCChannelType,
  CADCReadoutType,
  CADCSampleQuadOnDLS,
  CADCSampleQuadOnSynram,
  CapMemBlockOnDLS,
  CapMemCellOnCapMemBlock,
  CapMemCellOnDLS,
  ColumnCurrentQuadOnDLS,
  CommonPADIBusConfigOnDLS,
  type Coordinate,
  CrossbarInputOnDLS,
  CrossbarNodeOnDLS,
  CrossbarOutputOnDLS,
  EventRecordingConfigOnFPGA,
  SynapseDriverBlockOnDLS,
  SynapseDriverOnDLS,
  SynapseDriverOnSynapseDriverBlock,
  SynapseOnSynapseRow,
  SynapseQuadColumnOnDLS,
  SynapseQuadOnDLS,
  SynapseQuadOnSynram,
  SynapseRowOnSynram,
  SynramOnDLS,
} from '@bss2/halco';
import {
  AtomicNeuron,
  type AtomicNeuronInit,
  CapMemCell,
  ColumnCurrentQuad,
  CommonPADIBusConfig,
  type Container,
  type ContainerType,
  CrossbarNode,
  EventRecordingConfig,
  SynapseQuad,
} from '@bss2/lola';
import type { SimulatedChip } from '../../src/index.js';

/** FPGA cycles per µs of chip time (125 MHz). */
export const CYCLES_PER_US = 125;
/** The 20 ms the software waits for CapMem cells to settle (hardware.md §3.8), in FPGA cycles. */
export const SETTLE_CYCLES = 20_000 * CYCLES_PER_US;

/** A recorded event with its chip time in ns, including the 250 MHz tick the host's annotation drops (§5.3). */
export type Timed<T> = T & { readonly time_ns: number };

/** The host's time annotation, keeping the half-cycle bit of every event timestamp. */
class FineAnnotator extends TimeAnnotator {
  readonly fineSpikes: Timed<SpikeFromChip>[] = [];
  readonly fineSamples: Timed<MADCSampleFromChip>[] = [];

  override spikePack(labels: ArrayLike<number>, timestamps: ArrayLike<number>, count: number): void {
    const before = this.spikes.length;
    super.spikePack(labels, timestamps, count);
    for (let i = 0; i < count; i++) {
      const s = this.spikes[before + i]!;
      this.fineSpikes.push({ ...s, time_ns: 8 * s.chipTime + 4 * (timestamps[i]! & 1) });
    }
  }

  override madcSamplePack(values: ArrayLike<number>, channels: ArrayLike<number>, timestamps: ArrayLike<number>, count: number): void {
    const before = this.madcSamples.length;
    super.madcSamplePack(values, channels, timestamps, count);
    for (let i = 0; i < count; i++) {
      const s = this.madcSamples[before + i]!;
      this.fineSamples.push({ ...s, time_ns: 8 * s.chipTime + 4 * (timestamps[i]! & 1) });
    }
  }
}

export interface ProgramResult {
  spikes: Timed<SpikeFromChip>[];
  madcSamples: Timed<MADCSampleFromChip>[];
  /** OmnibusData responses in order. */
  data: number[];
  /** The FPGA cycle at which the program's timer read 0 (after its leading timing Setup). */
  timerOrigin: number;
  bytes: Uint8Array;
}

/**
 * A program under construction for `chip`. It starts with a timer reset, so timer value 0 is FPGA cycle
 * `timerOrigin` (the chip's cycle when the program starts, plus the Setup instruction).
 */
export class Program {
  readonly stream = new InstructionStream();
  readonly timerOrigin: number;

  constructor(chip: SimulatedChip) {
    this.timerOrigin = chip.cycle + 1;
    this.stream.timingSetup();
  }

  /** Writes `container` at `coord`: all its words, or with a `reference` only the words that differ from it. */
  write(coord: Coordinate, container: Container, reference?: Container): this {
    const type = container.constructor as unknown as ContainerType;
    const words = container.encode();
    const old = reference?.encode();
    type.addresses(coord).forEach((address, i) => {
      if (old === undefined || old[i] !== words[i]) this.stream.omnibusWrite(address, words[i]!);
    });
    return this;
  }

  /** The first timer value ≥ `timer` whose FPGA cycle is a multiple of `grid` cycles (e.g. an analog step grid). */
  aligned(timer: number, grid: number): number {
    return Math.ceil((this.timerOrigin + timer) / grid) * grid - this.timerOrigin;
  }

  /** Reads every word of `type` at `coord`. */
  read(coord: Coordinate, type: ContainerType): this {
    for (const address of type.addresses(coord)) this.stream.omnibusRead(address);
    return this;
  }

  /** The next instruction executes at timer value `cycles` (the timer must not be past it). */
  at(cycles: number): this {
    this.stream.waitUntil(cycles - 1);
    return this;
  }

  /** SpikePack with 1–3 labels. */
  spikes(...labels: number[]): this {
    this.stream.spikePack(labels);
    return this;
  }

  run(chip: SimulatedChip): ProgramResult {
    const timerOrigin = this.timerOrigin;
    if (chip.cycle + 1 !== timerOrigin) throw new Error('the program was built for another chip state');
    const systime = chip.systime;
    const bytes = chip.execute(this.stream.loopback(Loopback.halt).toBytes());
    const decoder = new ResponseDecoder(new FineAnnotator(systime));
    decoder.push(bytes);
    decoder.finish();
    const annotated = decoder.visitor;
    const data = annotated.responses.filter((r) => r.kind === 'OmnibusData').map((r) => (r as { value: number }).value);
    return { spikes: annotated.fineSpikes, madcSamples: annotated.fineSamples, data, timerOrigin, bytes };
  }
}

const ALL = [true, true, true, true];

/** Spikes and MADC samples reach the host (EventRecordingConfig, hardware.md §3.10; chip init sets it). */
export function recordEvents(p: Program): Program {
  return p.write(new EventRecordingConfigOnFPGA(0), new EventRecordingConfig({ enableEventRecording: true }));
}

/** Crossbar events reach every PADI bus, every column passes both receptors, spikes are recorded. */
export function openEventPath(p: Program): Program {
  for (const block of CommonPADIBusConfigOnDLS.all()) p.write(block, new CommonPADIBusConfig({ enableSpl1: ALL }));
  for (const quad of ColumnCurrentQuadOnDLS.all()) {
    p.write(quad, new ColumnCurrentQuad({ enableSynapticCurrentExcitatory: ALL, enableSynapticCurrentInhibitory: ALL }));
  }
  return recordEvents(p);
}

/** The crossbar node from `input` to `output`. */
export function crossbarNode(input: number, output: number): CrossbarNodeOnDLS {
  const node = CrossbarNodeOnDLS.find(new CrossbarInputOnDLS(input), new CrossbarOutputOnDLS(output));
  if (node === undefined) throw new Error(`no crossbar node from ${input} to ${output}`);
  return node;
}

/** Injected FPGA events are not recorded back (the FPGA link inputs' nodes to the FPGA outputs drop all). */
export function dropFpgaLoopback(p: Program): Program {
  for (let link = 0; link < 4; link++) p.write(crossbarNode(8 + link, 8 + link), CrossbarNode.drop);
  return p;
}

/** Every quadrant's synapse DAC bias (`syn_i_bias_dac`, CapMem column 128 row 8). */
export function synapseDacBias(p: Program, value: number): Program {
  for (const block of CapMemBlockOnDLS.all()) p.write(new CapMemCellOnDLS(CapMemCellOnCapMemBlock.synIBiasDac, block), new CapMemCell({ value }));
  return p;
}

/** Writes an AtomicNeuron (NeuronConfig, NeuronBackendConfig and its 24 CapMem cells). */
export function writeNeuron(p: Program, circuit: number, neuron: AtomicNeuron): Program {
  return p.write(new AtomicNeuronOnDLS(circuit), neuron);
}

/** SynapseDriverOnDLS `d` of hemisphere `block` (0 top, 1 bottom). */
export function driver(block: number, d: number): SynapseDriverOnDLS {
  return new SynapseDriverOnDLS(new SynapseDriverOnSynapseDriverBlock(d), new SynapseDriverBlockOnDLS(block));
}

/** Sets synapse (synram, row, column) to `weight` / `label` (the other three of its quad: weight 0, label 0). */
export function writeSynapse(p: Program, synram: number, row: number, column: number, weight: number, label: number): Program {
  return writeSynapses(p, synram, row, [[column, weight, label]]);
}

/** Sets synapses of one row, `[column, weight, label]`; quads not mentioned are left alone, the rest of a touched quad 0. */
export function writeSynapses(p: Program, synram: number, row: number, synapses: readonly (readonly [number, number, number])[]): Program {
  const quads = new Map<number, { weights: number[]; labels: number[] }>();
  for (const [column, weight, label] of synapses) {
    const col = new SynapseOnSynapseRow(column);
    const q = col.toSynapseQuadColumnOnDLS().value;
    const entry = col.toEntryOnQuad().value;
    const quad = quads.get(q) ?? { weights: [0, 0, 0, 0], labels: [0, 0, 0, 0] };
    quad.weights[entry] = weight;
    quad.labels[entry] = label;
    quads.set(q, quad);
  }
  for (const [q, quad] of quads) {
    const coord = new SynapseQuadOnDLS(new SynapseQuadOnSynram(new SynapseQuadColumnOnDLS(q), new SynapseRowOnSynram(row)), new SynramOnDLS(synram));
    p.write(coord, new SynapseQuad(quad));
  }
  return p;
}

/** Spike times (in µs after `origin` cycles) of the recorded spikes with `label`. */
export function spikeTimes_us(result: ProgramResult, label: number, origin = result.timerOrigin): number[] {
  return result.spikes.filter((s) => s.label === label).map((s) => (s.time_ns - 8 * origin) / 1000);
}

/** A passive circuit whose membrane settles at `vLeak_lsb` (fast leak), driving its readout line with `source`. */
export function passiveNeuron(vLeak_lsb: number, init: AtomicNeuronInit = {}): AtomicNeuron {
  return new AtomicNeuron({
    ...init,
    leak: { vLeak: vLeak_lsb, iBias: 1000, ...init.leak },
    membraneCapacitance: { capacitance: 63, ...init.membraneCapacitance },
    readout: { enableBufferedAccess: true, source: 'membrane', ...init.readout },
  });
}

/** The CADC sample quad that holds `column` of `synram`, causal or acausal, trigger or buffered read. */
export function cadcQuad(synram: number, row: number, column: number, type: 'causal' | 'acausal', readout: 'trigger' | 'buffered'): CADCSampleQuadOnDLS {
  const quad = new SynapseQuadOnSynram(new SynapseOnSynapseRow(column).toSynapseQuadColumnOnDLS(), new SynapseRowOnSynram(row));
  return new CADCSampleQuadOnDLS(
    new CADCSampleQuadOnSynram(quad, type === 'causal' ? CADCChannelType.causal : CADCChannelType.acausal, readout === 'trigger' ? CADCReadoutType.triggerRead : CADCReadoutType.buffered),
    new SynramOnDLS(synram),
  );
}

/** The code of `column` in a CADCSampleQuad word (entry 0 is the most significant byte, hardware.md §3.9). */
export function cadcCodeOf(word: number, column: number): number {
  const entry = new SynapseOnSynapseRow(column).toEntryOnQuad().value;
  return (word >>> (24 - 8 * entry)) & 0xff;
}
