// Omnibus word addresses of every leaf container (hardware.md §3.11 and the halco ↔ lola contract in
// notes/leaf-containers.md). Rules marked "Choice" are ours where the reference leaves the address open; the
// README lists them. lola leaf containers call these functions and never compute an address themselves.
import type { Coordinate, CoordinateType } from './coordinate.js';
import {
  BlockPostPulseOnDLS,
  CADCConfigOnDLS,
  CommonNeuronBackendConfigOnDLS,
  CommonPADIBusConfigOnDLS,
  CommonSTPConfigOnDLS,
  CommonSynramConfigOnDLS,
  PADIEventOnDLS,
  PPUControlRegisterOnDLS,
  PPUStatusRegisterOnDLS,
} from './hemisphere.js';
import { NeuronConfigOnDLS, NeuronConfigOnNeuronConfigBlock } from './neuron.js';
import {
  NeuronBackendConfigOnDLS,
  NeuronBackendConfigOnNeuronBackendConfigBlock,
  NeuronResetOnDLS,
  NeuronResetQuadOnDLS,
  SpikeCounterReadOnDLS,
  SpikeCounterResetOnDLS,
} from './neuron-backend.js';
import {
  ColumnCorrelationQuadOnDLS,
  ColumnCurrentQuadOnDLS,
  SynapseQuadColumnOnDLS,
  SynapseQuadOnDLS,
  SynapseQuadOnSynram,
} from './synapse-quad.js';
import { SynapseDriverOnDLS, SynapseDriverOnSynapseDriverBlock } from './synapse-driver.js';
import { CrossbarInputOnDLS, CrossbarNodeOnDLS, CrossbarOutputConfigOnDLS, CrossbarOutputOnDLS } from './crossbar.js';
import { BackgroundSpikeSourceOnDLS } from './background-spike-source.js';
import {
  CapMemBlockConfigOnDLS,
  CapMemCellOnCapMemBlock,
  CapMemCellOnDLS,
  CapMemColumnOnCapMemBlock,
  ReferenceGeneratorConfigOnDLS,
  SynapseBiasSelectionOnDLS,
} from './capmem.js';
import {
  CADCChannelColumnOnSynram,
  CADCChannelConfigOnDLS,
  CADCChannelConfigOnSynram,
  CADCSampleQuadOnDLS,
  CADCSampleQuadOnSynram,
} from './cadc.js';
import { MADCConfigOnDLS, MADCControlOnDLS, PadMultiplexerConfigOnDLS, ReadoutSourceSelectionOnDLS } from './readout.js';
import { PPUMemoryWordOnDLS, PPUMemoryWordOnPPU } from './ppu.js';
import {
  EventRecordingConfigOnFPGA,
  ExternalPPUDRAMMemoryByteOnFPGA,
  ExternalPPUMemoryByteOnFPGA,
  InstructionTimeoutConfigOnFPGA,
  PollingOmnibusBlockConfigOnFPGA,
  SystimeSyncBaseOnDLS,
  SystimeSyncOnFPGA,
  TimerOnDLS,
} from './fpga.js';

// Base addresses (§3.11). The bottom hemisphere's synapse array, CADC and PPU subtree sit 0x0100_0000 above the
// top's (Choice of §3.11 for synapses and CADC); the west/east (left/right) halves of the neuron, CapMem and
// backend SRAMs are 0x8000 apart.
const hemisphereStride = 0x0100_0000;
const synramBase = (synram: number): number => 0x02c0_0000 + hemisphereStride * synram;
const cadcBase = (cadc: number): number => 0x0240_0000 + hemisphereStride * cadc;
const ppuBase = (ppu: number): number => 0x0200_0000 + hemisphereStride * ppu;
const ppuMemoryBase = (ppu: number): number => 0x0280_0000 + hemisphereStride * ppu;
const capMemBlockBase = (block: number): number => 0x14_0000 + 0x8000 * block;
const neuronConfigBlockBase = (block: number): number => 0x16_0000 + 0x8000 * block;
const backendBase = (half: number): number => 0x1a_1000 + 0x8000 * half;
const resetBase = (half: number): number => 0x12_2000 + 0x8000 * half;
const padiBase = (block: number): number => 0x11_0000 + 0x8000 * block;
const driverBase = (block: number): number => 0x11_0400 + 0x8000 * block;
const crossbarBase = 0x13_0000;
const capMemConfigSpace = capMemBlockBase(0) + 0x4000;
const madcBase = 0x0c_0000;
const executorBase = 0x8800_0000;

// Synapse-array windows, offsets from the array's base (§3.11, §7).
const synram = {
  weights: 0x0_0000,
  evenTrim: 0x1_0000,
  oddTrim: 0x2_0000,
  labels: 0x4_0000,
  causalCADC: 0x8_0000,
  correlationReset: 0x9_0000,
  acausalCADC: 0xc_0000,
  fullQuads: 0xf_0000,
  columnCorrelation: 0xf_8000,
  columnCurrent: 0xf_8100,
  commonConfig: 0xf_8200,
  buffered: 0x20_0000,
} as const;

// lola calls these per unit in its hot paths, so nested coordinates are split arithmetically from the enum
// (`outer = ⌊enum / Local.size⌋`, `local = enum % Local.size`, hardware.md §2.1) instead of allocating the parts.
const outerOf = (c: Coordinate, localSize: number): number => Math.floor(c.value / localSize);
const localOf = (c: Coordinate, localSize: number): number => c.value % localSize;

/** `count` consecutive word addresses from `base`. */
function words(base: number, count: number): number[] {
  const addresses = new Array<number>(count);
  for (let word = 0; word < count; word++) addresses[word] = base + word;
  return addresses;
}

/** `64·row + q` of a quad: the row-major quad index used by every one-word-per-quad window. */
function quadAddress(c: SynapseQuadOnDLS, window: number): number {
  return synramBase(outerOf(c, SynapseQuadOnSynram.size)) + window + localOf(c, SynapseQuadOnSynram.size);
}

/**
 * **Choice:** a reset quad's index inside its backend half: `32·hemisphere + 16·⌊q / 32⌋ + q % 16`. The
 * half follows from the quad's columns (`q % 32 ≥ 16` → right, §2.7); the order mirrors the per-neuron
 * reset layout (row first).
 */
function resetQuadLocal(c: NeuronResetQuadOnDLS): number {
  const q = localOf(c, SynapseQuadColumnOnDLS.size);
  return 32 * outerOf(c, SynapseQuadColumnOnDLS.size) + 16 * Math.floor(q / 32) + (q % 16);
}

/** The omnibus word addresses of every leaf container, word 0 first; keyed by the lola container name. */
export const omnibusAddresses = {
  NeuronConfig: (c: NeuronConfigOnDLS): readonly number[] =>
    words(neuronConfigBlockBase(outerOf(c, NeuronConfigOnNeuronConfigBlock.size)) + 8 * localOf(c, NeuronConfigOnNeuronConfigBlock.size) + 2, 6),
  // Choice: 4 words per neuron, packed.
  NeuronBackendConfig: (c: NeuronBackendConfigOnDLS): readonly number[] =>
    words(backendBase(outerOf(c, NeuronBackendConfigOnNeuronBackendConfigBlock.size)) + 4 * localOf(c, NeuronBackendConfigOnNeuronBackendConfigBlock.size), 4),
  CommonNeuronBackendConfig: (c: CommonNeuronBackendConfigOnDLS): readonly number[] =>
    words(backendBase(c.value) + 0x800, 2),
  NeuronReset: (c: NeuronResetOnDLS): readonly number[] => [
    resetBase(outerOf(c, NeuronBackendConfigOnNeuronBackendConfigBlock.size)) + localOf(c, NeuronBackendConfigOnNeuronBackendConfigBlock.size),
  ],
  NeuronResetQuad: (c: NeuronResetQuadOnDLS): readonly number[] => [
    resetBase(localOf(c, SynapseQuadColumnOnDLS.size) % 32 >= 16 ? 1 : 0) + 0x100 + resetQuadLocal(c),
  ],
  BlockPostPulse: (c: BlockPostPulseOnDLS): readonly number[] => [resetBase(c.value) + 0x400],
  SpikeCounterRead: (c: SpikeCounterReadOnDLS): readonly number[] => [
    resetBase(outerOf(c, NeuronBackendConfigOnNeuronBackendConfigBlock.size)) + 0x800 + localOf(c, NeuronBackendConfigOnNeuronBackendConfigBlock.size),
  ],
  SpikeCounterReset: (c: SpikeCounterResetOnDLS): readonly number[] => [
    resetBase(outerOf(c, NeuronBackendConfigOnNeuronBackendConfigBlock.size)) + 0xc00 + localOf(c, NeuronBackendConfigOnNeuronBackendConfigBlock.size),
  ],
  SynapseQuad: (c: SynapseQuadOnDLS): readonly number[] => {
    const quad = localOf(c, SynapseQuadOnSynram.size);
    const row = Math.floor(quad / SynapseQuadColumnOnDLS.size);
    const q = quad % SynapseQuadColumnOnDLS.size;
    const base = synramBase(outerOf(c, SynapseQuadOnSynram.size)) + synram.fullQuads + 128 * row + q;
    return [base, base + 64];
  },
  SynapseWeightQuad: (c: SynapseQuadOnDLS): readonly number[] => [quadAddress(c, synram.weights)],
  SynapseLabelQuad: (c: SynapseQuadOnDLS): readonly number[] => [quadAddress(c, synram.labels)],
  SynapseCorrelationCalibQuad: (c: SynapseQuadOnDLS): readonly number[] => [
    quadAddress(c, synram.evenTrim),
    quadAddress(c, synram.oddTrim),
  ],
  CorrelationReset: (c: SynapseQuadOnDLS): readonly number[] => [quadAddress(c, synram.correlationReset)],
  ColumnCorrelationQuad: (c: ColumnCorrelationQuadOnDLS): readonly number[] =>
    words(synramBase(outerOf(c, SynapseQuadColumnOnDLS.size)) + synram.columnCorrelation + 2 * localOf(c, SynapseQuadColumnOnDLS.size), 2),
  ColumnCurrentQuad: (c: ColumnCurrentQuadOnDLS): readonly number[] =>
    words(synramBase(outerOf(c, SynapseQuadColumnOnDLS.size)) + synram.columnCurrent + 2 * localOf(c, SynapseQuadColumnOnDLS.size), 2),
  CommonSynramConfig: (c: CommonSynramConfigOnDLS): readonly number[] =>
    words(synramBase(c.value) + synram.commonConfig, 3),
  SynapseBiasSelection: (_: SynapseBiasSelectionOnDLS): readonly number[] => [capMemConfigSpace + 0x40],
  SynapseDriverConfig: (c: SynapseDriverOnDLS): readonly number[] =>
    words(driverBase(outerOf(c, SynapseDriverOnSynapseDriverBlock.size)) + 3 * localOf(c, SynapseDriverOnSynapseDriverBlock.size), 3),
  PADIEvent: (c: PADIEventOnDLS): readonly number[] => [padiBase(c.value)],
  CommonPADIBusConfig: (c: CommonPADIBusConfigOnDLS): readonly number[] => [padiBase(c.value) + 1],
  CommonSTPConfig: (c: CommonSTPConfigOnDLS): readonly number[] => [padiBase(c.value) + 2],
  CrossbarOutputConfig: (_: CrossbarOutputConfigOnDLS): readonly number[] => [crossbarBase],
  BackgroundSpikeSource: (c: BackgroundSpikeSourceOnDLS): readonly number[] => words(crossbarBase + 1 + 3 * c.value, 3),
  CrossbarNode: (c: CrossbarNodeOnDLS): readonly number[] => [crossbarBase + 0x19 + c.value],
  CrossbarInputDropCounter: (c: CrossbarInputOnDLS): readonly number[] => [crossbarBase + 0x100 + c.value],
  CrossbarOutputEventCounter: (c: CrossbarOutputOnDLS): readonly number[] => [crossbarBase + 0x200 + c.value],
  CapMemCell: (c: CapMemCellOnDLS): readonly number[] => {
    const cell = localOf(c, CapMemCellOnCapMemBlock.size);
    const column = cell % CapMemColumnOnCapMemBlock.size;
    const row = Math.floor(cell / CapMemColumnOnCapMemBlock.size);
    return [capMemBlockBase(outerOf(c, CapMemCellOnCapMemBlock.size)) + 32 * column + row];
  },
  CapMemBlockConfig: (c: CapMemBlockConfigOnDLS): readonly number[] => words(capMemBlockBase(c.value) + 0x4000, 10),
  ReferenceGeneratorConfig: (_: ReferenceGeneratorConfigOnDLS): readonly number[] => words(capMemConfigSpace + 0x80, 4),
  CADCConfig: (c: CADCConfigOnDLS): readonly number[] => [cadcBase(c.value) + 0x1000],
  // Causal channels in the east SRAM (+0x0), acausal in the west (+0x800).
  CADCChannelConfig: (c: CADCChannelConfigOnDLS): readonly number[] => {
    const channel = localOf(c, CADCChannelConfigOnSynram.size);
    const acausal = Math.floor(channel / CADCChannelColumnOnSynram.size);
    return [cadcBase(outerOf(c, CADCChannelConfigOnSynram.size)) + 0x800 * acausal + (channel % CADCChannelColumnOnSynram.size)];
  },
  // CADCSampleQuadOnSynram is `(2·readout + channelType)·16384 + quad`.
  CADCSampleQuad: (c: CADCSampleQuadOnDLS): readonly number[] => {
    const sample = localOf(c, CADCSampleQuadOnSynram.size);
    const kind = Math.floor(sample / SynapseQuadOnSynram.size);
    const window = (kind % 2 === 0 ? synram.causalCADC : synram.acausalCADC) + (kind >= 2 ? synram.buffered : 0);
    return [synramBase(outerOf(c, CADCSampleQuadOnSynram.size)) + window + (sample % SynapseQuadOnSynram.size)];
  },
  MADCConfig: (_: MADCConfigOnDLS): readonly number[] => words(madcBase, 8),
  MADCControl: (_: MADCControlOnDLS): readonly number[] => [madcBase + 0x10],
  ReadoutSourceSelection: (_: ReadoutSourceSelectionOnDLS): readonly number[] => words(madcBase + 0x20, 2),
  PadMultiplexerConfig: (c: PadMultiplexerConfigOnDLS): readonly number[] => [madcBase + 0x30 + c.value],
  PPUMemoryWord: (c: PPUMemoryWordOnDLS): readonly number[] => [
    ppuMemoryBase(outerOf(c, PPUMemoryWordOnPPU.size)) + localOf(c, PPUMemoryWordOnPPU.size),
  ],
  PPUControlRegister: (c: PPUControlRegisterOnDLS): readonly number[] => [(ppuBase(c.value) | 0x20_0000) >>> 0],
  PPUStatusRegister: (c: PPUStatusRegisterOnDLS): readonly number[] => [(ppuBase(c.value) | 0x20_0001) >>> 0],
  // One byte per word address; the value sits in bits 7..0.
  ExternalPPUMemoryByte: (c: ExternalPPUMemoryByteOnFPGA): readonly number[] => [0x8000_0000 + c.value],
  ExternalPPUDRAMMemoryByte: (c: ExternalPPUDRAMMemoryByteOnFPGA): readonly number[] => [0xa000_0000 + c.value],
  Timer: (_: TimerOnDLS): readonly number[] => [executorBase],
  // 43-bit value, low word first.
  SystimeSyncBase: (_: SystimeSyncBaseOnDLS): readonly number[] => words(executorBase + 0x10, 2),
  SystimeSync: (_: SystimeSyncOnFPGA): readonly number[] => [executorBase + 0x12],
  EventRecordingConfig: (_: EventRecordingConfigOnFPGA): readonly number[] => [executorBase + 0x20],
  InstructionTimeoutConfig: (_: InstructionTimeoutConfigOnFPGA): readonly number[] => [executorBase + 0x21],
  // Words: address, mask, target.
  PollingOmnibusBlockConfig: (_: PollingOmnibusBlockConfigOnFPGA): readonly number[] => words(executorBase + 0x30, 3),
} as const;

/** The name of a leaf container with omnibus words. */
export type OmnibusContainerName = keyof typeof omnibusAddresses;

/** Read-only, write-only or both, per the contract. */
export type OmnibusAccess = 'r' | 'w' | 'rw';

/** Per leaf container: its coordinate type, number of words and access (notes/leaf-containers.md). */
export interface OmnibusLayout {
  readonly coordinate: CoordinateType;
  readonly wordCount: number;
  readonly access: OmnibusAccess;
}

const layout = (coordinate: CoordinateType, wordCount: number, access: OmnibusAccess): OmnibusLayout => ({
  coordinate,
  wordCount,
  access,
});

// Safe at load time: no other module of halco imports this one, so every coordinate class already exists.
/** The contract table. */
export const omnibusLayout: Readonly<Record<OmnibusContainerName, OmnibusLayout>> = {
  NeuronConfig: layout(NeuronConfigOnDLS, 6, 'rw'),
  NeuronBackendConfig: layout(NeuronBackendConfigOnDLS, 4, 'rw'),
  CommonNeuronBackendConfig: layout(CommonNeuronBackendConfigOnDLS, 2, 'rw'),
  NeuronReset: layout(NeuronResetOnDLS, 1, 'w'),
  NeuronResetQuad: layout(NeuronResetQuadOnDLS, 1, 'w'),
  BlockPostPulse: layout(BlockPostPulseOnDLS, 1, 'w'),
  SpikeCounterRead: layout(SpikeCounterReadOnDLS, 1, 'r'),
  SpikeCounterReset: layout(SpikeCounterResetOnDLS, 1, 'w'),
  SynapseQuad: layout(SynapseQuadOnDLS, 2, 'rw'),
  SynapseWeightQuad: layout(SynapseQuadOnDLS, 1, 'rw'),
  SynapseLabelQuad: layout(SynapseQuadOnDLS, 1, 'rw'),
  SynapseCorrelationCalibQuad: layout(SynapseQuadOnDLS, 2, 'rw'),
  CorrelationReset: layout(SynapseQuadOnDLS, 1, 'w'),
  ColumnCorrelationQuad: layout(ColumnCorrelationQuadOnDLS, 2, 'rw'),
  ColumnCurrentQuad: layout(ColumnCurrentQuadOnDLS, 2, 'rw'),
  CommonSynramConfig: layout(CommonSynramConfigOnDLS, 3, 'rw'),
  SynapseBiasSelection: layout(SynapseBiasSelectionOnDLS, 1, 'w'),
  SynapseDriverConfig: layout(SynapseDriverOnDLS, 3, 'rw'),
  PADIEvent: layout(PADIEventOnDLS, 1, 'w'),
  CommonPADIBusConfig: layout(CommonPADIBusConfigOnDLS, 1, 'rw'),
  CommonSTPConfig: layout(CommonSTPConfigOnDLS, 1, 'rw'),
  CrossbarOutputConfig: layout(CrossbarOutputConfigOnDLS, 1, 'rw'),
  BackgroundSpikeSource: layout(BackgroundSpikeSourceOnDLS, 3, 'rw'),
  CrossbarNode: layout(CrossbarNodeOnDLS, 1, 'rw'),
  CrossbarInputDropCounter: layout(CrossbarInputOnDLS, 1, 'r'),
  CrossbarOutputEventCounter: layout(CrossbarOutputOnDLS, 1, 'r'),
  CapMemCell: layout(CapMemCellOnDLS, 1, 'rw'),
  CapMemBlockConfig: layout(CapMemBlockConfigOnDLS, 10, 'rw'),
  ReferenceGeneratorConfig: layout(ReferenceGeneratorConfigOnDLS, 4, 'rw'),
  CADCConfig: layout(CADCConfigOnDLS, 1, 'rw'),
  CADCChannelConfig: layout(CADCChannelConfigOnDLS, 1, 'rw'),
  CADCSampleQuad: layout(CADCSampleQuadOnDLS, 1, 'r'),
  MADCConfig: layout(MADCConfigOnDLS, 8, 'rw'),
  MADCControl: layout(MADCControlOnDLS, 1, 'w'),
  ReadoutSourceSelection: layout(ReadoutSourceSelectionOnDLS, 2, 'rw'),
  PadMultiplexerConfig: layout(PadMultiplexerConfigOnDLS, 1, 'rw'),
  PPUMemoryWord: layout(PPUMemoryWordOnDLS, 1, 'rw'),
  PPUControlRegister: layout(PPUControlRegisterOnDLS, 1, 'rw'),
  PPUStatusRegister: layout(PPUStatusRegisterOnDLS, 1, 'r'),
  ExternalPPUMemoryByte: layout(ExternalPPUMemoryByteOnFPGA, 1, 'rw'),
  ExternalPPUDRAMMemoryByte: layout(ExternalPPUDRAMMemoryByteOnFPGA, 1, 'rw'),
  Timer: layout(TimerOnDLS, 1, 'rw'),
  SystimeSyncBase: layout(SystimeSyncBaseOnDLS, 2, 'rw'),
  SystimeSync: layout(SystimeSyncOnFPGA, 1, 'w'),
  EventRecordingConfig: layout(EventRecordingConfigOnFPGA, 1, 'rw'),
  InstructionTimeoutConfig: layout(InstructionTimeoutConfigOnFPGA, 1, 'rw'),
  PollingOmnibusBlockConfig: layout(PollingOmnibusBlockConfigOnFPGA, 3, 'rw'),
};

/**
 * Windows that show storage of another container under their own, distinct addresses (the contract's "alias
 * windows"): writing one changes what the other reads. No two containers share an address.
 */
export const omnibusAliasWindows: ReadonlyArray<{ readonly window: OmnibusContainerName; readonly of: OmnibusContainerName }> = [
  { window: 'SynapseWeightQuad', of: 'SynapseQuad' },
  { window: 'SynapseLabelQuad', of: 'SynapseQuad' },
  { window: 'SynapseCorrelationCalibQuad', of: 'SynapseQuad' },
];

/** One omnibus word of one unit. */
export interface OmnibusEntry {
  readonly container: OmnibusContainerName;
  readonly coordinate: Coordinate;
  readonly wordIndex: number;
  readonly address: number;
}

/** The addresses of one coordinate of a container, in word order. */
export function omnibusAddressesOf(container: OmnibusContainerName, coordinate: Coordinate): readonly number[] {
  return (omnibusAddresses[container] as (c: Coordinate) => readonly number[])(coordinate);
}

/**
 * Every (container, coordinate, word, address), containers in contract order and coordinates in enum order.
 * Lazy: ExternalPPUDRAMMemoryByte alone has 2^28 words, so callers pick containers or stop early.
 */
export function* omnibusEntries(
  containers: Iterable<OmnibusContainerName> = Object.keys(omnibusAddresses) as OmnibusContainerName[],
): Generator<OmnibusEntry> {
  const table = omnibusLayout;
  for (const container of containers) {
    const type = table[container].coordinate as unknown as { all(): Iterable<Coordinate> };
    for (const coordinate of type.all()) {
      const addresses = omnibusAddressesOf(container, coordinate);
      for (let wordIndex = 0; wordIndex < addresses.length; wordIndex++) {
        yield { container, coordinate, wordIndex, address: addresses[wordIndex]! };
      }
    }
  }
}
