import { nested, ranged } from './coordinate.js';
import { BackgroundSpikeSourceOnDLS } from './background-spike-source.js';
import { CrossbarOutputOnDLS } from './crossbar.js';
import { PADIBusBlockOnDLS, SynapseDriverBlockOnDLS } from './hemisphere.js';
import { SynapseDriverOnDLS, SynapseDriverOnPADIBus, SynapseDriverOnSynapseDriverBlock } from './synapse-driver.js';
import type { SynapseRowOnDLS } from './synapse.js';

/** One of the 4 PADI event buses of a hemisphere. */
export class PADIBusOnPADIBusBlock extends ranged('PADIBusOnPADIBusBlock', 0, 3) {
  /** The 32 drivers listening on this bus, indexed by SynapseDriverOnPADIBus (hardware.md §2.7). */
  toSynapseDriverOnSynapseDriverBlock(): SynapseDriverOnSynapseDriverBlock[] {
    return [...SynapseDriverOnPADIBus.all()].map((i) => i.toSynapseDriverOnSynapseDriverBlock(this));
  }
}

/** A PADI bus of the chip: `4·block + bus` (§2.2); 0..3 top, 4..7 bottom. */
export class PADIBusOnDLS extends nested('PADIBusOnDLS', PADIBusOnPADIBusBlock, () => PADIBusBlockOnDLS) {
  toPADIBusOnPADIBusBlock(): PADIBusOnPADIBusBlock {
    return this.local;
  }
  toPADIBusBlockOnDLS(): PADIBusBlockOnDLS {
    return this.outer;
  }
  /** §2.3: PADI bus p is crossbar output p. */
  toCrossbarOutputOnDLS(): CrossbarOutputOnDLS {
    return new CrossbarOutputOnDLS(this.value);
  }
  /** §1: one background generator per PADI bus, same index. */
  toBackgroundSpikeSourceOnDLS(): BackgroundSpikeSourceOnDLS {
    return new BackgroundSpikeSourceOnDLS(this.value);
  }
  /** The 32 drivers on this bus, indexed by SynapseDriverOnPADIBus. */
  toSynapseDriverOnDLS(): SynapseDriverOnDLS[] {
    const block = new SynapseDriverBlockOnDLS(this.outer.value);
    return this.local.toSynapseDriverOnSynapseDriverBlock().map((d) => new SynapseDriverOnDLS(d, block));
  }
  /** The 64 synapse rows reachable from this bus (§2.7), two per driver in driver order (top row first). */
  toSynapseRowOnDLS(): SynapseRowOnDLS[] {
    return this.toSynapseDriverOnDLS().flatMap((d) => d.toSynapseRowOnDLS());
  }
}

/** The 5-bit row-select field of an event (§2.4 bits 10..6), compared with a driver's bus index under its mask. */
export class PADIRowSelectAddress extends ranged('PADIRowSelectAddress', 0, 31) {
  /** The driver index this address selects with a full mask. */
  toSynapseDriverOnPADIBus(): SynapseDriverOnPADIBus {
    return new SynapseDriverOnPADIBus(this.value);
  }
}
