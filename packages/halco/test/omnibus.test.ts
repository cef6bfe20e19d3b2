import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AtomicNeuronOnDLS,
  CADCChannelType,
  CADCReadoutType,
  CADCSampleQuadOnDLS,
  CADCSampleQuadOnSynram,
  CapMemCellOnDLS,
  CapMemRowOnCapMemBlock,
  CrossbarNodeOnDLS,
  ExternalPPUDRAMMemoryByteOnFPGA,
  NeuronResetQuadOnDLS,
  PPUControlRegisterOnDLS,
  SynapseQuadOnDLS,
  SynapseQuadOnSynram,
  SynramOnDLS,
  omnibusAddresses,
  omnibusAddressesOf,
  omnibusAliasWindows,
  omnibusEntries,
  omnibusLayout,
  type OmnibusContainerName,
} from '../src/index.js';

const seed = 20240611;
const hex = (a: readonly number[]) => a.map((x) => `0x${x.toString(16)}`);
const dram: OmnibusContainerName = 'ExternalPPUDRAMMemoryByte';
const containers = Object.keys(omnibusAddresses) as OmnibusContainerName[];
const walked = containers.filter((c) => c !== dram);

// notes/leaf-containers.md: container → (coordinate type, count, words).
const contract: Record<OmnibusContainerName, readonly [string, number, number]> = {
  NeuronConfig: ['NeuronConfigOnDLS', 512, 6],
  NeuronBackendConfig: ['NeuronBackendConfigOnDLS', 512, 4],
  CommonNeuronBackendConfig: ['CommonNeuronBackendConfigOnDLS', 2, 2],
  NeuronReset: ['NeuronResetOnDLS', 512, 1],
  NeuronResetQuad: ['NeuronResetQuadOnDLS', 128, 1],
  BlockPostPulse: ['BlockPostPulseOnDLS', 2, 1],
  SpikeCounterRead: ['SpikeCounterReadOnDLS', 512, 1],
  SpikeCounterReset: ['SpikeCounterResetOnDLS', 512, 1],
  SynapseQuad: ['SynapseQuadOnDLS', 32768, 2],
  SynapseWeightQuad: ['SynapseQuadOnDLS', 32768, 1],
  SynapseLabelQuad: ['SynapseQuadOnDLS', 32768, 1],
  SynapseCorrelationCalibQuad: ['SynapseQuadOnDLS', 32768, 2],
  CorrelationReset: ['SynapseQuadOnDLS', 32768, 1],
  ColumnCorrelationQuad: ['ColumnCorrelationQuadOnDLS', 128, 2],
  ColumnCurrentQuad: ['ColumnCurrentQuadOnDLS', 128, 2],
  CommonSynramConfig: ['CommonSynramConfigOnDLS', 2, 3],
  SynapseBiasSelection: ['SynapseBiasSelectionOnDLS', 1, 1],
  SynapseDriverConfig: ['SynapseDriverOnDLS', 256, 3],
  PADIEvent: ['PADIEventOnDLS', 2, 1],
  CommonPADIBusConfig: ['CommonPADIBusConfigOnDLS', 2, 1],
  CommonSTPConfig: ['CommonSTPConfigOnDLS', 2, 1],
  CrossbarOutputConfig: ['CrossbarOutputConfigOnDLS', 1, 1],
  BackgroundSpikeSource: ['BackgroundSpikeSourceOnDLS', 8, 3],
  CrossbarNode: ['CrossbarNodeOnDLS', 76, 1],
  CrossbarInputDropCounter: ['CrossbarInputOnDLS', 20, 1],
  CrossbarOutputEventCounter: ['CrossbarOutputOnDLS', 12, 1],
  CapMemCell: ['CapMemCellOnDLS', 12480, 1],
  CapMemBlockConfig: ['CapMemBlockConfigOnDLS', 4, 10],
  ReferenceGeneratorConfig: ['ReferenceGeneratorConfigOnDLS', 1, 4],
  CADCConfig: ['CADCConfigOnDLS', 2, 1],
  CADCChannelConfig: ['CADCChannelConfigOnDLS', 1024, 1],
  CADCSampleQuad: ['CADCSampleQuadOnDLS', 131072, 1],
  MADCConfig: ['MADCConfigOnDLS', 1, 8],
  MADCControl: ['MADCControlOnDLS', 1, 1],
  ReadoutSourceSelection: ['ReadoutSourceSelectionOnDLS', 1, 2],
  PadMultiplexerConfig: ['PadMultiplexerConfigOnDLS', 2, 1],
  PPUMemoryWord: ['PPUMemoryWordOnDLS', 8192, 1],
  PPUControlRegister: ['PPUControlRegisterOnDLS', 2, 1],
  PPUStatusRegister: ['PPUStatusRegisterOnDLS', 2, 1],
  ExternalPPUMemoryByte: ['ExternalPPUMemoryByteOnFPGA', 0x20000, 1],
  ExternalPPUDRAMMemoryByte: ['ExternalPPUDRAMMemoryByteOnFPGA', 0x1000_0000, 1],
  Timer: ['TimerOnDLS', 1, 1],
  SystimeSyncBase: ['SystimeSyncBaseOnDLS', 1, 2],
  SystimeSync: ['SystimeSyncOnFPGA', 1, 1],
  EventRecordingConfig: ['EventRecordingConfigOnFPGA', 1, 1],
  InstructionTimeoutConfig: ['InstructionTimeoutConfigOnFPGA', 1, 1],
  PollingOmnibusBlockConfig: ['PollingOmnibusBlockConfigOnFPGA', 1, 3],
};

describe('omnibus addresses (hardware.md §3.11, notes/leaf-containers.md)', () => {
  it('covers every row of the contract with its coordinate type, count and word count', () => {
    expect(containers.sort()).toEqual(Object.keys(contract).sort());
    for (const name of containers) {
      const [typeName, count, words] = contract[name];
      expect(omnibusLayout[name].coordinate.typeName, name).toBe(typeName);
      expect(omnibusLayout[name].coordinate.size, name).toBe(count);
      expect(omnibusLayout[name].wordCount, name).toBe(words);
    }
  });

  it('gives every word a distinct unsigned 32-bit address with the contract word count', () => {
    // Alias windows see shared storage through their own addresses, so even they never collide.
    const owner = new Map<number, string>();
    const collisions: string[] = [];
    const wordsPerContainer = new Map<string, number>();
    let bad = 0;
    for (const e of omnibusEntries(walked)) {
      if (!Number.isInteger(e.address) || e.address < 0 || e.address > 0xffff_ffff) bad++;
      // Every word index is below the word count and the totals below match count × words, so every array
      // has exactly the contract's length.
      if (e.wordIndex >= omnibusLayout[e.container].wordCount) bad++;
      wordsPerContainer.set(e.container, (wordsPerContainer.get(e.container) ?? 0) + 1);
      const previous = owner.get(e.address);
      if (previous !== undefined && collisions.length < 5) collisions.push(`${previous} / ${e.container} ${e.coordinate.toString()}`);
      owner.set(e.address, e.container);
    }
    expect(bad).toBe(0);
    expect(collisions).toEqual([]);
    expect(Object.fromEntries(wordsPerContainer)).toEqual(Object.fromEntries(walked.map((c) => [c, contract[c][1] * contract[c][2]])));
    expect(owner.size).toBe(walked.reduce((sum, c) => sum + contract[c][1] * contract[c][2], 0));
    // The DRAM window 0xA000_0000..0xAFFF_FFFF is disjoint from everything walked above.
    expect([...owner.keys()].filter((a) => a >= 0xa000_0000 && a <= 0xafff_ffff)).toEqual([]);
    expect(omnibusAliasWindows.every((w) => containers.includes(w.window) && containers.includes(w.of))).toBe(true);
  });

  it('samples the 256 MiB DRAM byte space (never walked)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: ExternalPPUDRAMMemoryByteOnFPGA.max }), (byte) => {
        const [address] = omnibusAddresses.ExternalPPUDRAMMemoryByte(new ExternalPPUDRAMMemoryByteOnFPGA(byte));
        expect(address).toBe(0xa000_0000 + byte);
        expect(address).toBeLessThanOrEqual(0xffff_ffff);
      }),
      { numRuns: 1000, seed },
    );
    const first = omnibusEntries([dram]).next().value;
    expect(first?.address).toBe(0xa000_0000);
    expect(omnibusAddresses.ExternalPPUDRAMMemoryByte(new ExternalPPUDRAMMemoryByteOnFPGA(0x0fff_ffff))).toEqual([0xafff_ffff]);
  });

  it('pins example addresses', () => {
    const n = new AtomicNeuronOnDLS(300); // column 44, row 1: quadrant 2, backend left half, local 172
    expect(hex(omnibusAddresses.NeuronConfig(n.toNeuronConfigOnDLS()))).toEqual(
      hex([0x17_0000 + 8 * 44 + 2, 0x17_0000 + 8 * 44 + 3, 0x17_0000 + 8 * 44 + 4, 0x17_0000 + 8 * 44 + 5, 0x17_0000 + 8 * 44 + 6, 0x17_0000 + 8 * 44 + 7]),
    );
    expect(omnibusAddresses.NeuronBackendConfig(n.toNeuronBackendConfigOnDLS())).toEqual([0x1a_12b0, 0x1a_12b1, 0x1a_12b2, 0x1a_12b3]);
    expect(omnibusAddresses.NeuronReset(n.toNeuronResetOnDLS())).toEqual([0x12_2000 + 172]);
    expect(omnibusAddresses.SpikeCounterRead(n.toSpikeCounterReadOnDLS())).toEqual([0x12_2800 + 172]);
    expect(omnibusAddresses.SpikeCounterReset(n.toSpikeCounterResetOnDLS())).toEqual([0x12_2c00 + 172]);
    // Quad 17 (right half, odd quads start at 32) of the bottom hemisphere: right reset base + 0x100 + 32 + 1.
    expect(omnibusAddresses.NeuronResetQuad(new NeuronResetQuadOnDLS(64 + 17))).toEqual([0x12_a100 + 33]);
    const quad = new SynapseQuadOnDLS(new SynapseQuadOnSynram(64 * 3 + 5), SynramOnDLS.bottom);
    expect(omnibusAddresses.SynapseQuad(quad)).toEqual([0x03cf_0000 + 128 * 3 + 5, 0x03cf_0000 + 128 * 3 + 5 + 64]);
    expect(omnibusAddresses.SynapseWeightQuad(quad)).toEqual([0x03c0_0000 + 197]);
    expect(omnibusAddresses.SynapseLabelQuad(quad)).toEqual([0x03c4_0000 + 197]);
    expect(omnibusAddresses.SynapseCorrelationCalibQuad(quad)).toEqual([0x03c1_0000 + 197, 0x03c2_0000 + 197]);
    expect(omnibusAddresses.CorrelationReset(quad)).toEqual([0x03c9_0000 + 197]);
    const sample = new CADCSampleQuadOnDLS(
      new CADCSampleQuadOnSynram(new SynapseQuadOnSynram(197), CADCChannelType.acausal, CADCReadoutType.buffered),
      SynramOnDLS.top,
    );
    expect(omnibusAddresses.CADCSampleQuad(sample)).toEqual([0x02c0_0000 + 0xc_0000 + 0x20_0000 + 197]);
    expect(omnibusAddresses.CapMemCell(n.toCapMemCellOnDLS(CapMemRowOnCapMemBlock.vThreshold))).toEqual([0x15_0000 + 32 * 44 + 2]);
    expect(omnibusAddresses.CapMemCell(CapMemCellOnDLS.readoutMadcIn500na)).toEqual([0x14_0000 + 32 * 129 + 13]);
    expect(omnibusAddresses.CrossbarNode(new CrossbarNodeOnDLS(75))).toEqual([0x13_0064]);
    expect(omnibusAddresses.PPUControlRegister(PPUControlRegisterOnDLS.bottom)).toEqual([0x0320_0000]);
    expect(omnibusAddressesOf('SynapseBiasSelection', new (omnibusLayout.SynapseBiasSelection.coordinate)(0))).toEqual([0x14_4040]);
    expect(omnibusAddressesOf('ExternalPPUMemoryByte', new (omnibusLayout.ExternalPPUMemoryByte.coordinate)(0x1ffff))).toEqual([0x8001_ffff]);
  });
});
