import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Coordinate,
  CoordinateRangeError,
  coordinateTypes,
  hemisphereFamilyTypes,
  parseCoordinate,
  type CoordinateType,
} from '../src/index.js';

const seed = 20240611;
const types = [...coordinateTypes()];
// Only the 256 MiB DRAM byte space is too large to walk; it is checked by a prefix and by sampling.
const walkLimit = 1 << 18;

function allOf(type: CoordinateType): Iterable<Coordinate> {
  return (type as unknown as typeof Coordinate).all.call(type) as Iterable<Coordinate>;
}

function parseAs(type: CoordinateType, text: string): Coordinate {
  return (type as unknown as typeof Coordinate).parse.call(type, text);
}

describe('the inventory (hardware.md §2.2)', () => {
  it('registers every type of §2.2 under its upstream name', () => {
    const expected = [
      'HemisphereOnDLS', 'NeuronColumnOnDLS', 'AtomicNeuronOnDLS', 'NeuronConfigOnDLS', 'NeuronConfigBlockOnDLS',
      'NeuronConfigOnNeuronConfigBlock', 'NeuronBackendConfigBlockOnDLS', 'NeuronBackendConfigOnNeuronBackendConfigBlock',
      'NeuronBackendConfigOnDLS', 'CommonNeuronBackendConfigOnDLS', 'BlockPostPulseOnDLS', 'NeuronResetOnDLS',
      'SpikeCounterReadOnDLS', 'SpikeCounterResetOnDLS', 'NeuronResetQuadOnDLS', 'NeuronEventOutputOnDLS',
      'NeuronEventOutputOnNeuronBackendBlock', 'NeuronBackendAddressOut', 'NeuronColumnOnLogicalNeuron',
      'NeuronRowOnLogicalNeuron', 'AtomicNeuronOnLogicalNeuron', 'CompartmentOnLogicalNeuron', 'SynapseRowOnSynram',
      'SynapseOnSynapseRow', 'SynapseOnSynram', 'SynapseOnDLS', 'SynapseQuadColumnOnDLS', 'EntryOnQuad',
      'SynapseQuadOnSynram', 'SynapseQuadOnDLS', 'SynapseLabel', 'SynapticInputOnNeuron', 'SynapseDriverBlockOnDLS',
      'SynapseDriverOnSynapseDriverBlock', 'SynapseDriverOnDLS', 'SynapseDriverOnPADIBus', 'SynapseRowOnSynapseDriver',
      'SynapseRowOnDLS', 'PADIBusBlockOnDLS', 'PADIBusOnPADIBusBlock', 'PADIBusOnDLS', 'PADIEventOnDLS',
      'PADIRowSelectAddress', 'CrossbarInputOnDLS', 'CrossbarOutputOnDLS', 'CrossbarNodeOnDLS', 'CrossbarL2OutputOnDLS',
      'SPL1Address', 'BackgroundSpikeSourceOnDLS', 'NeuronLabel', 'SpikeLabel', 'CapMemBlockOnDLS',
      'CapMemColumnOnCapMemBlock', 'CapMemRowOnCapMemBlock', 'CapMemCellOnCapMemBlock', 'CapMemCellOnDLS',
      'CapMemBlockConfigOnDLS', 'CADCChannelType', 'CADCReadoutType', 'CADCChannelColumnOnSynram',
      'CADCChannelConfigOnDLS', 'CADCSampleRowOnDLS', 'CADCSampleQuadOnSynram', 'CADCSampleQuadOnDLS',
      'ColumnCorrelationQuadOnDLS', 'ColumnCurrentQuadOnDLS', 'PPUMemoryWordOnPPU', 'PPUMemoryWordOnDLS',
      'PPUControlRegisterOnDLS', 'PPUStatusRegisterOnDLS', 'ExternalPPUMemoryByteOnFPGA',
      'ExternalPPUDRAMMemoryByteOnFPGA', 'MADCConfigOnDLS', 'MADCControlOnDLS', 'SourceMultiplexerOnReadoutSourceSelection',
      'ReadoutSourceSelectionOnDLS', 'PadOnDLS', 'PadMultiplexerConfigOnDLS', 'TimerOnDLS', 'WaitUntilOnFPGA',
      'SystimeSyncOnFPGA', 'SystimeSyncBaseOnDLS', 'BarrierOnFPGA', 'EventRecordingConfigOnFPGA',
      'InstructionTimeoutConfigOnFPGA', 'PollingOmnibusBlockConfigOnFPGA', 'SpikePack1ToChipOnDLS',
      'SpikePack2ToChipOnDLS', 'SpikePack3ToChipOnDLS', 'DLSGlobal', 'SynapseBiasSelectionOnDLS',
      'ReferenceGeneratorConfigOnDLS', 'CrossbarOutputConfigOnDLS', 'SynramOnDLS', 'PPUOnDLS', 'NeuronRowOnDLS', 'CADCOnDLS',
      'CADCConfigOnDLS', 'CommonSynramConfigOnDLS', 'CommonPADIBusConfigOnDLS', 'CommonSTPConfigOnDLS', 'PPUMemoryOnDLS',
      'SynapseBlockOnDLS',
    ];
    const registered = coordinateTypes();
    expect(expected.filter((name) => !registered.has(name))).toEqual([]);
  });

  it('pins the sizes of §1 and §2.2', () => {
    const sizes: Record<string, number> = {
      AtomicNeuronOnDLS: 512, NeuronConfigOnDLS: 512, NeuronResetQuadOnDLS: 128, SynapseOnSynram: 65_536,
      SynapseOnDLS: 131_072, SynapseQuadOnSynram: 16_384, SynapseQuadOnDLS: 32_768, SynapseDriverOnDLS: 256,
      PADIBusOnDLS: 8, CrossbarNodeOnDLS: 76, CapMemCellOnCapMemBlock: 3120, CapMemCellOnDLS: 12_480,
      CADCChannelConfigOnDLS: 1024, CADCSampleRowOnDLS: 512, CADCSampleQuadOnDLS: 131_072, ColumnCorrelationQuadOnDLS: 128,
      ColumnCurrentQuadOnDLS: 128, PPUMemoryWordOnDLS: 8192, ExternalPPUMemoryByteOnFPGA: 0x20000,
      ExternalPPUDRAMMemoryByteOnFPGA: 0x1000_0000, NeuronLabel: 0x4000, SpikeLabel: 0x10000, DLSGlobal: 255,
      CompartmentOnLogicalNeuron: 255, AtomicNeuronOnLogicalNeuron: 256, TimerOnDLS: 1,
    };
    for (const [name, size] of Object.entries(sizes)) expect(coordinateTypes().get(name)?.size, name).toBe(size);
  });

  it('has 23 two-valued hemisphere types converting into each other by identity (§2.1)', () => {
    expect(new Set(hemisphereFamilyTypes).size).toBe(23);
    for (const from of hemisphereFamilyTypes) {
      expect(from.size).toBe(2);
      for (const to of hemisphereFamilyTypes) {
        for (const value of [0, 1]) {
          const converted = (new from(value) as unknown as Record<string, () => Coordinate>)[`to${to.typeName}`]!();
          expect(converted.equals(new to(value))).toBe(true);
        }
      }
    }
  });

  describe.each(types)('%s', (name, type) => {
    it('all() yields exactly `size` distinct values in enum order', () => {
      expect(type.size).toBe(type.max - type.min + 1);
      // Plain comparisons in the loop: an `expect` per value would dominate the suite's run time.
      let expected = type.min;
      let wrong: Coordinate | undefined;
      for (const c of allOf(type)) {
        if (wrong === undefined && (c.value !== expected || c.constructor !== type)) wrong = c;
        expected++;
        if (expected - type.min >= walkLimit) break;
      }
      expect(wrong).toBeUndefined();
      expect(expected - type.min).toBe(Math.min(type.size, walkLimit));
    });

    it('rejects out-of-range and non-integer values naming type, value and range', () => {
      for (const bad of [type.min - 1, type.max + 1, type.min + 0.5, Number.NaN]) {
        expect(() => new type(bad)).toThrow(CoordinateRangeError);
        expect(() => new type(bad)).toThrow(`${name}(${bad}) is out of range ${type.min}..${type.max}`);
      }
    });

    it('parses what it prints and serialises to the same text', () => {
      fc.assert(
        // A boolean property: an `expect` per run would dominate the suite's run time.
        fc.property(fc.integer({ min: type.min, max: type.max }), (value) => {
          const c = new type(value);
          return (
            parseAs(type, c.toString()).equals(c) &&
            parseCoordinate(JSON.parse(JSON.stringify(c)) as string).equals(c) &&
            c.toEnum() === value &&
            c.toString() === `${name}(${value})`
          );
        }),
        { numRuns: Math.min(1000, type.size * 4), seed },
      );
    });
  });
});
