import { PPUControlRegisterOnDLS, PPUMemoryWordOnDLS, PPUStatusRegisterOnDLS, omnibusAddresses } from '@bss2/halco';
import { registerContainer } from './container.js';
import { at, bool, uint } from './field.js';
import { register } from './register.js';

/** One 32-bit word of a PPU's 16 KiB internal memory (hardware.md §3.10, §7). */
export class PPUMemoryWord extends register({
  typeName: 'PPUMemoryWord',
  coordinateType: PPUMemoryWordOnDLS,
  wordCount: 1,
  readable: true,
  writable: true,
  addresses: (c: PPUMemoryWordOnDLS) => omnibusAddresses.PPUMemoryWord(c),
  fields: {
    value: uint(at(0, 0, 32)),
  },
}) {}
registerContainer(PPUMemoryWord);

/**
 * Control register of one PPU (hardware.md §3.10). Bit order as upstream haldls: inhibit_reset 0,
 * force_clock_on 1, force_clock_off 2, cache_controller_enable 3. As hardware.md §3.10 specifies,
 * `inhibitReset` resets to true and holds the core in reset; clearing it starts the program at address 0.
 * Note: upstream haldls has the opposite sense (default false, "setting the inhibit_reset bit starts the
 * execution"); code ported from upstream must invert this flag.
 */
export class PPUControlRegister extends register({
  typeName: 'PPUControlRegister',
  coordinateType: PPUControlRegisterOnDLS,
  wordCount: 1,
  readable: true,
  writable: true,
  addresses: (c: PPUControlRegisterOnDLS) => omnibusAddresses.PPUControlRegister(c),
  fields: {
    inhibitReset: bool(at(0, 0), true),
    forceClockOn: bool(at(0, 1)),
    forceClockOff: bool(at(0, 2)),
    cacheControllerEnable: bool(at(0, 3)),
  },
}) {}
registerContainer(PPUControlRegister);

/** Status of one PPU (read-only, hardware.md §3.10): `sleep` = the core has halted (bit 0). */
export class PPUStatusRegister extends register({
  typeName: 'PPUStatusRegister',
  coordinateType: PPUStatusRegisterOnDLS,
  wordCount: 1,
  readable: true,
  writable: false,
  addresses: (c: PPUStatusRegisterOnDLS) => omnibusAddresses.PPUStatusRegister(c),
  fields: {
    sleep: bool(at(0, 0)),
  },
}) {}
registerContainer(PPUStatusRegister);
