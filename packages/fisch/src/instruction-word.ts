// Hot-path access to the fields of one instruction word: positions read once from the layout table in
// instruction.ts, and a dispatch to a visitor that allocates nothing.
import { fieldMask } from './bit-field.js';
import { InstructionOpcode } from './constants.js';
import { HEADER_BITS } from './framing.js';
import { instructionField, type InstructionKind } from './instruction.js';

/**
 * Receives instructions one call per word with plain numbers (no allocation); `InstructionStream` is one,
 * so `a.visit(b)` appends a copy of `a` to `b`. `labels` of `spikePack` is scratch space of the caller:
 * read its first `count` entries during the call, do not keep it.
 */
export interface InstructionVisitor {
  jtagInit(): void;
  jtagScaler(value: number): void;
  jtagIns(register: number): void;
  jtagData(data: number, numBits: number, keepResponse: boolean): void;
  timingSetup(): void;
  waitUntil(cycles: number): void;
  systimeInit(value: boolean): void;
  barrier(mask: number): void;
  pollingOmnibusBlock(value: boolean): void;
  reset(value: boolean): void;
  loopback(value: number): void;
  omnibusAddress(address: number, byteEnables: number, isRead: boolean): void;
  omnibusData(value: number): void;
  spikePack(labels: ArrayLike<number>, count: number): void;
}

/** Where a field sits in one half of the word, read from the layout table in instruction.ts. */
export interface Slot {
  readonly shift: number;
  readonly mask: number;
  readonly max: number;
}

/** A field that lies in the high half of the word; module load fails if the layout moves it. */
export function highSlot(kind: InstructionKind, name: string): Slot {
  const field = instructionField(kind, name);
  if (field.offset < 32 || field.offset + field.width > 64) throw new Error(`${kind}.${name} is not in the high half`);
  return { shift: field.offset - 32, mask: fieldMask(field), max: field.max };
}

/** A field that lies in the low half of the word. */
export function lowSlot(kind: InstructionKind, name: string): Slot {
  const field = instructionField(kind, name);
  if (field.offset + field.width > 32) throw new Error(`${kind}.${name} is not in the low half`);
  return { shift: field.offset, mask: fieldMask(field), max: field.max };
}

export const SPIKE_KINDS = ['SpikePack1', 'SpikePack2', 'SpikePack3'] as const;

/** Per pack size − 1 and label index: bit offset of the label in the word. */
export function labelOffsets(): number[][] {
  return SPIKE_KINDS.map((kind, n) => Array.from({ length: n + 1 }, (_, i) => instructionField(kind, `labels[${i}]`).offset));
}

// Hot-path constants as module-local numbers: V8 folds them, whereas imported bindings and object
// properties are loaded again on every call (measured ≈ 2× on `fisch.encode`).
const HEADER_SHIFT = 32 - HEADER_BITS;
const {
  JtagInit: JTAG_INIT, JtagScaler: JTAG_SCALER, JtagIns: JTAG_INS, JtagData: JTAG_DATA, TimingSetup: TIMING_SETUP,
  WaitUntil: WAIT_UNTIL, SystimeInit: SYSTIME_INIT, Barrier: BARRIER, PollingOmnibusBlock: POLLING, Reset: RESET,
  Loopback: LOOPBACK, OmnibusAddress: OMNIBUS_ADDRESS, OmnibusData: OMNIBUS_DATA, SpikePack1: SPIKE_PACK1,
} = InstructionOpcode;
const { shift: SCALER_SHIFT, mask: SCALER_MASK } = lowSlot('JtagScaler', 'value');
const { shift: INS_SHIFT, mask: INS_MASK } = lowSlot('JtagIns', 'value');
const JTAG_DATA_FIELD = instructionField('JtagData', 'data');
/** jtag Data's 40-bit data field spans both halves: bits above 31 sit at the bottom of the high half. */
const JTAG_DATA_HIGH_MASK = 2 ** (JTAG_DATA_FIELD.offset + JTAG_DATA_FIELD.width - 32) - 1;
const { shift: NUM_BITS_SHIFT, mask: NUM_BITS_MASK } = highSlot('JtagData', 'numBits');
const { shift: KEEP_SHIFT, mask: KEEP_MASK } = highSlot('JtagData', 'keepResponse');
const { shift: WAIT_SHIFT } = lowSlot('WaitUntil', 'value');
const { shift: SYSTIME_SHIFT, mask: SYSTIME_MASK } = lowSlot('SystimeInit', 'value');
const { shift: BARRIER_SHIFT, mask: BARRIER_MASK } = lowSlot('Barrier', 'mask');
const { shift: POLLING_SHIFT, mask: POLLING_MASK } = lowSlot('PollingOmnibusBlock', 'value');
const { shift: RESET_SHIFT, mask: RESET_MASK } = lowSlot('Reset', 'value');
const { shift: LOOPBACK_SHIFT, mask: LOOPBACK_MASK } = lowSlot('Loopback', 'value');
const { shift: ADDRESS_SHIFT } = lowSlot('OmnibusAddress', 'address');
const { shift: ENABLES_SHIFT, mask: ENABLES_MASK } = highSlot('OmnibusAddress', 'byteEnables');
const { shift: IS_READ_SHIFT, mask: IS_READ_MASK } = highSlot('OmnibusAddress', 'isRead');
const { shift: DATA_SHIFT } = lowSlot('OmnibusData', 'value');
const LABEL_OFFSETS = labelOffsets();

/**
 * Calls the visitor method of the word `high`/`low` (already validated) with its fields as plain numbers;
 * `labels` is the caller's scratch space for spike packs.
 */
export function visitWord(high: number, low: number, visitor: InstructionVisitor, labels: Uint16Array): void {
  switch (high >>> HEADER_SHIFT) {
    case JTAG_INIT: return visitor.jtagInit();
    case JTAG_SCALER: return visitor.jtagScaler((low >>> SCALER_SHIFT) & SCALER_MASK);
    case JTAG_INS: return visitor.jtagIns((low >>> INS_SHIFT) & INS_MASK);
    case JTAG_DATA:
      return visitor.jtagData(
        (high & JTAG_DATA_HIGH_MASK) * 2 ** 32 + low,
        (high >>> NUM_BITS_SHIFT) & NUM_BITS_MASK,
        ((high >>> KEEP_SHIFT) & KEEP_MASK) === 1,
      );
    case TIMING_SETUP: return visitor.timingSetup();
    case WAIT_UNTIL: return visitor.waitUntil(low >>> WAIT_SHIFT);
    case SYSTIME_INIT: return visitor.systimeInit(((low >>> SYSTIME_SHIFT) & SYSTIME_MASK) === 1);
    case BARRIER: return visitor.barrier((low >>> BARRIER_SHIFT) & BARRIER_MASK);
    case POLLING: return visitor.pollingOmnibusBlock(((low >>> POLLING_SHIFT) & POLLING_MASK) === 1);
    case RESET: return visitor.reset(((low >>> RESET_SHIFT) & RESET_MASK) === 1);
    case LOOPBACK: return visitor.loopback((low >>> LOOPBACK_SHIFT) & LOOPBACK_MASK);
    case OMNIBUS_ADDRESS:
      return visitor.omnibusAddress(
        low >>> ADDRESS_SHIFT,
        (high >>> ENABLES_SHIFT) & ENABLES_MASK,
        ((high >>> IS_READ_SHIFT) & IS_READ_MASK) === 1,
      );
    case OMNIBUS_DATA: return visitor.omnibusData(low >>> DATA_SHIFT);
    default: {
      const count = (high >>> HEADER_SHIFT) - SPIKE_PACK1 + 1;
      const offsets = LABEL_OFFSETS[count - 1]!;
      // Uint16Array stores keep the low 16 bits: exactly the label.
      for (let i = 0; i < count; i++) {
        const offset = offsets[i]!;
        labels[i] = offset >= 32 ? high >>> (offset - 32) : low >>> offset;
      }
      return visitor.spikePack(labels, count);
    }
  }
}
