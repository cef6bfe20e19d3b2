import {
  BlockPostPulseOnDLS,
  ColumnCurrentQuadOnDLS,
  CommonNeuronBackendConfigOnDLS,
  NeuronColumnOnDLS,
  NeuronResetQuadOnDLS,
  PADIBusOnDLS,
  PADIBusOnPADIBusBlock,
  PADIEventOnDLS,
  SpikeCounterResetOnDLS,
  SynapseQuadOnDLS,
  SynapseQuadOnSynram,
  SynapseRowOnSynram,
  SynramOnDLS,
  spikeLabelFields,
} from '@bss2/halco';
import { PADIEvent, nominal } from '@bss2/lola';
import type { EventSink } from '../chip-model.js';
import { ChipSimArgumentError } from '../errors.js';
import type { RegisterFile } from '../register-file.js';
import { BackgroundGenerators, type BackgroundEventTarget } from './background-generator.js';
import { EventCounters } from './counters.js';
import { type CorrelationGains, type CorrelationParameters, CorrelationSensors, type GainTable } from './correlation.js';
import { ShortTermPlasticity, hagenActivationFactor } from './driver-pulse.js';
import { WriteAction, WriteDecoder } from './register-writes.js';
import { RoutingTable } from './routing-table.js';
import { SynapseRowTable } from './synapse-rows.js';
import { type EventTopology, eventTopology } from './topology.js';

/**
 * Where synaptic events end: one call per synapse row event, covering every synapse of the row that emits a
 * current pulse, once per receptor its row mode and column switch let through. Entry `k` in `[from, to)` is
 * target `targets[k]` = `receptor · 512 + circuit` (circuit the AtomicNeuronOnDLS below the synapse,
 * receptor 0 excitatory / 1 inhibitory) with the dimensionless amount `weights[k] · pulse` — `weight / 63 · synapse
 * gain` times the driver's pulse factor (the neuron engine scales it by s_dac, g_m and its variation,
 * hardware.md §8.2); `cycle` is the FPGA cycle of the event. The arrays are the router's compiled fan-out:
 * read them during the call, never keep them.
 */
export interface SynapticInputSink {
  synapticInputs(targets: Uint16Array, weights: Float32Array, from: number, to: number, pulse: number, cycle: number): void;
}

/** Where spikes that reach an FPGA link of the crossbar go (the core's `EventSink` is one). */
export type SpikeRecorder = Pick<EventSink, 'spike'>;

/**
 * Fixed-pattern variation of the event path (hardware.md §8.4); what is not given is ideal (all ones). The
 * analog engine's `ChipVariation` has this shape, so it can be passed as it is.
 */
export interface EventPathVariation {
  /** Per SynapseDriverOnDLS (256): pulse-width gain, N(1, 0.1) on the modelled chip. */
  readonly driverPulseGain?: GainTable;
  /** Per SynapseDriverOnDLS: hagen DAC offset in activation LSB, N(1.5, 0.5) on the modelled chip; default 0. */
  readonly hagenDacOffset?: GainTable;
  /** Per SynapseOnDLS (131 072): weight gain, N(1, 0.05). */
  readonly synapseWeightGain?: GainTable;
  /** Per SynapseOnDLS: correlation sensor τ_c and amplitude gains per branch, log-normal σ = 0.2. */
  readonly correlationSensors?: CorrelationGains;
}

export interface EventRouterOptions {
  readonly registers: RegisterFile;
  readonly sink: SynapticInputSink;
  readonly recorder: SpikeRecorder;
  readonly variation?: EventPathVariation;
  readonly correlation?: Partial<CorrelationParameters>;
  /** §3.4 Choice: NeuronResetQuad also clears the correlation of synapse row 0 of its quad (default true). */
  readonly neuronResetQuadClearsCorrelation?: boolean;
  /**
   * Storage for the compiled fan-out (`FAN_OUT_ENTRIES` each), e.g. in the WebAssembly engine's memory so that
   * the engine scatters rows straight from it; default: arrays of the router's own.
   */
  readonly fanOut?: { readonly target: Uint16Array; readonly weight: Float32Array } | undefined;
  /**
   * Until the first post-pulse, record pre events per (row, address) group rather than per synapse (default
   * true; see `CorrelationSensors`); `false` is the reference the grouping is tested against.
   */
  readonly groupPreEvents?: boolean;
}

/**
 * PADI bus capacity, `nominal.padiBusEventsPerFpgaCycle` (a Choice: one event per 250 MHz chip clock): a further
 * event for the same bus in that cycle is dropped and counted in `busOverflowDrops` (the bus has no queue; the
 * crossbar counters are not touched).
 */
const BUS_EVENTS_PER_CYCLE = nominal.padiBusEventsPerFpgaCycle;
/** Cycles of bus occupancy remembered per bus, so that events routed slightly out of order are still checked. */
const BUS_WINDOW = 64;

const NEURON_LABEL_MASK = 2 ** spikeLabelFields.neuronLabel.width - 1;
const SPIKE_LABEL_MASK = 2 ** (spikeLabelFields.spl1Address.offset + spikeLabelFields.spl1Address.width) - 1;
const SPL1_SHIFT = spikeLabelFields.spl1Address.offset;
const SPL1_MASK = 2 ** spikeLabelFields.spl1Address.width - 1;
const ROW_SELECT_SHIFT = spikeLabelFields.rowSelectAddress.offset;
const ROW_SELECT_MASK = 2 ** spikeLabelFields.rowSelectAddress.width - 1;
const ADDRESS_MASK = 2 ** spikeLabelFields.synapseLabel.width - 1;
const ACTIVATION_MASK = ADDRESS_MASK >>> 1;

function gains(name: string, given: GainTable | undefined, length: number, ideal = 1): GainTable {
  if (given === undefined) return new Float32Array(length).fill(ideal);
  if (!(given instanceof Float32Array || given instanceof Float64Array) || given.length !== length) {
    throw new ChipSimArgumentError(`variation.${name}`, given, `a Float32Array or Float64Array of ${length} gains`);
  }
  return given;
}

/**
 * The event path of the chip (hardware.md §1.3): sources → crossbar (§2.5) → PADI buses → synapse drivers
 * with STP (§3.6, §8.2) → synapse rows → label compare → column current switches → the neuron engine's
 * synaptic inputs; crossbar outputs 8..11 → the FPGA (recorded only with event recording on, §3.10).
 * Keeps the crossbar counters and spike counters in their model-owned register words, runs the background
 * generators (§3.7) and the correlation sensors (§8.2). Configuration is read from the register file and
 * compiled on change (`onWrite`); routing an event allocates nothing. Events are delivered synchronously, at
 * the cycle of the source event (the datasheet gives no latency).
 */
export class EventRouter implements BackgroundEventTarget {
  readonly topology: EventTopology;
  readonly table: RoutingTable;
  readonly synapseRows: SynapseRowTable;
  readonly stp: ShortTermPlasticity;
  readonly correlation: CorrelationSensors;
  readonly generators: BackgroundGenerators;
  /** Events dropped per PADIBusOnDLS because the bus was full in that cycle (BUS_EVENTS_PER_CYCLE). */
  readonly busOverflowDrops: Float64Array;
  private readonly registers: RegisterFile;
  private readonly sink: SynapticInputSink;
  private readonly recorder: SpikeRecorder;
  private readonly resetQuadClearsCorrelation: boolean;
  private readonly counters: EventCounters;
  private readonly busSlotCycle: Float64Array;
  private readonly busSlotUsed: Uint8Array;
  private readonly writes: WriteDecoder;

  constructor(options: EventRouterOptions) {
    const { registers, sink, recorder, variation = {} } = options;
    const t = eventTopology();
    this.topology = t;
    this.registers = registers;
    this.sink = sink;
    this.recorder = recorder;
    this.resetQuadClearsCorrelation = options.neuronResetQuadClearsCorrelation ?? true;
    this.table = new RoutingTable(
      registers,
      t,
      gains('driverPulseGain', variation.driverPulseGain, t.drivers),
      gains('hagenDacOffset', variation.hagenDacOffset, t.drivers, 0),
    );
    this.synapseRows = new SynapseRowTable(
      registers.synapses,
      t,
      gains('synapseWeightGain', variation.synapseWeightGain, t.synapses),
      this.table.rowReceptors,
      this.table.columnReceptors,
      options.fanOut,
    );
    this.stp = new ShortTermPlasticity(t.drivers);
    const sensors = variation.correlationSensors;
    const sensorGains = (branch: keyof CorrelationGains) => gains(`correlationSensors.${branch}`, sensors?.[branch], t.synapses);
    this.correlation = new CorrelationSensors(
      registers.synapses,
      t,
      {
        tauGainCausal: sensorGains('tauGainCausal'),
        tauGainAcausal: sensorGains('tauGainAcausal'),
        amplitudeGainCausal: sensorGains('amplitudeGainCausal'),
        amplitudeGainAcausal: sensorGains('amplitudeGainAcausal'),
      },
      options.correlation,
      (options.groupPreEvents ?? true) ? this.synapseRows : undefined,
    );
    this.generators = new BackgroundGenerators(registers, t.generators);
    this.busOverflowDrops = new Float64Array(t.buses);
    this.counters = new EventCounters(registers);
    this.busSlotCycle = new Float64Array(t.buses * BUS_WINDOW).fill(-1);
    this.busSlotUsed = new Uint8Array(t.buses * BUS_WINDOW);
    this.writes = new WriteDecoder(registers.map);
    for (let i = 0; i < t.generators; i++) this.generators.configure(i, 0);
  }

  /** Emits the background generators' events before `cycle` (call before the neuron engine integrates). */
  advanceTo(cycle: number): void {
    this.generators.generate(cycle, this);
  }

  /**
   * A write reached the writable unit at `address` at `cycle` (after the register file stored it): marks
   * compiled configuration stale and executes trigger registers (PADIEvent, resets, post-pulses).
   */
  onWrite(address: number, cycle: number): void {
    const action = this.writes.decode(address);
    if (action === WriteAction.none) return;
    const unit = this.writes.unit;
    const table = this.table;
    switch (action) {
      case WriteAction.crossbar:
        table.invalidateCrossbar();
        break;
      case WriteAction.busConfig:
        table.invalidateBusConfig(unit);
        break;
      case WriteAction.stpConfig:
        table.invalidateStpConfig(unit);
        break;
      case WriteAction.driver:
        table.invalidateDriver(unit);
        // The row modes reach the fan-out of the driver's rows.
        for (let r = 0; r < this.topology.rowsPerDriver; r++) this.synapseRows.markRow(this.topology.driverRows[unit * this.topology.rowsPerDriver + r]!);
        break;
      case WriteAction.columnQuad:
        table.invalidateColumnQuad(unit);
        this.markSynramRows(new ColumnCurrentQuadOnDLS(unit).toSynramOnDLS().value);
        break;
      case WriteAction.backend:
        table.invalidateCircuit(this.topology.backendCircuit[unit]!);
        break;
      case WriteAction.backendCommon:
        table.invalidateBackendHalf(new CommonNeuronBackendConfigOnDLS(unit).toNeuronBackendConfigBlockOnDLS().value);
        break;
      case WriteAction.recording:
        table.invalidateRecording();
        break;
      case WriteAction.synapses:
        // The labels may change: pre-event times taken per address group go to their synapses first.
        this.correlation.flushRow(this.topology.rowOfQuad[unit]!);
        this.synapseRows.markRow(this.topology.rowOfQuad[unit]!);
        break;
      case WriteAction.generator:
        this.generators.generate(cycle, this);
        this.generators.configure(unit, cycle);
        break;
      case WriteAction.padiEvent:
        this.padiEvent(unit, cycle);
        break;
      case WriteAction.correlationReset:
        for (const synapse of new SynapseQuadOnDLS(unit).toSynapseOnDLS()) this.correlation.resetSynapse(synapse.value);
        break;
      case WriteAction.neuronResetQuad:
        if (this.resetQuadClearsCorrelation) this.clearRowZero(new NeuronResetQuadOnDLS(unit));
        break;
      case WriteAction.spikeCounterReset:
        this.counters.resetSpikeCounter(new SpikeCounterResetOnDLS(unit).toSpikeCounterReadOnDLS().value);
        break;
      case WriteAction.blockPostPulse:
        this.blockPostPulse(new BlockPostPulseOnDLS(unit), cycle);
        break;
    }
  }

  /** The chip reset line: configuration back at reset values (already in the register file), state cleared. */
  onReset(cycle: number): void {
    this.invalidate();
    this.stp.reset();
    this.correlation.reset();
    this.generators.reset();
    for (let i = 0; i < this.topology.generators; i++) this.generators.configure(i, cycle);
    this.busOverflowDrops.fill(0);
    this.busSlotCycle.fill(-1);
    this.busSlotUsed.fill(0);
  }

  /** The register file was changed behind `onWrite`'s back (or the variation arrays were): recompile all. */
  invalidate(): void {
    this.table.invalidateAll();
    for (let row = 0; row < this.topology.rows; row++) this.correlation.flushRow(row);
    this.synapseRows.markAll();
  }

  /**
   * Neuron `circuit` (AtomicNeuronOnDLS) fired at `cycle`: its spike counter counts, its post-pulse reaches
   * its synapse column (correlation sensors), and — with spike output enabled — its label
   * `(column / 32) << 8 | address_out` enters crossbar input `column / 32` (§1.3, §2.4). `halfCycle` (the
   * 250 MHz tick inside the FPGA cycle, §1.1) reaches the recorded spike's timestamp.
   */
  routeNeuronSpike(circuit: number, cycle: number, halfCycle: 0 | 1 = 0): void {
    const t = this.topology;
    if (!(Number.isInteger(circuit) && circuit >= 0 && circuit < t.circuits)) throw new ChipSimArgumentError('circuit', circuit, `an AtomicNeuronOnDLS 0..${t.circuits - 1}`);
    checkCycle(cycle);
    const table = this.table;
    table.update();
    this.counters.countSpike(t.circuitBackend[circuit]!);
    if (table.circuitPostPulse[circuit] === 1) this.correlation.post(t.columnSlotOfCircuit[circuit]!, cycle);
    const label = table.circuitLabel[circuit]!;
    if (label >= 0) this.crossbar(t.circuitEventOutput[circuit]!, label, cycle, halfCycle);
  }

  /** The FPGA sends the 16-bit `label` at `cycle`: it enters crossbar input `8 + spl1_address` (§2.4). */
  routeExternalEvent(label: number, cycle: number): void {
    if ((label & SPIKE_LABEL_MASK) !== label) throw new ChipSimArgumentError('label', label, `a 16-bit spike label 0..${SPIKE_LABEL_MASK}`);
    checkCycle(cycle);
    this.table.update();
    this.crossbar(this.topology.linkInput[(label >>> SPL1_SHIFT) & SPL1_MASK]!, label & NEURON_LABEL_MASK, cycle);
  }

  /** Background generator `generator` emits the 14-bit `label` at `cycle` into crossbar input `12 + i`. */
  routeBackgroundEvent(generator: number, label: number, cycle: number): void {
    if (!(Number.isInteger(generator) && generator >= 0 && generator < this.topology.generators)) {
      throw new ChipSimArgumentError('generator', generator, `a BackgroundSpikeSourceOnDLS 0..${this.topology.generators - 1}`);
    }
    if ((label & NEURON_LABEL_MASK) !== label) throw new ChipSimArgumentError('label', label, `a 14-bit neuron label 0..${NEURON_LABEL_MASK}`);
    checkCycle(cycle);
    this.table.update();
    this.crossbar(this.topology.generatorInput[generator]!, label, cycle);
  }

  /** The column switches of `synram` changed: every row of it recompiles its fan-out. */
  private markSynramRows(synram: number): void {
    const t = this.topology;
    for (let row = 0; row < t.rows; row++) if (t.rowSynram[row] === synram) this.synapseRows.markRow(row);
  }

  /** One event at a crossbar input: every node whose filter matches forwards it to its output (§2.5). */
  private crossbar(input: number, label: number, cycle: number, halfCycle: 0 | 1 = 0): void {
    const t = this.topology;
    const table = this.table;
    let forwarded = 0;
    let countsDrops = 0;
    for (let n = t.inputNodeStart[input]!, end = t.inputNodeStart[input + 1]!; n < end; n++) {
      if ((label & table.nodeMask[n]!) !== table.nodeTarget[n]!) {
        countsDrops |= table.nodeCountsDrops[n]!;
        continue;
      }
      forwarded++;
      const output = t.nodeOutput[n]!;
      if (table.outputCountsEvents[output] === 1) this.counters.countEvent(output);
      const bus = t.outputBus[output]!;
      if (bus >= 0) {
        if (table.busTakesCrossbar[bus] === 1) this.bus(bus, label, cycle);
      } else if (table.recording) {
        this.recorder.spike(((t.outputLink[output]! << SPL1_SHIFT) | label) >>> 0, cycle, halfCycle);
      }
    }
    // Choice (§2.5, lola CrossbarNode): an event no node forwards counts once at its input when any of the
    // input's nodes has its drop counter enabled.
    if (forwarded === 0 && countsDrops === 1) this.counters.countDrop(input);
  }

  /** One event on PADI bus `bus`: the drivers whose row-select compare matches fire (§3.6). */
  private bus(bus: number, label: number, cycle: number): void {
    const slot = bus * BUS_WINDOW + (cycle % BUS_WINDOW);
    if (this.busSlotCycle[slot] !== cycle) {
      this.busSlotCycle[slot] = cycle;
      this.busSlotUsed[slot] = 0;
    }
    if (this.busSlotUsed[slot]! >= BUS_EVENTS_PER_CYCLE) {
      this.busOverflowDrops[bus]!++;
      return;
    }
    this.busSlotUsed[slot]!++;
    const t = this.topology;
    const table = this.table;
    const select = bus * t.rowSelects + ((label >>> ROW_SELECT_SHIFT) & ROW_SELECT_MASK);
    const address = label & ADDRESS_MASK;
    for (let k = 0, count = table.busDriverCount[select]!; k < count; k++) {
      this.driver(table.busDrivers[select * t.busIndices + k]!, address, cycle);
    }
  }

  /** A driver fires: its pulse factor (trim, extension, gain, hagen activation, STP), then its two rows. */
  private driver(d: number, address: number, cycle: number): void {
    const table = this.table;
    let pulse = table.driverPulseFactor[d]!;
    if (table.driverHagen[d] === 1) pulse *= hagenActivationFactor(address & ACTIVATION_MASK, table.driverHagenThreshold[d]);
    if (table.driverStp[d] === 1) pulse *= this.stp.transmit(d, cycle, table.driverUtilization[d]!, table.driverRecoveryRate[d]!);
    const forwarded = address & table.driverAddressMask[d]!;
    const rows = this.topology.rowsPerDriver;
    for (let r = 0; r < rows; r++) this.row(this.topology.driverRows[d * rows + r]!, forwarded, pulse, cycle);
  }

  /** The synapses of `row` labelled `address` emit `weight / 63 · pulse`; all of them see a pre event. */
  private row(row: number, address: number, pulse: number, cycle: number): void {
    const t = this.topology;
    const rows = this.synapseRows;
    rows.ensure(row);
    const groupSlot = row * (t.labels + 1) + address;
    if (pulse > 0) {
      const from = rows.fanStart[groupSlot]!;
      const to = rows.fanStart[groupSlot + 1]!;
      if (to > from) this.sink.synapticInputs(rows.fanTarget, rows.fanWeight, from, to, pulse, cycle);
    }
    const correlation = this.correlation;
    if (correlation.groupsPreEvents) {
      if (rows.groupStart[groupSlot + 1]! > rows.groupStart[groupSlot]!) correlation.preGroup(row, address, cycle);
      return;
    }
    const entryBase = row * t.columns;
    const columnBase = t.rowSynram[row]! * t.columns;
    const synapseBase = t.rowSynapseBase[row]!;
    for (let k = rows.groupStart[groupSlot]!, end = rows.groupStart[groupSlot + 1]!; k < end; k++) {
      const column = rows.column[entryBase + k]!;
      correlation.pre(synapseBase + column, columnBase + column, cycle);
    }
  }

  /** PADIEvent: a software event on the buses of one block that take the trigger register (no enable_spl1). */
  private padiEvent(block: number, cycle: number): void {
    this.table.update();
    const coord = new PADIEventOnDLS(block);
    const words = this.registers.containerWords('PADIEvent');
    const event = PADIEvent.decode(words.subarray(block * PADIEvent.wordCount, (block + 1) * PADIEvent.wordCount));
    const label = (event.rowSelectAddress << ROW_SELECT_SHIFT) | event.eventAddress;
    event.fireBus.forEach((fire, local) => {
      const bus = new PADIBusOnDLS(new PADIBusOnPADIBusBlock(local), coord.toPADIBusBlockOnDLS()).value;
      if (fire && this.table.busTakesCrossbar[bus] === 0) this.bus(bus, label, cycle);
    });
  }

  /** §3.4 Choice: the real chip's NeuronResetQuad also clears the correlation of synapse row 0 in that quad. */
  private clearRowZero(quad: NeuronResetQuadOnDLS): void {
    const synapses = new SynapseQuadOnDLS(
      new SynapseQuadOnSynram(quad.toSynapseQuadColumnOnDLS(), new SynapseRowOnSynram(0)),
      quad.toHemisphereOnDLS().toSynramOnDLS(),
    ).toSynapseOnDLS();
    for (const synapse of synapses) this.correlation.resetSynapse(synapse.value);
  }

  /** BlockPostPulse: a post-pulse into every synapse column of the half, in both synrams (§3.4). */
  private blockPostPulse(block: BlockPostPulseOnDLS, cycle: number): void {
    const half = block.toNeuronBackendConfigBlockOnDLS().value;
    for (const column of NeuronColumnOnDLS.all()) {
      if (column.toNeuronBackendConfigBlockOnDLS().value !== half) continue;
      for (const synram of SynramOnDLS.all()) this.correlation.post(synram.value * this.topology.columns + column.value, cycle);
    }
  }
}

/** Event times are FPGA cycles: non-negative integers (checked at the router's entry points). */
function checkCycle(cycle: number): void {
  if (!(Number.isSafeInteger(cycle) && cycle >= 0)) throw new ChipSimArgumentError('cycle', cycle, 'a non-negative integer FPGA cycle');
}
