import {
  AtomicNeuronOnDLS,
  BackgroundSpikeSourceOnDLS,
  CrossbarInputOnDLS,
  CrossbarNodeOnDLS,
  CrossbarOutputOnDLS,
  NeuronColumnOnDLS,
  PADIBusOnDLS,
  PADIRowSelectAddress,
  SPL1Address,
  SynapseDriverOnDLS,
  SynapseDriverOnPADIBus,
  SynapseLabel,
  SynapseOnDLS,
  SynapseOnSynapseRow,
  SynapseOnSynram,
  SynapseQuadOnDLS,
  SynapseRowOnDLS,
  SynapseRowOnSynapseDriver,
  SynramOnDLS,
} from '@bss2/halco';

/**
 * The fixed wiring of the event path as flat lookup tables, computed once from halco's conversions
 * (hardware.md §2.3, §2.5, §2.7) so that the hot loop indexes typed arrays instead of building coordinates
 * and nothing positional is re-derived here.
 */
export class EventTopology {
  readonly circuits = AtomicNeuronOnDLS.size;
  readonly columns = NeuronColumnOnDLS.size;
  readonly synrams = SynramOnDLS.size;
  readonly drivers = SynapseDriverOnDLS.size;
  readonly buses = PADIBusOnDLS.size;
  readonly rowSelects = PADIRowSelectAddress.size;
  readonly busIndices = SynapseDriverOnPADIBus.size;
  readonly rows = SynapseRowOnDLS.size;
  readonly rowsPerDriver = SynapseRowOnSynapseDriver.size;
  readonly labels = SynapseLabel.size;
  readonly synapses = SynapseOnDLS.size;
  readonly crossbarInputs = CrossbarInputOnDLS.size;
  readonly crossbarOutputs = CrossbarOutputOnDLS.size;
  readonly crossbarNodes = CrossbarNodeOnDLS.size;
  readonly generators = BackgroundSpikeSourceOnDLS.size;

  /** SynapseDriverOnDLS at `bus · busIndices + busIndex` (§2.7: driver 4·index + bus of the bus's block). */
  readonly driverOnBus: Uint16Array;
  /** Per driver: its PADI bus (PADIBusOnDLS) and its index on that bus. */
  readonly driverBus: Uint8Array;
  readonly driverBusIndex: Uint8Array;
  /** Per driver: the CommonPADIBusConfigOnDLS of its bus and the CommonSTPConfigOnDLS of its block. */
  readonly driverBusConfig: Uint8Array;
  readonly driverStpConfig: Uint8Array;
  /** SynapseRowOnDLS at `driver · 2 + SynapseRowOnSynapseDriver` (0 top = odd row, 1 bottom = even row). */
  readonly driverRows: Uint16Array;
  /** Per SynapseRowOnDLS: the SynapseOnDLS of its column 0; column c is `+ c` (grid enums are row-major). */
  readonly rowSynapseBase: Uint32Array;
  /** Per row: its synram (hemisphere). */
  readonly rowSynram: Uint8Array;
  /** The circuit (AtomicNeuronOnDLS) below column c of synram h, at `h · columns + c` (§2.3). */
  readonly circuitOfColumn: Uint16Array;
  /** Per circuit: `synram · columns + column`, i.e. the column slot of its own synapse column (post-pulses). */
  readonly columnSlotOfCircuit: Uint16Array;
  /** Per circuit: its backend index (NeuronBackendConfigOnDLS = SpikeCounterReadOnDLS), half, event output. */
  readonly circuitBackend: Uint16Array;
  readonly circuitBackendBlock: Uint8Array;
  readonly circuitEventOutput: Uint8Array;
  /** Per backend index (NeuronBackendConfigOnDLS): its circuit. */
  readonly backendCircuit: Uint16Array;
  /** Per crossbar input: its nodes are `inputNodeStart[i] .. inputNodeStart[i + 1] − 1` (enum order). */
  readonly inputNodeStart: Uint8Array;
  readonly nodeOutput: Uint8Array;
  /** Per crossbar output: its PADI bus (PADIBusOnDLS) or −1; its SPL1Address (FPGA link) or −1. */
  readonly outputBus: Int8Array;
  readonly outputLink: Int8Array;
  /** Per SPL1Address: the FPGA link input of the crossbar. Per generator: its crossbar input. */
  readonly linkInput: Uint8Array;
  readonly generatorInput: Uint8Array;
  /** Per SynapseQuadOnDLS: its SynapseRowOnDLS. */
  readonly rowOfQuad: Uint16Array;

  constructor() {
    this.driverOnBus = new Uint16Array(this.buses * this.busIndices);
    this.driverBus = new Uint8Array(this.drivers);
    this.driverBusIndex = new Uint8Array(this.drivers);
    this.driverRows = new Uint16Array(this.drivers * this.rowsPerDriver);
    this.driverBusConfig = new Uint8Array(this.drivers);
    this.driverStpConfig = new Uint8Array(this.drivers);
    for (const driver of SynapseDriverOnDLS.all()) {
      const d = driver.value;
      const bus = driver.toPADIBusOnDLS().value;
      this.driverBusConfig[d] = driver.toPADIBusOnDLS().toPADIBusBlockOnDLS().toCommonPADIBusConfigOnDLS().value;
      this.driverStpConfig[d] = driver.toSynapseDriverBlockOnDLS().toCommonSTPConfigOnDLS().value;
      const index = driver.toSynapseDriverOnSynapseDriverBlock().toSynapseDriverOnPADIBus().value;
      this.driverBus[d] = bus;
      this.driverBusIndex[d] = index;
      this.driverOnBus[bus * this.busIndices + index] = d;
      driver.toSynapseRowOnDLS().forEach((row, slot) => (this.driverRows[d * this.rowsPerDriver + slot] = row.value));
    }

    this.rowSynapseBase = new Uint32Array(this.rows);
    this.rowSynram = new Uint8Array(this.rows);
    const lastColumn = new SynapseOnSynapseRow(SynapseOnSynapseRow.max);
    for (const row of SynapseRowOnDLS.all()) {
      const synram = row.toSynramOnDLS();
      const base = new SynapseOnDLS(new SynapseOnSynram(new SynapseOnSynapseRow(0), row.toSynapseRowOnSynram()), synram).value;
      const last = new SynapseOnDLS(new SynapseOnSynram(lastColumn, row.toSynapseRowOnSynram()), synram).value;
      if (last !== base + lastColumn.value) throw new Error('@bss2/halco SynapseOnDLS is not row-major in the column');
      this.rowSynapseBase[row.value] = base;
      this.rowSynram[row.value] = synram.value;
    }

    this.circuitOfColumn = new Uint16Array(this.synrams * this.columns);
    this.columnSlotOfCircuit = new Uint16Array(this.circuits);
    this.circuitBackend = new Uint16Array(this.circuits);
    this.circuitBackendBlock = new Uint8Array(this.circuits);
    this.circuitEventOutput = new Uint8Array(this.circuits);
    this.backendCircuit = new Uint16Array(this.circuits);
    for (const neuron of AtomicNeuronOnDLS.all()) {
      const n = neuron.value;
      const column = neuron.toNeuronColumnOnDLS();
      const slot = neuron.toSynramOnDLS().value * this.columns + column.toSynapseOnSynapseRow().value;
      this.circuitOfColumn[slot] = n;
      this.columnSlotOfCircuit[n] = slot;
      this.circuitBackend[n] = neuron.toNeuronBackendConfigOnDLS().value;
      this.backendCircuit[this.circuitBackend[n]!] = n;
      this.circuitBackendBlock[n] = column.toNeuronBackendConfigBlockOnDLS().value;
      this.circuitEventOutput[n] = neuron.toNeuronEventOutputOnDLS().toCrossbarInputOnDLS().value;
    }

    this.inputNodeStart = new Uint8Array(this.crossbarInputs + 1);
    this.nodeOutput = new Uint8Array(this.crossbarNodes);
    for (const input of CrossbarInputOnDLS.all()) {
      const nodes = input.toCrossbarNodeOnDLS();
      const first = nodes[0]!.value;
      nodes.forEach((node, k) => {
        if (node.value !== first + k) throw new Error('@bss2/halco CrossbarNodeOnDLS is not input-major');
        this.nodeOutput[node.value] = node.toCrossbarOutputOnDLS().value;
      });
      this.inputNodeStart[input.value] = first;
      this.inputNodeStart[input.value + 1] = first + nodes.length;
    }
    this.outputBus = Int8Array.from(CrossbarOutputOnDLS.all(), (o) => o.toPADIBusOnDLS()?.value ?? -1);
    this.outputLink = Int8Array.from(CrossbarOutputOnDLS.all(), (o) => o.toSPL1Address()?.value ?? -1);
    this.linkInput = Uint8Array.from(SPL1Address.all(), (a) => a.toCrossbarInputOnDLS().value);
    this.generatorInput = Uint8Array.from(BackgroundSpikeSourceOnDLS.all(), (g) => g.toCrossbarInputOnDLS().value);
    this.rowOfQuad = Uint16Array.from(SynapseQuadOnDLS.all(), (q) => q.toSynapseRowOnDLS().value);
  }
}

let shared: EventTopology | undefined;

/** The process-wide wiring tables (immutable; built on first use). */
export function eventTopology(): EventTopology {
  shared ??= new EventTopology();
  return shared;
}
