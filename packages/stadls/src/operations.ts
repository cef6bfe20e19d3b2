import { ALL_BYTE_ENABLES, type InstructionStream } from '@bss2/fisch';
import {
  BarrierOnFPGA,
  Coordinate,
  type CoordinateType,
  PollingOmnibusBlockOnFPGA,
  TimerOnDLS,
  WaitUntilOnFPGA,
} from '@bss2/halco';
import { Barrier, Container, type ContainerType, SpikePackToChip, SystimeSync, Timer, TimerValue } from '@bss2/lola';
import { addressesOf } from './address-cache.js';
import {
  AccessError,
  CoordinateTypeMismatchError,
  ReferenceMismatchError,
  UnsupportedOperationError,
  WordCountMismatchError,
} from './errors.js';

// Validation and lowering of builder operations to instructions, shared by both builders: a plan is checked
// and encoded once, when the operation is added, so containers changed later do not change the program.

/** What one write() becomes. */
export type WritePlan =
  /** Omnibus Address + Data per word (hardware.md §5.2 opcodes 11, 12). */
  | { readonly kind: 'omnibus'; readonly addresses: Uint32Array; readonly words: Uint32Array }
  /** Writing Timer (value 0) resets the executor timer: timing Setup (hardware.md §3.10, §5.2 opcode 4). */
  | { readonly kind: 'timerReset' }
  /** SystimeSync is the FPGA's systime synchronisation: timing SystimeInit (§3.10, §5.2 opcode 6), as upstream fisch. */
  | { readonly kind: 'systimeInit'; readonly value: boolean }
  /** SpikePack1/2/3ToChip: one event instruction (§3.10, §5.2 opcodes 13–15). */
  | { readonly kind: 'spikes'; readonly labels: readonly number[] };

/** What one blockUntil() becomes (hardware.md §5.1). */
export type BlockPlan =
  | { readonly kind: 'wait'; readonly cycles: number }
  | { readonly kind: 'barrier'; readonly mask: number }
  | { readonly kind: 'polling'; readonly expectsEquality: boolean };

/**
 * The condition of a PollingOmnibusBlock at PollingOmnibusBlockOnFPGA (upstream haldls `PollingOmnibusBlock`):
 * stall until `(word & mask) == target` when `enableExpectsEquality`, else until it differs; address, mask and
 * target come from the PollingOmnibusBlockConfig written before (hardware.md §3.10).
 */
export interface PollingOmnibusBlockCondition {
  readonly enableExpectsEquality: boolean;
}

function describe(value: unknown): string {
  if (value instanceof Coordinate) return value.toString();
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'object') {
    const name = (value as { typeName?: unknown }).typeName ?? (value as object).constructor?.name;
    return typeof name === 'string' ? `a ${name}` : 'an object';
  }
  if (typeof value === 'function') return `the class ${(value as { typeName?: string }).typeName ?? value.name}`;
  return `${typeof value} ${String(value)}`;
}

export function checkCoordinate(typeName: string, coordinateType: CoordinateType, coord: unknown): void {
  if (!(coord instanceof coordinateType)) {
    throw new CoordinateTypeMismatchError(typeName, coordinateType.typeName, describe(coord));
  }
}

function isTypeOf(reference: unknown, container: object): boolean {
  return reference !== null && typeof reference === 'object' && reference.constructor === container.constructor;
}

/** Number of instructions a write plan emits. */
export function writeInstructions(plan: WritePlan): number {
  return plan.kind === 'omnibus' ? 2 * plan.words.length : 1;
}

/**
 * Checks and encodes `write(coord, container, reference?)` (hardware.md §3.1, §5.1). With a reference of the
 * same type only the words that differ are kept; actions (timer reset, systime sync, spike packs) have no
 * state to compare and are always emitted.
 */
export function planWrite(coord: unknown, container: unknown, reference?: unknown): WritePlan {
  if (container instanceof SpikePackToChip) {
    const type = container.constructor as unknown as { typeName: string; coordinateType: CoordinateType };
    checkCoordinate(type.typeName, type.coordinateType, coord);
    if (reference !== undefined && !isTypeOf(reference, container)) throw new ReferenceMismatchError(type.typeName, describe(reference));
    return { kind: 'spikes', labels: container.labels };
  }
  if (!(container instanceof Container)) {
    throw new UnsupportedOperationError('write', describe(container), 'a lola container or a SpikePack1/2/3ToChip');
  }
  const type: ContainerType = container.containerType;
  checkCoordinate(type.typeName, type.coordinateType, coord);
  if (!type.writable) throw new AccessError(type.typeName, 'write');
  if (reference !== undefined && !isTypeOf(reference, container)) throw new ReferenceMismatchError(type.typeName, describe(reference));
  if (container instanceof Timer) {
    // Only 0 may be written (hardware.md §3.10); lola's encode() rejects anything else with a FieldRangeError.
    container.encode();
    return { kind: 'timerReset' };
  }
  if (container instanceof SystimeSync) return { kind: 'systimeInit', value: container.doSync };
  const addresses = addressesOf(type, coord as Coordinate);
  const words = container.encode();
  if (words.length !== addresses.length) {
    throw new WordCountMismatchError(type.typeName, String(coord), words.length, addresses.length);
  }
  if (reference === undefined) return { kind: 'omnibus', addresses, words };
  const previous = (reference as Container).encode();
  if (previous.length !== words.length) {
    throw new WordCountMismatchError(type.typeName, String(coord), previous.length, addresses.length);
  }
  let changed = 0;
  for (let i = 0; i < words.length; i++) if (words[i] !== previous[i]) changed++;
  if (changed === words.length) return { kind: 'omnibus', addresses, words };
  const changedAddresses = new Uint32Array(changed);
  const changedWords = new Uint32Array(changed);
  for (let i = 0, j = 0; i < words.length; i++) {
    if (words[i] !== previous[i]) {
      changedAddresses[j] = addresses[i]!;
      changedWords[j++] = words[i]!;
    }
  }
  return { kind: 'omnibus', addresses: changedAddresses, words: changedWords };
}

/** Checks `read(coord, type)` and returns the addresses to read, in word order (hardware.md §3.1, §5.1). */
export function planRead(coord: unknown, type: unknown): Uint32Array {
  if (typeof type !== 'function') throw new UnsupportedOperationError('read', describe(type), 'a lola container type (class)');
  const candidate = type as unknown as Partial<ContainerType>;
  if (typeof candidate.typeName !== 'string' || candidate.coordinateType === undefined) {
    throw new UnsupportedOperationError('read', describe(type), 'a lola container type (class)');
  }
  checkCoordinate(candidate.typeName, candidate.coordinateType, coord);
  if (candidate.readable !== true || typeof candidate.addresses !== 'function' || typeof candidate.decode !== 'function') {
    throw new AccessError(candidate.typeName, 'read');
  }
  return addressesOf(candidate as ContainerType, coord as Coordinate);
}

/** Checks `blockUntil(coord, condition)` (hardware.md §5.1). */
export function planBlockUntil(coord: unknown, condition: unknown): BlockPlan {
  if (condition instanceof TimerValue) {
    if (!(coord instanceof TimerOnDLS) && !(coord instanceof WaitUntilOnFPGA)) {
      throw new CoordinateTypeMismatchError('TimerValue', 'TimerOnDLS or WaitUntilOnFPGA', describe(coord));
    }
    return { kind: 'wait', cycles: condition.value };
  }
  if (condition instanceof Barrier) {
    checkCoordinate('Barrier', BarrierOnFPGA, coord);
    return { kind: 'barrier', mask: condition.mask };
  }
  const polling = condition as Partial<PollingOmnibusBlockCondition> | null | undefined;
  if (polling !== null && typeof polling === 'object' && typeof polling.enableExpectsEquality === 'boolean') {
    checkCoordinate('PollingOmnibusBlock', PollingOmnibusBlockOnFPGA, coord);
    return { kind: 'polling', expectsEquality: polling.enableExpectsEquality };
  }
  throw new UnsupportedOperationError(
    'blockUntil',
    describe(condition),
    'TimerValue at TimerOnDLS, Barrier at BarrierOnFPGA, { enableExpectsEquality } at PollingOmnibusBlockOnFPGA',
  );
}

/** Appends the instructions of a write plan. */
export function appendWrite(stream: InstructionStream, plan: WritePlan): void {
  switch (plan.kind) {
    case 'omnibus': {
      const { addresses, words } = plan;
      for (let i = 0; i < words.length; i++) {
        stream.omnibusAddress(addresses[i]!, ALL_BYTE_ENABLES, false);
        stream.omnibusData(words[i]!);
      }
      return;
    }
    case 'timerReset':
      stream.timingSetup();
      return;
    case 'systimeInit':
      stream.systimeInit(plan.value);
      return;
    case 'spikes':
      stream.spikePack(plan.labels, plan.labels.length);
      return;
  }
}

/** Appends one omnibus read per address; each yields one OmnibusData response (hardware.md §5.2, §5.3). */
export function appendRead(stream: InstructionStream, addresses: Uint32Array): void {
  for (let i = 0; i < addresses.length; i++) stream.omnibusAddress(addresses[i]!, ALL_BYTE_ENABLES, true);
}

/** Appends the single timing instruction of a block plan. */
export function appendBlock(stream: InstructionStream, plan: BlockPlan): void {
  switch (plan.kind) {
    case 'wait':
      stream.waitUntil(plan.cycles);
      return;
    case 'barrier':
      stream.barrier(plan.mask);
      return;
    case 'polling':
      stream.pollingOmnibusBlock(plan.expectsEquality);
      return;
  }
}
