import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SimulatedChip } from '../src/index.js';
import { SEED, addressesOf, coordinateOf, dataWords, leafContainers, randomContainerWords, run } from './helpers.js';

// Timer is live (reads the running timer; a write loads it) and has its own tests in timing.property.test.ts.
const containers = leafContainers().filter(({ name }) => name !== 'Timer');
const readWrite = containers.filter(({ type }) => type.readable && type.writable);
const writeOnly = containers.filter(({ type }) => !type.readable && type.writable);
const readOnly = containers.filter(({ type }) => type.readable && !type.writable);

/** Random coordinate (enum value) and a seed for the container's contents. */
const unitAndSeed = (min: number, max: number) => fc.tuple(fc.integer({ min, max }), fc.integer({ min: 0, max: 2 ** 31 - 1 }));

describe('every lola leaf container through omnibus instructions', () => {
  const chip = new SimulatedChip({ seed: 1 });

  it('covers read-write, write-only and read-only containers', () => {
    expect(readWrite.length).toBeGreaterThan(30);
    expect(writeOnly.map((c) => c.name)).toContain('SynapseBiasSelection');
    expect(readOnly.map((c) => c.name)).toEqual(
      expect.arrayContaining(['SpikeCounterRead', 'CADCSampleQuad', 'CrossbarInputDropCounter', 'CrossbarOutputEventCounter', 'PPUStatusRegister']),
    );
  });

  for (const { name, type } of readWrite) {
    it(`${name}: words written at a random coordinate read back unchanged`, () => {
      const { min, max } = type.coordinateType;
      fc.assert(
        fc.property(unitAndSeed(min, max), ([unit, seed]) => {
          const words = randomContainerWords(type, seed);
          const addresses = addressesOf(name, coordinateOf(type, unit));
          const responses = run(chip, (s) => {
            addresses.forEach((a, w) => s.omnibusWrite(a, words[w]!));
            for (const a of addresses) s.omnibusRead(a);
          });
          expect(dataWords(responses)).toEqual([...words]);
          expect(type.decode(Uint32Array.from(dataWords(responses))).equals(type.decode(words))).toBe(true);
        }),
        { numRuns: 1000, seed: SEED },
      );
    });
  }

  for (const { name, type } of writeOnly) {
    it(`${name}: write-only — the write is accepted, a read returns 0 and is counted`, () => {
      const { min, max } = type.coordinateType;
      fc.assert(
        fc.property(unitAndSeed(min, max), ([unit, seed]) => {
          const words = randomContainerWords(type, seed);
          const addresses = addressesOf(name, coordinateOf(type, unit));
          const before = chip.counters();
          const responses = run(chip, (s) => {
            addresses.forEach((a, w) => s.omnibusWrite(a, words[w]!));
            for (const a of addresses) s.omnibusRead(a);
          });
          const after = chip.counters();
          expect(dataWords(responses)).toEqual(addresses.map(() => 0));
          expect(after.writeOnlyReads - before.writeOnlyReads).toBe(addresses.length);
          expect(after.readOnlyWrites).toBe(before.readOnlyWrites);
          expect(after.unmappedWrites).toBe(before.unmappedWrites);
        }),
        { numRuns: 300, seed: SEED },
      );
    });
  }

  // The read-write properties above leave the chip configured at random, so its neurons fire, its generators
  // run and its CADC converts: the read-only units are checked on a chip that nothing has configured.
  const pristine = new SimulatedChip({ seed: 1 });
  for (const { name, type } of readOnly) {
    it(`${name}: read-only — writes are ignored and counted, reads return the reset value`, () => {
      const chip = pristine;
      const { min, max } = type.coordinateType;
      const defaults = [...type.defaults().encode()];
      fc.assert(
        fc.property(unitAndSeed(min, max), fc.integer({ min: 0, max: 0xffffffff }), ([unit], junk) => {
          const addresses = addressesOf(name, coordinateOf(type, unit));
          const before = chip.counters();
          const responses = run(chip, (s) => {
            for (const a of addresses) s.omnibusWrite(a, junk);
            for (const a of addresses) s.omnibusRead(a);
          });
          expect(dataWords(responses)).toEqual(defaults);
          expect(chip.counters().readOnlyWrites - before.readOnlyWrites).toBe(addresses.length);
        }),
        { numRuns: 300, seed: SEED },
      );
    });
  }

  it('powers up with every readable container at its lola defaults (sampled coordinates)', () => {
    const fresh = new SimulatedChip({ seed: 2 });
    const readable = containers.filter(({ type }) => type.readable);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: readable.length - 1 }), fc.double({ min: 0, max: 1, noNaN: true }), (i, at) => {
        const { name, type } = readable[i]!;
        const { min, max } = type.coordinateType;
        const unit = min + Math.floor(at * (max - min));
        const addresses = addressesOf(name, coordinateOf(type, unit));
        const words = addresses.map((a) => fresh.readWord(a));
        expect(words, `${name}(${unit})`).toEqual([...type.defaults().encode()]);
      }),
      { numRuns: 1000, seed: SEED },
    );
  });

  it('keeps only the bits a container defines: undefined bits read back 0', () => {
    const fresh = new SimulatedChip({ seed: 3 });
    const [address] = addressesOf('CapMemCell', coordinateOf(containers.find((c) => c.name === 'CapMemCell')!.type, 17));
    fresh.writeWord(address!, 0xffff_ffff);
    expect(fresh.readWord(address!)).toBe(0x3ff);
  });
});
