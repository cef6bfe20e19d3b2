import { ranged } from './coordinate.js';

/** The MADC's configuration registers; one MADC per chip (hardware.md §1, §3.9). */
export class MADCConfigOnDLS extends ranged('MADCConfigOnDLS', 0, 0) {}

/** The MADC's control (start/stop/power) register. */
export class MADCControlOnDLS extends ranged('MADCControlOnDLS', 0, 0) {}

/** The single readout source selection: one source per MADC input channel (§3.9). */
export class ReadoutSourceSelectionOnDLS extends ranged('ReadoutSourceSelectionOnDLS', 0, 0) {}

/** One of the 2 MADC input channels (multiplexers) of the readout source selection. */
export class SourceMultiplexerOnReadoutSourceSelection extends ranged('SourceMultiplexerOnReadoutSourceSelection', 0, 1) {}

/** One of the 2 analog probe pads (outputs only, §1). */
export class PadOnDLS extends ranged('PadOnDLS', 0, 1) {
  toPadMultiplexerConfigOnDLS(): PadMultiplexerConfigOnDLS {
    return new PadMultiplexerConfigOnDLS(this.value);
  }
}

/** The multiplexer routing signals onto one pad. */
export class PadMultiplexerConfigOnDLS extends ranged('PadMultiplexerConfigOnDLS', 0, 1) {
  toPadOnDLS(): PadOnDLS {
    return new PadOnDLS(this.value);
  }
}
