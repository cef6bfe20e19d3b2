import {
  AtomicNeuronOnDLS,
  ColumnCurrentQuadOnDLS,
  CommonNeuronBackendConfigOnDLS,
  CommonPADIBusConfigOnDLS,
  EntryOnQuad,
  NeuronBackendAddressOut,
  NeuronLabel,
  PADIBusOnDLS,
  PADIBusOnPADIBusBlock,
} from '@bss2/halco';
import {
  ColumnCurrentQuad,
  CommonNeuronBackendConfig,
  CommonPADIBusConfig,
  CommonSTPConfig,
  CrossbarNode,
  CrossbarOutputConfig,
  EventRecordingConfig,
  NeuronBackendConfig,
  SynapseDriverConfig,
  driverMatches,
  nominal,
  type SynapseDriverRowMode,
} from '@bss2/lola';
import type { RegisterFile } from '../register-file.js';
import { hagenDacThreshold, offsetPulseFactor, pulseExtensionFactor, stpRecoveryTime_us, stpUtilization } from './driver-pulse.js';
import type { EventTopology } from './topology.js';

/** Receptor bits of a row mode or a column's current switches: excitatory (receptor 0) and inhibitory (1). */
export const RECEPTOR_EXCITATORY = 1;
export const RECEPTOR_INHIBITORY = 2;

/** Address bits a synapse compares (§2.4 bits 5..0) and the one a driver forwards without address out (§3.6). */
const ADDRESS_MASK = 0x3f;
const ADDRESS_MSB = 0x20;

/**
 * `(mask · 32 + busIndex) · 32 + rowSelect` → whether a driver at `busIndex` with compare `mask` takes an
 * event with `rowSelect`: lola's `driverMatches` (the §3.6 formula) tabulated once per process.
 */
let matchTable: Uint8Array | undefined;
function driverMatchTable(size: number): Uint8Array {
  if (matchTable === undefined) {
    matchTable = new Uint8Array(size * size * size);
    for (let mask = 0; mask < size; mask++) {
      for (let index = 0; index < size; index++) {
        for (let select = 0; select < size; select++) matchTable[(mask * size + index) * size + select] = driverMatches(select, index, mask) ? 1 : 0;
      }
    }
  }
  return matchTable;
}

/** The receptor bits of a lola row mode: excitatory, inhibitory, both or none (§3.6). */
function receptorsOf(mode: SynapseDriverRowMode): number {
  const excitatory = mode === 'excitatory' || mode === 'excitatoryAndInhibitory' ? RECEPTOR_EXCITATORY : 0;
  const inhibitory = mode === 'inhibitory' || mode === 'excitatoryAndInhibitory' ? RECEPTOR_INHIBITORY : 0;
  return excitatory | inhibitory;
}

/**
 * The event-path configuration compiled from the register file into flat tables (style.md: precompute when
 * the configuration changes, not per event). Every container is decoded by its lola class. The router marks
 * what a write touched (one driver, one column quad, one neuron, a block's common config…) and `update()`,
 * called before routing, recompiles just that.
 */
export class RoutingTable {
  // Crossbar (§2.5): per node its filter and drop-counter enable; per output its event-counter enable.
  readonly nodeMask: Int32Array;
  readonly nodeTarget: Int32Array;
  readonly nodeCountsDrops: Uint8Array;
  readonly outputCountsEvents: Uint8Array;

  // PADI buses (§3.6): whether the bus takes crossbar events (enable_spl1) or the PADIEvent trigger register.
  readonly busTakesCrossbar: Uint8Array;
  /** Per bus: dacen_pulse_extension as a pulse factor. */
  readonly busPulseExtension: Float64Array;

  /** Drivers matching bus `p` and row select `s`: `busDrivers[(p · 32 + s) · 32 + k]`, k < `busDriverCount`. */
  readonly busDriverCount: Uint8Array;
  readonly busDrivers: Uint16Array;
  /** Per driver: receiver on, and its row-address compare mask. */
  readonly driverEnabled: Uint8Array;
  readonly driverMask: Uint8Array;
  /** Per driver: the address bits it forwards to its rows (all 6, or only the MSB without address out). */
  readonly driverAddressMask: Uint8Array;
  /** Per driver: integrator ("hagen") mode, the 5 address LSBs scale the pulse (§3.6, §8.2). */
  readonly driverHagen: Uint8Array;
  /** Per driver: the activation LSB its hagen DAC loses (fixed pattern minus `hagen_dac_offset`, driver-pulse.ts). */
  readonly driverHagenThreshold: Float64Array;
  readonly driverStp: Uint8Array;
  readonly driverUtilization: Float64Array;
  /** 1 / τ_rec in 1/FPGA cycles; 0 while the driver's recovery or its block's recovery clock is off. */
  readonly driverRecoveryRate: Float64Array;
  /** Static pulse factor: offset trim × bus pulse extension × the driver's pulse gain variation (§8.4). */
  readonly driverPulseFactor: Float64Array;
  /** Per SynapseRowOnDLS: its row mode as receptor bits. */
  readonly rowReceptors: Uint8Array;
  /** Per `synram · 256 + column`: the receptors whose synaptic current reaches the neuron (ColumnCurrentQuad). */
  readonly columnReceptors: Uint8Array;

  /** Per circuit: the 14-bit label it sends, or −1 when its spikes do not leave the backend (§1.3, §3.4). */
  readonly circuitLabel: Int32Array;
  /** Per circuit: whether its spike is sent back into its synapse column as a post-pulse. */
  readonly circuitPostPulse: Uint8Array;
  /** EventRecordingConfig: spikes reach the FPGA only when set (§3.10). */
  recording = false;

  private dirty = true;
  private crossbarDirty = true;
  private recordingDirty = true;
  private readonly busConfigDirty: Uint8Array;
  private readonly driverDirty: Uint8Array;
  private readonly busDirty: Uint8Array;
  private readonly quadDirty: Uint8Array;
  private readonly circuitDirty: Uint8Array;
  private readonly match: Uint8Array;

  constructor(
    private readonly registers: RegisterFile,
    private readonly topology: EventTopology,
    private readonly driverPulseGain: Float32Array | Float64Array,
    private readonly hagenDacOffset_lsb: Float32Array | Float64Array,
  ) {
    const t = topology;
    this.nodeMask = new Int32Array(t.crossbarNodes);
    this.nodeTarget = new Int32Array(t.crossbarNodes);
    this.nodeCountsDrops = new Uint8Array(t.crossbarNodes);
    this.outputCountsEvents = new Uint8Array(t.crossbarOutputs);
    this.busTakesCrossbar = new Uint8Array(t.buses);
    this.busPulseExtension = new Float64Array(t.buses);
    this.busDriverCount = new Uint8Array(t.buses * t.rowSelects);
    this.busDrivers = new Uint16Array(t.buses * t.rowSelects * t.busIndices);
    this.driverEnabled = new Uint8Array(t.drivers);
    this.driverMask = new Uint8Array(t.drivers);
    this.driverAddressMask = new Uint8Array(t.drivers);
    this.driverHagen = new Uint8Array(t.drivers);
    this.driverHagenThreshold = new Float64Array(t.drivers);
    this.driverStp = new Uint8Array(t.drivers);
    this.driverUtilization = new Float64Array(t.drivers);
    this.driverRecoveryRate = new Float64Array(t.drivers);
    this.driverPulseFactor = new Float64Array(t.drivers);
    this.rowReceptors = new Uint8Array(t.rows);
    this.columnReceptors = new Uint8Array(t.synrams * t.columns);
    this.circuitLabel = new Int32Array(t.circuits);
    this.circuitPostPulse = new Uint8Array(t.circuits);
    this.busConfigDirty = new Uint8Array(CommonPADIBusConfigOnDLS.size);
    this.driverDirty = new Uint8Array(t.drivers);
    this.busDirty = new Uint8Array(t.buses);
    this.quadDirty = new Uint8Array(ColumnCurrentQuadOnDLS.size);
    this.circuitDirty = new Uint8Array(t.circuits);
    this.match = driverMatchTable(t.busIndices);
    this.invalidateAll();
  }

  /** Everything may have changed (chip reset, a register file edited behind the router's back). */
  invalidateAll(): void {
    this.dirty = this.crossbarDirty = this.recordingDirty = true;
    this.busConfigDirty.fill(1);
    this.driverDirty.fill(1);
    this.busDirty.fill(1);
    this.quadDirty.fill(1);
    this.circuitDirty.fill(1);
  }

  /** A CrossbarNode or the CrossbarOutputConfig changed. */
  invalidateCrossbar(): void {
    this.dirty = this.crossbarDirty = true;
  }

  invalidateRecording(): void {
    this.dirty = this.recordingDirty = true;
  }

  /** CommonPADIBusConfig `block` changed: its buses and the pulse factors of their drivers. */
  invalidateBusConfig(block: number): void {
    this.dirty = true;
    this.busConfigDirty[block] = 1;
    for (let d = 0; d < this.topology.drivers; d++) if (this.topology.driverBusConfig[d] === block) this.driverDirty[d] = 1;
  }

  /** CommonSTPConfig `block` changed: the recovery of its drivers. */
  invalidateStpConfig(block: number): void {
    this.dirty = true;
    for (let d = 0; d < this.topology.drivers; d++) if (this.topology.driverStpConfig[d] === block) this.driverDirty[d] = 1;
  }

  /** SynapseDriverConfig of driver `d` changed. */
  invalidateDriver(d: number): void {
    this.dirty = true;
    this.driverDirty[d] = 1;
  }

  /** ColumnCurrentQuad `quad` (ColumnCurrentQuadOnDLS) changed. */
  invalidateColumnQuad(quad: number): void {
    this.dirty = true;
    this.quadDirty[quad] = 1;
  }

  /** NeuronBackendConfig of `circuit` changed. */
  invalidateCircuit(circuit: number): void {
    this.dirty = true;
    this.circuitDirty[circuit] = 1;
  }

  /** CommonNeuronBackendConfig of backend half `half` changed. */
  invalidateBackendHalf(half: number): void {
    this.dirty = true;
    for (let n = 0; n < this.topology.circuits; n++) if (this.topology.circuitBackendBlock[n] === half) this.circuitDirty[n] = 1;
  }

  /** Recompiles what changed since the last call; one boolean test when nothing did. */
  update(): void {
    if (!this.dirty) return;
    this.dirty = false;
    if (this.crossbarDirty) this.compileCrossbar();
    this.compileBusConfigs();
    this.compileDrivers();
    this.compileColumns();
    this.compileBackend();
    if (this.recordingDirty) {
      this.recordingDirty = false;
      this.recording = EventRecordingConfig.decode(this.registers.containerWords('EventRecordingConfig')).enableEventRecording;
    }
  }

  private compileCrossbar(): void {
    this.crossbarDirty = false;
    const nodes = this.registers.containerWords('CrossbarNode');
    for (let n = 0; n < this.topology.crossbarNodes; n++) {
      const node = CrossbarNode.decode(wordsOf(nodes, n, CrossbarNode.wordCount));
      this.nodeMask[n] = node.mask;
      this.nodeTarget[n] = node.target;
      this.nodeCountsDrops[n] = node.enableDropCounter ? 1 : 0;
    }
    const output = CrossbarOutputConfig.decode(this.registers.containerWords('CrossbarOutputConfig'));
    output.enableEventCounter.forEach((on, o) => (this.outputCountsEvents[o] = on ? 1 : 0));
  }

  private compileBusConfigs(): void {
    const words = this.registers.containerWords('CommonPADIBusConfig');
    for (const block of CommonPADIBusConfigOnDLS.all()) {
      if (this.busConfigDirty[block.value] === 0) continue;
      this.busConfigDirty[block.value] = 0;
      const config = CommonPADIBusConfig.decode(wordsOf(words, block.value, CommonPADIBusConfig.wordCount));
      for (const local of PADIBusOnPADIBusBlock.all()) {
        const bus = new PADIBusOnDLS(local, block.toPADIBusBlockOnDLS()).value;
        this.busTakesCrossbar[bus] = config.enableSpl1[local.value] ? 1 : 0;
        this.busPulseExtension[bus] = pulseExtensionFactor(config.dacenPulseExtension[local.value]!);
      }
    }
  }

  private compileDrivers(): void {
    const t = this.topology;
    const stpWords = this.registers.containerWords('CommonSTPConfig');
    const driverWords = this.registers.containerWords('SynapseDriverConfig');
    for (let d = 0; d < t.drivers; d++) {
      if (this.driverDirty[d] === 0) continue;
      this.driverDirty[d] = 0;
      this.busDirty[t.driverBus[d]!] = 1;
      const config = SynapseDriverConfig.decode(wordsOf(driverWords, d, SynapseDriverConfig.wordCount));
      const stp = CommonSTPConfig.decode(wordsOf(stpWords, t.driverStpConfig[d]!, CommonSTPConfig.wordCount));
      this.driverEnabled[d] = config.enableReceiver ? 1 : 0;
      this.driverMask[d] = config.rowAddressCompareMask;
      this.driverAddressMask[d] = config.enableAddressOut ? ADDRESS_MASK : ADDRESS_MSB;
      this.driverHagen[d] = config.enableHagenModulation && config.enableHagenDac ? 1 : 0;
      this.driverHagenThreshold[d] = hagenDacThreshold(this.hagenDacOffset_lsb[d]!, config.hagenDacOffset);
      this.driverStp[d] = config.enableStp ? 1 : 0;
      this.driverUtilization[d] = stpUtilization(config.utilization);
      const recovering = config.enableRecovery && stp.enableRecoveryClock;
      this.driverRecoveryRate[d] = recovering ? 1 / (stpRecoveryTime_us(config.recovery, stp.recoveryClockSpeed) * nominal.fpgaClockCyclesPerUs) : 0;
      this.driverPulseFactor[d] = offsetPulseFactor(config.offset) * this.busPulseExtension[t.driverBus[d]!]! * this.driverPulseGain[d]!;
      const rows = t.rowsPerDriver;
      this.rowReceptors[t.driverRows[d * rows]!] = receptorsOf(config.rowModeTop);
      this.rowReceptors[t.driverRows[d * rows + 1]!] = receptorsOf(config.rowModeBottom);
    }
    // Per bus and row-select address, the drivers that take the event: receiver on and lola's
    // `driverMatches` (the §3.6 compare), tabulated.
    const size = t.busIndices;
    for (let bus = 0; bus < t.buses; bus++) {
      if (this.busDirty[bus] === 0) continue;
      this.busDirty[bus] = 0;
      for (let select = 0; select < t.rowSelects; select++) {
        const slot = bus * t.rowSelects + select;
        let count = 0;
        for (let index = 0; index < size; index++) {
          const d = t.driverOnBus[bus * size + index]!;
          if (this.driverEnabled[d] === 1 && this.match[(this.driverMask[d]! * size + index) * size + select] === 1) {
            this.busDrivers[slot * size + count++] = d;
          }
        }
        this.busDriverCount[slot] = count;
      }
    }
  }

  private compileColumns(): void {
    const t = this.topology;
    const words = this.registers.containerWords('ColumnCurrentQuad');
    for (const quad of ColumnCurrentQuadOnDLS.all()) {
      if (this.quadDirty[quad.value] === 0) continue;
      this.quadDirty[quad.value] = 0;
      const config = ColumnCurrentQuad.decode(wordsOf(words, quad.value, ColumnCurrentQuad.wordCount));
      const synram = quad.toSynramOnDLS().value;
      for (const entry of EntryOnQuad.all()) {
        const column = quad.toSynapseQuadColumnOnDLS().neuronColumnOf(entry).value;
        const e = entry.value;
        this.columnReceptors[synram * t.columns + column] =
          (config.enableSynapticCurrentExcitatory[e] ? RECEPTOR_EXCITATORY : 0) |
          (config.enableSynapticCurrentInhibitory[e] ? RECEPTOR_INHIBITORY : 0);
      }
    }
  }

  private compileBackend(): void {
    const t = this.topology;
    const words = this.registers.containerWords('NeuronBackendConfig');
    const commonWords = this.registers.containerWords('CommonNeuronBackendConfig');
    let eventRegs: boolean[] | undefined;
    for (let n = 0; n < t.circuits; n++) {
      if (this.circuitDirty[n] === 0) continue;
      this.circuitDirty[n] = 0;
      eventRegs ??= Array.from(
        CommonNeuronBackendConfigOnDLS.all(),
        (c) => CommonNeuronBackendConfig.decode(wordsOf(commonWords, c.value, CommonNeuronBackendConfig.wordCount)).enEventRegs,
      );
      const neuron = new AtomicNeuronOnDLS(n);
      const config = NeuronBackendConfig.decode(wordsOf(words, t.circuitBackend[n]!, NeuronBackendConfig.wordCount));
      const sends = config.enSpikeOut && eventRegs[t.circuitBackendBlock[n]!]!;
      this.circuitLabel[n] = sends
        ? NeuronLabel.fromNeuron(neuron.toNeuronEventOutputOnDLS(), new NeuronBackendAddressOut(config.addressOut)).value
        : -1;
      // lola AtomicNeuron maps `bayesian.to_post_pulse` to en_bayesian_extension (hardware.md §3.2).
      this.circuitPostPulse[n] = config.enBayesianExtension ? 1 : 0;
    }
  }
}

/** The words of unit `index` of a unit-major container (`RegisterFile.containerWords`). */
function wordsOf(words: Uint32Array, index: number, wordCount: number): Uint32Array {
  return words.subarray(index * wordCount, (index + 1) * wordCount);
}
