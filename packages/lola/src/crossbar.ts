import {
  CrossbarInputOnDLS,
  CrossbarNodeOnDLS,
  CrossbarOutputConfigOnDLS,
  CrossbarOutputOnDLS,
  omnibusAddresses,
} from '@bss2/halco';
import { registerContainer } from './container.js';
import { FieldRangeError } from './errors.js';
import { array, at, booleanType, bool, uint } from './field.js';
import { register } from './register.js';

/** Largest 14-bit neuron label (hardware.md §2.4: the crossbar compares bits 13..0 of a spike label). */
const neuronLabelMax = 0x3fff;

/**
 * One of the 76 filter nodes of the event crossbar (hardware.md §2.5). The node forwards an event iff
 * `(neuron_label & mask) == target`. Layout as upstream haldls: mask bits 13..0, target bits 29..16,
 * enable_drop_counter bit 31 (events this node rejects count in its input's CrossbarInputDropCounter).
 */
export class CrossbarNode extends register({
  typeName: 'CrossbarNode',
  coordinateType: CrossbarNodeOnDLS,
  wordCount: 1,
  readable: true,
  writable: true,
  addresses: (c: CrossbarNodeOnDLS) => omnibusAddresses.CrossbarNode(c),
  fields: {
    mask: uint(at(0, 0, 14)),
    target: uint(at(0, 16, 14)),
    enableDropCounter: bool(at(0, 31)),
  },
}) {
  /** The reset state, mask 0 and target 0: every label matches, so the node passes everything (§2.5). */
  static get passAll(): CrossbarNode {
    return new CrossbarNode();
  }

  /** "Drop all" (§2.5): mask 0 makes every masked label 0, which never equals target 1. */
  static get drop(): CrossbarNode {
    return new CrossbarNode({ mask: 0, target: 1 });
  }

  /** Whether this node forwards an event carrying the 14-bit `neuronLabel` (hardware.md §2.5). */
  forwards(neuronLabel: number): boolean {
    if (!Number.isInteger(neuronLabel) || neuronLabel < 0 || neuronLabel > neuronLabelMax) {
      throw new FieldRangeError('CrossbarNode.forwards(neuronLabel)', neuronLabel, `an integer in 0..${neuronLabelMax}`);
    }
    return (neuronLabel & this.mask) === this.target;
  }
}
registerContainer(CrossbarNode);

/**
 * Per-output switches of the crossbar (one register). Layout as upstream haldls: `enableSlow[4]` in bits
 * 3..0, one per FPGA link output (index = CrossbarL2OutputOnDLS, i.e. crossbar output 8 + index; a
 * slow-mode switch of that link whose effect neither hardware.md nor upstream specifies, so it is stored
 * only), then `enableEventCounter[12]` in bits 15..4, one per crossbar output (index = CrossbarOutputOnDLS)
 * enabling its CrossbarOutputEventCounter. Reset: all off.
 */
export class CrossbarOutputConfig extends register({
  typeName: 'CrossbarOutputConfig',
  coordinateType: CrossbarOutputConfigOnDLS,
  wordCount: 1,
  readable: true,
  writable: true,
  addresses: (c: CrossbarOutputConfigOnDLS) => omnibusAddresses.CrossbarOutputConfig(c),
  fields: {
    enableSlow: array(4, booleanType(), (i) => at(0, i)),
    enableEventCounter: array(12, booleanType(), (i) => at(0, 4 + i)),
  },
}) {}
registerContainer(CrossbarOutputConfig);

/**
 * Events dropped at one crossbar input (16 bit, read-only; hardware.md §2.5). Only nodes with
 * `enableDropCounter` contribute. Bits above 15 are ignored when decoding.
 */
export class CrossbarInputDropCounter extends register({
  typeName: 'CrossbarInputDropCounter',
  coordinateType: CrossbarInputOnDLS,
  wordCount: 1,
  readable: true,
  writable: false,
  addresses: (c: CrossbarInputOnDLS) => omnibusAddresses.CrossbarInputDropCounter(c),
  fields: {
    value: uint(at(0, 0, 16)),
  },
}) {}
registerContainer(CrossbarInputDropCounter);

/** Events forwarded to one crossbar output (24 bit, read-only; hardware.md §2.5), counted when enabled. */
export class CrossbarOutputEventCounter extends register({
  typeName: 'CrossbarOutputEventCounter',
  coordinateType: CrossbarOutputOnDLS,
  wordCount: 1,
  readable: true,
  writable: false,
  addresses: (c: CrossbarOutputOnDLS) => omnibusAddresses.CrossbarOutputEventCounter(c),
  fields: {
    value: uint(at(0, 0, 24)),
  },
}) {}
registerContainer(CrossbarOutputEventCounter);
