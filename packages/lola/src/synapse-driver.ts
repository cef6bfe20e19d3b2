import { SynapseDriverOnDLS, omnibusAddresses } from '@bss2/halco';
import { registerContainer } from './container.js';
import { at, bool, check, enumeration, integerType, uint } from './field.js';
import { register } from './register.js';

/**
 * Which synaptic input a synapse row drives (hardware.md §3.6). Stored as two enables, bit 0 excitatory and
 * bit 1 inhibitory, so the codes are 0 disabled, 1 excitatory, 2 inhibitory, 3 both.
 */
export const SYNAPSE_DRIVER_ROW_MODES = ['disabled', 'excitatory', 'inhibitory', 'excitatoryAndInhibitory'] as const;
export type SynapseDriverRowMode = (typeof SYNAPSE_DRIVER_ROW_MODES)[number];

/** Width of the row-select address, the bus index and the compare mask (hardware.md §2.4, §3.6). */
const ROW_SELECT_BITS = 5;
const rowSelectValue = integerType(0, 2 ** ROW_SELECT_BITS - 1);

/**
 * The driver-side address compare of hardware.md §3.6: a driver at `busIndex` (its
 * SynapseDriverOnPADIBus, 0..31) takes an event with `rowSelectAddress` iff
 * `(rowSelect & mask) == (busIndex & mask)`. All three are 5-bit values.
 */
export function driverMatches(rowSelectAddress: number, busIndex: number, mask: number): boolean {
  const rowSelect = check(rowSelectValue, rowSelectAddress, 'driverMatches.rowSelectAddress');
  const bus = check(rowSelectValue, busIndex, 'driverMatches.busIndex');
  const m = check(rowSelectValue, mask, 'driverMatches.mask');
  return (rowSelect & m) === (bus & m);
}

// Layout (Choice, hardware.md §3.6 leaves it open): one word per row of the §3.6 table group, fields packed
// LSB first in the datasheet's order: word 0 event input, word 1 pulse shaping and row modes, word 2 the
// integrator ("hagen") mode and STP.

/**
 * One synapse driver: listens on PADI bus `d % 4` at bus index `⌊d / 4⌋` and drives its two synapse rows
 * (hardware.md §2.7, §3.6). In the reset state the receiver is off, so it ignores every event.
 */
export class SynapseDriverConfig extends register({
  typeName: 'SynapseDriverConfig',
  coordinateType: SynapseDriverOnDLS,
  wordCount: 3,
  readable: true,
  writable: true,
  addresses: (c: SynapseDriverOnDLS) => omnibusAddresses.SynapseDriverConfig(c),
  fields: {
    enableReceiver: bool(at(0, 0)),
    rowAddressCompareMask: uint(at(0, 1, ROW_SELECT_BITS), { default: 0b11111 }),
    // Forwards the 5 address LSBs to the rows; the MSB is always forwarded (§3.6).
    enableAddressOut: bool(at(0, 6), true),
    utilization: uint(at(1, 0, 4)),
    recovery: uint(at(1, 4, 4)),
    // Pulse-width trim.
    offset: uint(at(1, 8, 4)),
    rowModeTop: enumeration(SYNAPSE_DRIVER_ROW_MODES, at(1, 12, 2)),
    rowModeBottom: enumeration(SYNAPSE_DRIVER_ROW_MODES, at(1, 14, 2)),
    hagenDacOffset: uint(at(2, 0, 6)),
    // Which of the two STP voltage sets (stp_v_charge/_recover _0 or _1, §2.6) the driver uses.
    selectTargetVoltages: uint(at(2, 6, 1)),
    enableHagenDac: bool(at(2, 7)),
    enableHagenModulation: bool(at(2, 8)),
    enableStp: bool(at(2, 9)),
    enableRecovery: bool(at(2, 10)),
    enableReadout: bool(at(2, 11)),
    // Non-functional on the real chip (§3.6): stored, without effect.
    enableRenewing: bool(at(2, 12)),
    enableChargeSharing: bool(at(2, 13)),
  },
}) {
  /**
   * Whether this driver, sitting at `busIndex` on its PADI bus, forwards an event carrying
   * `rowSelectAddress` to its rows: its receiver is on and the masked addresses agree (§3.6).
   */
  acceptsEvent(rowSelectAddress: number, busIndex: number): boolean {
    return this.enableReceiver && driverMatches(rowSelectAddress, busIndex, this.rowAddressCompareMask);
  }
}
registerContainer(SynapseDriverConfig);
