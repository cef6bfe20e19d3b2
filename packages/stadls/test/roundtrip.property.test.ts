// Writes of random valid containers at random coordinates, then reads, through run() and the fake executor:
// every read gives back the words last written at its addresses, and the container written.
import type { Coordinate } from '@bss2/halco';
import { type Container, type ContainerType, SystimeSync, Timer } from '@bss2/lola';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PlaybackProgramBuilder, run, type ContainerTicket } from '../src/index.js';
import { FakeExecutor } from './support/fake-executor.js';
import { randomContainer, randomCoordinate, typesWhere, words32 } from './support/containers.js';

/** Written through instructions, not stored at their address (timer reset, systime sync): not read back. */
const actions = new Set<ContainerType>([Timer as unknown as ContainerType, SystimeSync as unknown as ContainerType]);
const small = typesWhere((t) => t.wordCount <= 64 && !actions.has(t));
const large = typesWhere((t) => t.wordCount > 64);
const SMALL_WORDS = 64;
/** SynapseBlock, the largest container with a fixed size. */
const LARGE_WORDS = 32_770;

interface Write {
  readonly type: ContainerType;
  readonly coord: Coordinate;
  readonly container: Container;
}

function randomWrite(types: readonly ContainerType[], seed: number, maxWords: number): Write | undefined {
  const next = words32(seed);
  const type = types[next() % types.length]!;
  const coord = randomCoordinate(type, next, maxWords);
  if (coord === undefined) return undefined;
  return { type, coord, container: randomContainer(type, type.addresses(coord).length, next) };
}

async function writeThenRead(writes: readonly Write[], extraReads: readonly Write[]): Promise<void> {
  const model = new Map<number, number>();
  const builder = new PlaybackProgramBuilder();
  for (const w of writes) {
    if (!w.type.writable) continue;
    builder.write(w.coord, w.container);
    const words = w.container.encode();
    w.type.addresses(w.coord).forEach((address, i) => model.set(address, words[i]!));
  }
  const reads: { write: Write; ticket: ContainerTicket }[] = [];
  for (const w of [...writes, ...extraReads]) {
    if (w.type.readable) reads.push({ write: w, ticket: builder.read(w.coord, w.type) });
  }
  const program = builder.done();
  await run(new FakeExecutor(), program);
  for (const { write, ticket } of reads) {
    const expected = Uint32Array.from(write.type.addresses(write.coord), (address) => model.get(address) ?? 0);
    expect(ticket.valid).toBe(true);
    expect(ticket.words).toEqual(expected);
    const written = write.container.encode();
    if (write.type.writable && expected.every((word, i) => word === written[i])) {
      expect(ticket.get().equals(write.container)).toBe(true);
    }
  }
}

describe('write then read through run()', () => {
  it('gives back what was written, for random sets of small containers', async () => {
    const write = fc.integer().map((seed) => randomWrite(small, seed, SMALL_WORDS)).filter((w): w is Write => w !== undefined);
    await fc.assert(
      fc.asyncProperty(fc.array(write, { minLength: 1, maxLength: 8 }), fc.array(write, { maxLength: 3 }), writeThenRead),
      { numRuns: 1000, seed: 0x57ad15 },
    );
  });

  it('gives back what was written, for composite containers of thousands of words', async () => {
    const write = fc.integer().map((seed) => randomWrite(large, seed, LARGE_WORDS)).filter((w): w is Write => w !== undefined);
    await fc.assert(fc.asyncProperty(fc.array(write, { minLength: 1, maxLength: 2 }), (writes) => writeThenRead(writes, [])), {
      numRuns: 10,
      seed: 0x57ad16,
    });
  }, 30_000);

  it.each(typesWhere((t) => !actions.has(t) && t.readable && t.writable).map((t) => [t.typeName, t] as const))(
    '%s: a random container at a random coordinate reads back equal',
    async (_name, type) => {
      await fc.assert(
        fc.asyncProperty(fc.integer(), async (seed) => {
          const next = words32(seed);
          const coord = randomCoordinate(type, next, LARGE_WORDS);
          if (coord === undefined) return;
          const container = randomContainer(type, type.addresses(coord).length, next);
          const builder = new PlaybackProgramBuilder().write(coord, container);
          const ticket = builder.read(coord, type);
          await run(new FakeExecutor(), builder.done());
          expect(ticket.get().equals(container)).toBe(true);
        }),
        { numRuns: type.wordCount <= SMALL_WORDS ? 50 : 3, seed: 0x57ad17 },
      );
    },
    30_000,
  );
});
