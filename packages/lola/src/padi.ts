import { CommonPADIBusConfigOnDLS, CommonSTPConfigOnDLS, PADIEventOnDLS, omnibusAddresses } from '@bss2/halco';
import { registerContainer } from './container.js';
import { array, at, bool, booleanType, integerType, uint } from './field.js';
import { register } from './register.js';

/** PADI buses per block (hemisphere): PADIBusOnPADIBusBlock 0..3 (hardware.md §2.2). */
const BUSES_PER_BLOCK = 4;

// Layouts (Choice, hardware.md §3.6 leaves them open): fields packed LSB first in the datasheet's order,
// array elements by bus 0..3.

/**
 * One software event on the PADI buses of a block (write-only, hardware.md §3.6): sent on every bus whose
 * fireBus bit is set, carrying the 6-bit synapse address and the 5-bit row-select address. The two
 * addresses sit side by side as in the spike label (bits 10..6 row select, 5..0 address, §2.4), shifted
 * to bit 4.
 */
export class PADIEvent extends register({
  typeName: 'PADIEvent',
  coordinateType: PADIEventOnDLS,
  wordCount: 1,
  readable: false,
  writable: true,
  addresses: (c: PADIEventOnDLS) => omnibusAddresses.PADIEvent(c),
  fields: {
    fireBus: array(BUSES_PER_BLOCK, booleanType(false), (bus) => at(0, bus)),
    eventAddress: uint(at(0, 4, 6)),
    rowSelectAddress: uint(at(0, 10, 5)),
  },
}) {}
registerContainer(PADIEvent);

/**
 * Per-bus settings of the four PADI buses of a block (hardware.md §3.6): enableSpl1 takes the crossbar's
 * events instead of the trigger register (PADIEvent), enableExtendedTiming and dacenPulseExtension stretch
 * the bus timing and the synapse DAC enable pulse.
 */
export class CommonPADIBusConfig extends register({
  typeName: 'CommonPADIBusConfig',
  coordinateType: CommonPADIBusConfigOnDLS,
  wordCount: 1,
  readable: true,
  writable: true,
  addresses: (c: CommonPADIBusConfigOnDLS) => omnibusAddresses.CommonPADIBusConfig(c),
  fields: {
    enableSpl1: array(BUSES_PER_BLOCK, booleanType(false), (bus) => at(0, bus)),
    enableExtendedTiming: array(BUSES_PER_BLOCK, booleanType(false), (bus) => at(0, BUSES_PER_BLOCK + bus)),
    dacenPulseExtension: array(BUSES_PER_BLOCK, integerType(0, 15), (bus) => at(0, 2 * BUSES_PER_BLOCK + 4 * bus, 4)),
  },
}) {}
registerContainer(CommonPADIBusConfig);

/** The STP recovery clock shared by the synapse drivers of a block (hardware.md §3.6). */
export class CommonSTPConfig extends register({
  typeName: 'CommonSTPConfig',
  coordinateType: CommonSTPConfigOnDLS,
  wordCount: 1,
  readable: true,
  writable: true,
  addresses: (c: CommonSTPConfigOnDLS) => omnibusAddresses.CommonSTPConfig(c),
  fields: {
    enableRecoveryClock: bool(at(0, 0)),
    recoveryClockSpeed: uint(at(0, 1, 4)),
  },
}) {}
registerContainer(CommonSTPConfig);
