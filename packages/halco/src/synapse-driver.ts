import { nested, ranged } from './coordinate.js';
import { PADIBusBlockOnDLS, SynapseDriverBlockOnDLS, SynramOnDLS } from './hemisphere.js';
import { CapMemBlockOnDLS } from './capmem.js';
import { PADIBusOnDLS, PADIBusOnPADIBusBlock } from './padi.js';
import { SynapseRowOnDLS, SynapseRowOnSynram } from './synapse.js';

/** One of the two rows a driver feeds: top (0) = odd synapse row, bottom (1) = even row (hardware.md §2.7). */
export class SynapseRowOnSynapseDriver extends ranged('SynapseRowOnSynapseDriver', 0, 1) {
  static readonly top = new SynapseRowOnSynapseDriver(0);
  static readonly bottom = new SynapseRowOnSynapseDriver(1);
}

/** A driver's index on its PADI bus, compared with the event's 5-bit row-select field (§2.4, §3.6). */
export class SynapseDriverOnPADIBus extends ranged('SynapseDriverOnPADIBus', 0, 31) {
  /** The driver at this bus index on a given bus of the block: `d = 4·index + bus` (§2.7). */
  toSynapseDriverOnSynapseDriverBlock(bus: PADIBusOnPADIBusBlock): SynapseDriverOnSynapseDriverBlock {
    return new SynapseDriverOnSynapseDriverBlock(4 * this.value + bus.value);
  }
}

/** A driver inside its hemisphere's block (§2.7). */
export class SynapseDriverOnSynapseDriverBlock extends ranged('SynapseDriverOnSynapseDriverBlock', 0, 127) {
  /** Driver d listens on PADI bus `d % 4`. */
  toPADIBusOnPADIBusBlock(): PADIBusOnPADIBusBlock {
    return new PADIBusOnPADIBusBlock(this.value % 4);
  }
  /** … at bus index `⌊d / 4⌋`. */
  toSynapseDriverOnPADIBus(): SynapseDriverOnPADIBus {
    return new SynapseDriverOnPADIBus(Math.floor(this.value / 4));
  }
  /** Its two rows, indexed by SynapseRowOnSynapseDriver: `[2d + 1 (top), 2d (bottom)]`. */
  toSynapseRowOnSynram(): SynapseRowOnSynram[] {
    return [new SynapseRowOnSynram(2 * this.value + 1), new SynapseRowOnSynram(2 * this.value)];
  }
}

/** A driver of the chip: `128·block + d`. */
export class SynapseDriverOnDLS extends nested(
  'SynapseDriverOnDLS',
  SynapseDriverOnSynapseDriverBlock,
  () => SynapseDriverBlockOnDLS,
) {
  toSynapseDriverOnSynapseDriverBlock(): SynapseDriverOnSynapseDriverBlock {
    return this.local;
  }
  toSynapseDriverBlockOnDLS(): SynapseDriverBlockOnDLS {
    return this.outer;
  }
  /** `4·block + d % 4` (§2.7). */
  toPADIBusOnDLS(): PADIBusOnDLS {
    return new PADIBusOnDLS(this.local.toPADIBusOnPADIBusBlock(), new PADIBusBlockOnDLS(this.outer.value));
  }
  /** Its two rows in its own hemisphere, indexed by SynapseRowOnSynapseDriver. */
  toSynapseRowOnDLS(): SynapseRowOnDLS[] {
    const synram = new SynramOnDLS(this.outer.value);
    return this.local.toSynapseRowOnSynram().map((row) => new SynapseRowOnDLS(row, synram));
  }
  /** §2.3: driver d of block h is biased from CapMem block `2·h + d % 2`. */
  toCapMemBlockOnDLS(): CapMemBlockOnDLS {
    return new CapMemBlockOnDLS(2 * this.outer.value + (this.local.value % 2));
  }
}
