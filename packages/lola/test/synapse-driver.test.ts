import fc from 'fast-check';
import { SynapseDriverOnDLS } from '@bss2/halco';
import { describe, expect, it } from 'vitest';
import { FieldRangeError, SynapseDriverConfig, driverMatches } from '../src/index.js';
import { checkLeaf } from './synapse-leaf-properties.js';

const busIndexOf = (driver: SynapseDriverOnDLS) => driver.toSynapseDriverOnSynapseDriverBlock().toSynapseDriverOnPADIBus().value;

describe('SynapseDriverConfig (hardware.md §3.6)', () => {
  checkLeaf(SynapseDriverConfig, [...SynapseDriverOnDLS.all()], 331);

  it('reset values of every field as in the §3.6 table', () => {
    expect(new SynapseDriverConfig().values()).toEqual({
      enableReceiver: false,
      rowAddressCompareMask: 0b11111,
      enableAddressOut: true,
      utilization: 0,
      recovery: 0,
      offset: 0,
      rowModeTop: 'disabled',
      rowModeBottom: 'disabled',
      hagenDacOffset: 0,
      selectTargetVoltages: 0,
      enableHagenDac: false,
      enableHagenModulation: false,
      enableStp: false,
      enableRecovery: false,
      enableReadout: false,
      enableRenewing: false,
      enableChargeSharing: false,
    });
    expect([...new SynapseDriverConfig().encode()]).toEqual([0b1_11111_0, 0, 0]);
  });

  it('ranges: mask 5 bit, STP and trim 4 bit, hagen_dac_offset 6 bit, select_target_voltages 0..1, row modes by name', () => {
    expect(() => new SynapseDriverConfig({ rowAddressCompareMask: 32 })).toThrow(FieldRangeError);
    for (const field of ['utilization', 'recovery', 'offset'] as const) {
      expect(() => new SynapseDriverConfig({ [field]: 16 })).toThrow(`SynapseDriverConfig.${field} = 16 is invalid: expected an integer in 0..15`);
    }
    expect(() => new SynapseDriverConfig({ hagenDacOffset: 64 })).toThrow(FieldRangeError);
    expect(() => new SynapseDriverConfig({ selectTargetVoltages: 2 })).toThrow(FieldRangeError);
    expect(() => new SynapseDriverConfig({ rowModeTop: 'excitatory_and_inhibitory' as 'excitatory' })).toThrow(/"excitatoryAndInhibitory"/);
  });

  it('layout: word 0 event input, word 1 pulse shaping and row modes, word 2 hagen mode and STP', () => {
    const d = new SynapseDriverConfig({
      enableReceiver: true,
      rowAddressCompareMask: 0b10101,
      enableAddressOut: false,
      utilization: 0xa,
      recovery: 0x5,
      offset: 0xc,
      rowModeTop: 'inhibitory',
      rowModeBottom: 'excitatoryAndInhibitory',
      hagenDacOffset: 0x2b,
      selectTargetVoltages: 1,
      enableHagenDac: true,
      enableHagenModulation: false,
      enableStp: true,
      enableRecovery: false,
      enableReadout: true,
      enableRenewing: false,
      enableChargeSharing: true,
    });
    expect([...d.encode()]).toEqual([0b0_10101_1, 0xe_c_5_a, 0b10_1_0_1_0_1_1_101011]);
    // Row modes are stored as (inhibitory, excitatory) enables.
    expect(new SynapseDriverConfig({ rowModeTop: 'excitatory' }).encode()[1]).toBe(1 << 12);
    expect(new SynapseDriverConfig({ rowModeBottom: 'inhibitory' }).encode()[1]).toBe(2 << 14);
  });

  it('a reset-state driver ignores every event', () => {
    const reset = new SynapseDriverConfig();
    const accepted: string[] = [];
    for (const driver of SynapseDriverOnDLS.all()) {
      for (let rowSelect = 0; rowSelect < 32; rowSelect++) {
        if (reset.acceptsEvent(rowSelect, busIndexOf(driver))) accepted.push(`${driver.toString()} row select ${rowSelect}`);
      }
    }
    expect(accepted).toEqual([]);
  });

  it('an enabled driver with the full mask takes exactly the events addressed to its bus index', () => {
    const enabled = new SynapseDriverConfig({ enableReceiver: true });
    for (const driver of SynapseDriverOnDLS.all()) {
      const accepted = [...Array(32).keys()].filter((rowSelect) => enabled.acceptsEvent(rowSelect, busIndexOf(driver)));
      expect(accepted).toEqual([busIndexOf(driver)]);
    }
  });

  it('driverMatches: (rowSelect & mask) == (busIndex & mask)', () => {
    const accepted = (busIndex: number, mask: number) => [...Array(32).keys()].filter((r) => driverMatches(r, busIndex, mask));
    expect(accepted(6, 0b11111)).toEqual([6]);
    expect(accepted(6, 0b11110)).toEqual([6, 7]);
    expect(accepted(6, 0b00001)).toEqual([...Array(16).keys()].map((i) => 2 * i));
    expect(accepted(19, 0)).toHaveLength(32);
    // Masking is symmetric in the two addresses and only the masked bits matter.
    fc.assert(
      fc.property(fc.nat(31), fc.nat(31), fc.nat(31), (r, b, m) => {
        expect(driverMatches(r, b, m)).toBe(driverMatches(b, r, m));
        expect(driverMatches(r, b, m)).toBe(driverMatches(r & m, b & m, 0b11111));
      }),
      { numRuns: 1000, seed: 332 },
    );
    expect(() => driverMatches(32, 0, 0)).toThrow('driverMatches.rowSelectAddress = 32 is invalid: expected an integer in 0..31');
    expect(() => driverMatches(0, -1, 0)).toThrow(FieldRangeError);
    expect(() => driverMatches(0, 0, 1.5)).toThrow(FieldRangeError);
  });

  it('access: read-write, 3 words', () => {
    expect([SynapseDriverConfig.readable, SynapseDriverConfig.writable, SynapseDriverConfig.wordCount]).toEqual([true, true, 3]);
  });
});
