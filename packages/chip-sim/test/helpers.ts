import { type Instruction, InstructionStream, Loopback, type Response, decodeResponses } from '@bss2/fisch';
import { type Coordinate, type OmnibusContainerName, omnibusAddresses, omnibusAddressesOf } from '@bss2/halco';
import { type ContainerType, containerTypes, isArrayField, writeRaw } from '@bss2/lola';
import fc from 'fast-check';
import type { ChipModel, EventSink, SimulatedChip } from '../src/index.js';

/** Fixed seeds: every property run is reproducible. */
export const SEED = 0x5eed_c41f;

/** The lola leaf containers that have omnibus words (halco's `omnibusAddresses` keys), contract order. */
export function leafContainers(): { name: OmnibusContainerName; type: ContainerType }[] {
  const types = containerTypes();
  return (Object.keys(omnibusAddresses) as OmnibusContainerName[]).map((name) => ({ name, type: types.get(name)! }));
}

/** A small deterministic generator for field values, seeded by fast-check. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/**
 * Valid words of a random instance of `type`: each field gets a random raw value over its bit slices, or its
 * default where the random raw value names no value (enumerations, narrowed ranges).
 */
export function randomContainerWords(type: ContainerType, seed: number): Uint32Array {
  const random = mulberry32(seed);
  const words = new Uint32Array(type.wordCount);
  const fields = (type as unknown as { fields?: Record<string, unknown> }).fields ?? {};
  for (const field of Object.values(fields) as Parameters<typeof isArrayField>[0][]) {
    const elements = isArrayField(field)
      ? field.slices.map((slices) => ({ slices, type: field.element }))
      : [{ slices: field.slices, type: field.type }];
    for (const { slices, type: valueType } of elements) {
      const width = slices.reduce((sum, s) => sum + s.width, 0);
      let raw = Math.floor(random() * 2 ** width);
      if (valueType.fromRaw(raw) === undefined) raw = valueType.toRaw(valueType.default) % 2 ** width;
      writeRaw(words, slices, raw);
    }
  }
  return type.decode(words).encode();
}

/** The coordinate with enum value `value` of a container's coordinate type. */
export function coordinateOf(type: ContainerType, value: number): Coordinate {
  return new type.coordinateType(value);
}

export function addressesOf(name: OmnibusContainerName, coordinate: Coordinate): readonly number[] {
  return omnibusAddressesOf(name, coordinate);
}

/** Runs `build` into a stream ending in Loopback(halt) and returns the decoded responses. */
export function run(chip: SimulatedChip, build: (s: InstructionStream) => void): Response[] {
  const stream = new InstructionStream();
  build(stream);
  stream.loopback(Loopback.halt);
  return decodeResponses(chip.execute(stream.toBytes()));
}

/** The OmnibusData values of a response list, in order. */
export function dataWords(responses: readonly Response[]): number[] {
  return responses.flatMap((r) => (r.kind === 'OmnibusData' ? [r.value] : []));
}

/** Random instructions in object form (every opcode of hardware.md §5.2, fields in range). */
export function instructionArbitrary(addresses: readonly number[]): fc.Arbitrary<Instruction> {
  const u = (max: number) => fc.integer({ min: 0, max });
  const label = u(0xffff);
  return fc.oneof(
    fc.constant<Instruction>({ kind: 'JtagInit' }),
    u(255).map((value): Instruction => ({ kind: 'JtagScaler', value })),
    u(127).map((value): Instruction => ({ kind: 'JtagIns', value })),
    fc.integer({ min: 3, max: 33 }).chain((numBits) =>
      fc.record({ numBits: fc.constant(numBits), data: fc.integer({ min: 0, max: 2 ** numBits - 1 }), keepResponse: fc.boolean() }),
    ).map((r): Instruction => ({ kind: 'JtagData', ...r })),
    fc.constant<Instruction>({ kind: 'TimingSetup' }),
    u(5000).map((value): Instruction => ({ kind: 'WaitUntil', value })),
    fc.boolean().map((value): Instruction => ({ kind: 'SystimeInit', value })),
    u(31).map((mask): Instruction => ({ kind: 'Barrier', mask })),
    fc.boolean().map((value): Instruction => ({ kind: 'PollingOmnibusBlock', value })),
    fc.boolean().map((value): Instruction => ({ kind: 'Reset', value })),
    fc.constant<Instruction>({ kind: 'Loopback', value: Loopback.tick }),
    fc.record({ address: fc.constantFrom(...addresses), byteEnables: u(15), isRead: fc.boolean() }).map(
      (r): Instruction => ({ kind: 'OmnibusAddress', ...r }),
    ),
    u(0xffffffff).map((value): Instruction => ({ kind: 'OmnibusData', value })),
    label.map((l): Instruction => ({ kind: 'SpikePack1', labels: [l] })),
    fc.tuple(label, label).map((labels): Instruction => ({ kind: 'SpikePack2', labels })),
    fc.tuple(label, label, label).map((labels): Instruction => ({ kind: 'SpikePack3', labels })),
  );
}

/**
 * A test model: every injected spike comes back `delay` cycles later (on the odd half cycle when the label
 * is odd), and `emit` schedules arbitrary events. Events are reported when `advanceTo` passes them.
 */
export class LoopbackModel implements ChipModel {
  /** An event is reported by the first `advanceTo` past its cycle. */
  readonly responseLatency_cycles = 1;
  private pending: { kind: 'spike' | 'madc'; value: number; channel: number; cycle: number; half: 0 | 1 }[] = [];
  private ready: typeof this.pending = [];
  now = 0;

  constructor(readonly delay: number) {}

  emit(kind: 'spike' | 'madc', value: number, cycle: number, channel = 0, half: 0 | 1 = 0): void {
    this.pending.push({ kind, value, channel, cycle, half });
    this.pending.sort((a, b) => a.cycle - b.cycle);
  }

  advanceTo(cycle: number): void {
    this.now = cycle;
    while (this.pending.length > 0 && this.pending[0]!.cycle < cycle) this.ready.push(this.pending.shift()!);
  }

  onWrite(): void {}

  injectSpikes(labels: ArrayLike<number>, count: number, cycle: number): void {
    for (let i = 0; i < count; i++) this.emit('spike', labels[i]!, cycle + this.delay, 0, (labels[i]! % 2) as 0 | 1);
  }

  drainEvents(sink: EventSink): void {
    for (const e of this.ready) {
      if (e.kind === 'spike') sink.spike(e.value, e.cycle, e.half);
      else sink.madcSample(e.value, e.channel, e.cycle, e.half);
    }
    this.ready = [];
  }

  onReset(): void {}
}
