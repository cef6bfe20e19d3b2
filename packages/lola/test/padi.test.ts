import { CommonPADIBusConfigOnDLS, CommonSTPConfigOnDLS, PADIEventOnDLS } from '@bss2/halco';
import { describe, expect, it } from 'vitest';
import { CommonPADIBusConfig, CommonSTPConfig, FieldRangeError, PADIEvent } from '../src/index.js';
import { checkLeaf } from './synapse-leaf-properties.js';

describe('PADI bus and STP containers (hardware.md §3.6)', () => {
  checkLeaf(PADIEvent, [...PADIEventOnDLS.all()], 341);
  checkLeaf(CommonPADIBusConfig, [...CommonPADIBusConfigOnDLS.all()], 342);
  checkLeaf(CommonSTPConfig, [...CommonSTPConfigOnDLS.all()], 343);

  it('reset: no bus fired, nothing enabled, all numbers 0', () => {
    expect(new PADIEvent().values()).toEqual({ fireBus: [false, false, false, false], eventAddress: 0, rowSelectAddress: 0 });
    expect(new CommonPADIBusConfig().values()).toEqual({
      enableSpl1: [false, false, false, false],
      enableExtendedTiming: [false, false, false, false],
      dacenPulseExtension: [0, 0, 0, 0],
    });
    expect(new CommonSTPConfig().values()).toEqual({ enableRecoveryClock: false, recoveryClockSpeed: 0 });
    for (const reset of [PADIEvent.defaults(), CommonPADIBusConfig.defaults(), CommonSTPConfig.defaults()]) expect([...reset.encode()]).toEqual([0]);
  });

  it('PADIEvent: fire_bus bits 3..0, then the 11-bit PADI label (row select, address) from bit 4', () => {
    const e = new PADIEvent({ fireBus: [true, false, true, false], eventAddress: 0x2a, rowSelectAddress: 0x13 });
    expect([...e.encode()]).toEqual([0b10011_101010_0101]);
    expect(() => new PADIEvent({ eventAddress: 64 })).toThrow(FieldRangeError);
    expect(() => new PADIEvent({ rowSelectAddress: 32 })).toThrow('PADIEvent.rowSelectAddress = 32 is invalid: expected an integer in 0..31');
  });

  it('CommonPADIBusConfig: spl1 bits 3..0, extended timing 7..4, pulse extension 4 bit per bus from bit 8', () => {
    const c = new CommonPADIBusConfig({
      enableSpl1: [false, true, false, false],
      enableExtendedTiming: [false, false, false, true],
      dacenPulseExtension: [1, 2, 0xe, 0xf],
    });
    expect([...c.encode()]).toEqual([0xfe_21_82]);
    expect(() => new CommonPADIBusConfig({ dacenPulseExtension: [0, 0, 16, 0] })).toThrow('CommonPADIBusConfig.dacenPulseExtension[2] = 16');
  });

  it('CommonSTPConfig: enable bit 0, recovery clock speed 0..15 from bit 1', () => {
    expect([...new CommonSTPConfig({ enableRecoveryClock: true, recoveryClockSpeed: 9 }).encode()]).toEqual([0b1001_1]);
    expect(() => new CommonSTPConfig({ recoveryClockSpeed: 16 })).toThrow(FieldRangeError);
  });

  it('access: PADIEvent write-only; bus and STP config read-write; one word each', () => {
    expect([PADIEvent.readable, PADIEvent.writable]).toEqual([false, true]);
    expect([CommonPADIBusConfig.readable, CommonPADIBusConfig.writable]).toEqual([true, true]);
    expect([CommonSTPConfig.readable, CommonSTPConfig.writable]).toEqual([true, true]);
    for (const type of [PADIEvent, CommonPADIBusConfig, CommonSTPConfig]) expect(type.wordCount).toBe(1);
  });
});
