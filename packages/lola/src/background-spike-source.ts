import { BackgroundSpikeSourceOnDLS, omnibusAddresses } from '@bss2/halco';
import { registerContainer } from './container.js';
import { at, bool, uint } from './field.js';
import { register } from './register.js';

/**
 * One of the 8 background spike generators (hardware.md §3.7), feeding crossbar input 12 + i.
 *
 * * `enable`: on. Going from disabled to enabled loads `seed` into the generator's 32-bit LFSR and starts a
 *   full period, so the first spike (or Poisson bin) comes one `period` after enabling.
 * * `enableRandom`: Poisson (binned) instead of regular spiking.
 * * `neuronLabel` (14 bit): label of the emitted events.
 * * `period` (16 bit): inter-spike interval (regular) or bin length (Poisson) in ticks of
 *   `nominal.backgroundSpikeSourceClock_hz` (125 MHz, 8 ns; §3.7 Choice), so period 1 gives the 125 MEvent/s maximum.
 * * `rate` (8 bit): Poisson spike probability per bin `rate / 255`, mean ISI `period · 255 / rate`; 0 = silent.
 * * `seed` (32 bit): LFSR seed, loaded on the disabled → enabled edge.
 * * `mask` (8 bit): in Poisson mode, label bits set here are replaced by random bits per event.
 *
 * Layout (Choice): word 0 = seed; word 1 = neuronLabel bits 13..0, rate bits 23..16, mask bits 31..24;
 * word 2 = enable bit 0, enableRandom bit 1, period bits 31..16. The enables sit in the last word so that
 * writing the whole container (words in address order) sets seed and label before the generator starts.
 */
export class BackgroundSpikeSource extends register({
  typeName: 'BackgroundSpikeSource',
  coordinateType: BackgroundSpikeSourceOnDLS,
  wordCount: 3,
  readable: true,
  writable: true,
  addresses: (c: BackgroundSpikeSourceOnDLS) => omnibusAddresses.BackgroundSpikeSource(c),
  fields: {
    seed: uint(at(0, 0, 32)),
    neuronLabel: uint(at(1, 0, 14)),
    rate: uint(at(1, 16, 8)),
    mask: uint(at(1, 24, 8)),
    enable: bool(at(2, 0)),
    enableRandom: bool(at(2, 1)),
    period: uint(at(2, 16, 16)),
  },
}) {
  /** Mean inter-spike interval in 125 MHz ticks (§3.7): `period` when regular, `period · 255 / rate` when Poisson. */
  meanInterval_ticks(): number {
    if (!this.enableRandom) return this.period;
    return this.rate === 0 ? Number.POSITIVE_INFINITY : (this.period * 255) / this.rate;
  }
}
registerContainer(BackgroundSpikeSource);
