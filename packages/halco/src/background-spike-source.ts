import { ranged } from './coordinate.js';
import { CrossbarInputOnDLS, CrossbarL2OutputOnDLS, CrossbarNodeOnDLS, CrossbarOutputOnDLS } from './crossbar.js';
import { PADIBusOnDLS } from './padi.js';

/** One of the 8 background spike generators, one per PADI bus (hardware.md §1, §3.7). */
export class BackgroundSpikeSourceOnDLS extends ranged('BackgroundSpikeSourceOnDLS', 0, 7) {
  /** §2.3: generator i enters the crossbar at input `12 + i`. */
  toCrossbarInputOnDLS(): CrossbarInputOnDLS {
    return new CrossbarInputOnDLS(12 + this.value);
  }
  /** §2.3: its own PADI bus `i`. */
  toPADIBusOnDLS(): PADIBusOnDLS {
    return new PADIBusOnDLS(this.value);
  }
  /** §2.3: the FPGA link it can be recorded on, crossbar output `8 + i % 4`. */
  toCrossbarL2OutputOnDLS(): CrossbarL2OutputOnDLS {
    return new CrossbarL2OutputOnDLS(this.value % 4);
  }
  /** Its 2 crossbar nodes (§2.5): to its PADI bus and to its FPGA output. */
  toCrossbarNodeOnDLS(): CrossbarNodeOnDLS[] {
    const input = this.toCrossbarInputOnDLS();
    return [
      new CrossbarNodeOnDLS(new CrossbarOutputOnDLS(this.value), input),
      new CrossbarNodeOnDLS(this.toCrossbarL2OutputOnDLS().toCrossbarOutputOnDLS(), input),
    ];
  }
}
