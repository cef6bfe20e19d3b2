// A write with a reference emits exactly the words that differ from it, at their addresses, in word order;
// on a device holding the reference it leaves the same state as a full write.
import type { Coordinate } from '@bss2/halco';
import { type Container, type ContainerType, SystimeSync, Timer } from '@bss2/lola';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PlaybackProgramBuilder, run } from '../src/index.js';
import { FakeExecutor } from './support/fake-executor.js';
import { randomContainer, randomCoordinate, typesWhere, words32 } from './support/containers.js';

const actions = new Set<unknown>([Timer, SystimeSync]);
const types = typesWhere((t) => t.writable && t.wordCount <= 64 && !actions.has(t));

interface Case {
  readonly type: ContainerType;
  readonly coord: Coordinate;
  readonly reference: Container;
  readonly container: Container;
}

/** A reference and a container that shares a random subset of its words. */
function differentialCase(seed: number, keepProbability: number): Case | undefined {
  const next = words32(seed);
  const type = types[next() % types.length]!;
  const coord = randomCoordinate(type, next, 64);
  if (coord === undefined) return undefined;
  const count = type.addresses(coord).length;
  const reference = randomContainer(type, count, next);
  const other = randomContainer(type, count, next).encode();
  const mixed = reference.encode().map((word, i) => (next() / 2 ** 32 < keepProbability ? word : other[i]!));
  let container: Container;
  try {
    container = type.decode(type.decode(mixed).encode());
  } catch {
    container = randomContainer(type, count, next);
  }
  return { type, coord, reference, container };
}

const cases = fc
  .tuple(fc.integer(), fc.double({ min: 0, max: 1, noNaN: true }))
  .map(([seed, keep]) => differentialCase(seed, keep))
  .filter((c): c is Case => c !== undefined);

describe('differential write', () => {
  it('emits exactly the changed words', () => {
    fc.assert(
      fc.property(cases, ({ type, coord, reference, container }) => {
        const program = new PlaybackProgramBuilder().write(coord, container, reference).done();
        const addresses = type.addresses(coord);
        const words = container.encode();
        const previous = reference.encode();
        const expected = addresses.flatMap((address, i) =>
          words[i] === previous[i] ? [] : [{ address, isRead: false }, { value: words[i] }],
        );
        const emitted = program
          .toInstructions()
          .map((i) => (i.kind === 'OmnibusAddress' ? { address: i.address, isRead: i.isRead } : i.kind === 'OmnibusData' ? { value: i.value } : i));
        expect(emitted).toEqual(expected);
      }),
      { numRuns: 1000, seed: 0xd1ff },
    );
  });

  it('leaves the state of a full write on a device that holds the reference', async () => {
    await fc.assert(
      fc.asyncProperty(cases, async ({ type, coord, reference, container }) => {
        const fake = new FakeExecutor();
        await run(fake, new PlaybackProgramBuilder().write(coord, reference).done());
        await run(fake, new PlaybackProgramBuilder().write(coord, container, reference).done());
        const differential = new Map(fake.memory);
        const full = new FakeExecutor();
        await run(full, new PlaybackProgramBuilder().write(coord, reference).write(coord, container).done());
        expect(differential).toEqual(full.memory);
        if (type.readable) {
          const builder = new PlaybackProgramBuilder();
          const ticket = builder.read(coord, type);
          await run(fake, builder.done());
          expect(ticket.get().equals(container)).toBe(true);
        }
      }),
      { numRuns: 300, seed: 0xd1f0 },
    );
  });

  it('writes nothing when container and reference are equal, everything for a reference of other words', () => {
    const type = types.find((t) => t.typeName === 'NeuronConfig')!;
    const coord = new type.coordinateType(3);
    const a = randomContainer(type, 6, words32(1));
    expect(new PlaybackProgramBuilder().write(coord, a, a).empty()).toBe(true);
    const b = type.decode(a.encode().map((w) => w ^ 0xff));
    expect(new PlaybackProgramBuilder().write(coord, b, a).sizeToFpga()).toBe(12);
  });
});
