import { CADCChannelConfigOnDLS, CADCConfigOnDLS, CADCSampleQuadOnDLS, omnibusAddresses } from '@bss2/halco';
import { registerContainer } from './container.js';
import { array, at, bool, int, integerType, uint } from './field.js';
import { register } from './register.js';

/**
 * Bus register of one hemisphere's column-parallel ADC (hardware.md §3.9). Layout as upstream haldls:
 * enable bit 0, reset_wait bits 11..4, dead_time bits 19..12. `resetWait` (cycles the ramp is held in
 * reset before it rises) and `deadTime` (cycles after the ramp for the signal to reach every channel) are
 * 8 bit; hardware.md gives no reset value for them, so they take upstream's defaults 100 and 20.
 */
export class CADCConfig extends register({
  typeName: 'CADCConfig',
  coordinateType: CADCConfigOnDLS,
  wordCount: 1,
  readable: true,
  writable: true,
  addresses: (c: CADCConfigOnDLS) => omnibusAddresses.CADCConfig(c),
  fields: {
    enable: bool(at(0, 0)),
    resetWait: uint(at(0, 4, 8), { default: 100 }),
    deadTime: uint(at(0, 12, 8), { default: 20 }),
  },
}) {}
registerContainer(CADCConfig);

/**
 * Per-channel offset −128..127, added digitally to the channel's 8-bit code (hardware.md §3.9). Stored
 * (Choice) as two's complement in bits 7..0, so an all-zero SRAM word is offset 0; upstream stores
 * `offset + 128` instead.
 */
export class CADCChannelConfig extends register({
  typeName: 'CADCChannelConfig',
  coordinateType: CADCChannelConfigOnDLS,
  wordCount: 1,
  readable: true,
  writable: true,
  addresses: (c: CADCChannelConfigOnDLS) => omnibusAddresses.CADCChannelConfig(c),
  fields: {
    offset: int(at(0, 0, 8)),
  },
}) {}
registerContainer(CADCChannelConfig);

/**
 * Four 8-bit CADC codes of one synapse quad's columns in one sample row (read-only, hardware.md §3.9).
 * Whether the read starts a conversion (`trigger_read`) or returns the last result (`buffered`), and
 * whether the causal or acausal channels are read, is part of the coordinate (CADCSampleQuadOnDLS), not
 * of the data. Entry 0 is the most significant byte, like SynapseQuad (§3.5) and upstream.
 */
export class CADCSampleQuad extends register({
  typeName: 'CADCSampleQuad',
  coordinateType: CADCSampleQuadOnDLS,
  wordCount: 1,
  readable: true,
  writable: false,
  addresses: (c: CADCSampleQuadOnDLS) => omnibusAddresses.CADCSampleQuad(c),
  fields: {
    samples: array(4, integerType(0, 255), (entry) => at(0, 24 - 8 * entry, 8)),
  },
}) {}
registerContainer(CADCSampleQuad);
