import fc from 'fast-check';
import {
  SynapseQuadColumnOnDLS,
  SynapseQuadOnDLS,
  SynapseQuadOnSynram,
  SynapseRowOnDLS,
  SynapseRowOnSynram,
  SynramOnDLS,
} from '@bss2/halco';
import { describe, expect, it } from 'vitest';
import {
  FieldRangeError,
  SynapseMatrix,
  SynapseQuad,
  SynapseRangeError,
  SynapseRow,
  SynapseWeightMatrix,
  SynapseWeightQuad,
  UnknownFieldError,
  containerFromMsgpack,
  containerToMsgpack,
  containerTypes,
} from '../src/index.js';

/** Deterministic pseudo-random bytes below `limit` (xorshift32), so a large matrix costs one seed per run. */
function bytes(seed: number, length: number, limit: number): Uint8Array {
  let state = seed | 1;
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    out[i] = (state >>> 0) % limit;
  }
  return out;
}

function randomSynapses(seed: number, length: number) {
  return {
    weights: bytes(seed, length, 64),
    labels: bytes(seed + 1, length, 64),
    timeCalibs: bytes(seed + 2, length, 4),
    ampCalibs: bytes(seed + 3, length, 4),
  };
}

const arbitraryRow = fc
  .record({
    weights: fc.uint8Array({ max: 63, minLength: 256, maxLength: 256 }),
    labels: fc.uint8Array({ max: 63, minLength: 256, maxLength: 256 }),
    timeCalibs: fc.uint8Array({ max: 3, minLength: 256, maxLength: 256 }),
    ampCalibs: fc.uint8Array({ max: 3, minLength: 256, maxLength: 256 }),
  })
  .map((init) => new SynapseRow(init));

function quadOf(row: SynapseRowOnDLS, quadColumn: number): SynapseQuadOnDLS {
  return new SynapseQuadOnDLS(new SynapseQuadOnSynram(new SynapseQuadColumnOnDLS(quadColumn), row.toSynapseRowOnSynram()), row.toSynramOnDLS());
}

/** decode(encode(x)) equals x; with `serialised`, also the JSON and msgpack round trips. */
function roundTrips(x: SynapseRow | SynapseMatrix | SynapseWeightMatrix, serialised = true): void {
  const type = x.containerType;
  const words = x.encode();
  expect(words).toHaveLength(type.wordCount);
  expect(type.decode(words).equals(x)).toBe(true);
  if (!serialised) return;
  expect(type.fromJSON(JSON.parse(JSON.stringify(x))).equals(x)).toBe(true);
  const unpacked = containerFromMsgpack(containerToMsgpack(x));
  expect(unpacked).toBeInstanceOf(type);
  expect(unpacked.equals(x)).toBe(true);
}

describe('SynapseRow (one row, neuron-column order)', () => {
  it('contract: 128 words at the 64 SynapseQuads of the row, read-write, registered', () => {
    expect([SynapseRow.wordCount, SynapseRow.readable, SynapseRow.writable]).toEqual([128, true, true]);
    expect(containerTypes().get('SynapseRow')).toBe(SynapseRow);
    for (const row of [0, 5, 255, 256, 511].map((v) => new SynapseRowOnDLS(v))) {
      const expected = [...Array(64).keys()].flatMap((q) => SynapseQuad.addresses(quadOf(row, q)));
      expect(SynapseRow.addresses(row)).toEqual(expected);
    }
  });

  it('reset: every synapse 0', () => {
    const row = SynapseRow.defaults();
    for (const values of [row.weights, row.labels, row.timeCalibs, row.ampCalibs]) expect(values).toEqual(new Uint8Array(256));
    expect(row.encode().every((w) => w === 0)).toBe(true);
  });

  it('round trips through words, JSON and msgpack', () => {
    fc.assert(
      fc.property(arbitraryRow, (row) => {
        const back = SynapseRow.decode(row.encode());
        const viaJSON = SynapseRow.fromJSON(JSON.parse(JSON.stringify(row)));
        const viaMsgpack = containerFromMsgpack(containerToMsgpack(row));
        return back.equals(row) && viaJSON.equals(row) && viaMsgpack instanceof SynapseRow && viaMsgpack.equals(row);
      }),
      { numRuns: 1000, seed: 351 },
    );
  });

  it('encodes to exactly the words of its 64 SynapseQuads, built through halco\'s column mapping', () => {
    fc.assert(
      fc.property(arbitraryRow, (row) => {
        const expected = [...SynapseQuadColumnOnDLS.all()].flatMap((quad) => {
          const columns = quad.toNeuronColumnOnDLS().map((c) => c.value);
          const leaf = new SynapseQuad({
            weights: columns.map((c) => row.weights[c]!),
            labels: columns.map((c) => row.labels[c]!),
            timeCalibs: columns.map((c) => row.timeCalibs[c]!),
            ampCalibs: columns.map((c) => row.ampCalibs[c]!),
          });
          return [...leaf.encode()];
        });
        expect([...row.encode()]).toEqual(expected);
      }),
      { numRuns: 100, seed: 355 },
    );
  });

  it('validates every element, naming the column', () => {
    const weights = new Array(256).fill(0);
    weights[9] = 64;
    expect(() => new SynapseRow({ weights })).toThrow('SynapseRow.weights[column 9] = 64 is invalid: expected an integer in 0..63');
    expect(() => new SynapseRow({ timeCalibs: Object.assign(new Array(256).fill(0), { 200: 4 }) })).toThrow(SynapseRangeError);
    expect(() => new SynapseRow({ labels: Object.assign(new Array(256).fill(0), { 3: 1.5 }) })).toThrow(/labels\[column 3\] = 1.5/);
    expect(() => new SynapseRow({ ampCalibs: new Uint8Array(255) })).toThrow(FieldRangeError);
    expect(() => new SynapseRow({ weights: 'x' as never })).toThrow(FieldRangeError);
    expect(() => new SynapseRow({ weight: new Uint8Array(256) } as never)).toThrow(UnknownFieldError);
    // Values written into the typed arrays directly are checked before encoding.
    const row = new SynapseRow();
    row.ampCalibs[17] = 4;
    expect(() => row.encode()).toThrow('SynapseRow.ampCalibs[column 17] = 4 is invalid: expected an integer in 0..3');
    try {
      row.encode();
    } catch (error) {
      expect(error).toBeInstanceOf(SynapseRangeError);
      expect([(error as SynapseRangeError).row, (error as SynapseRangeError).column]).toEqual([undefined, 17]);
    }
  });
});

describe('SynapseMatrix (one synram)', () => {
  it('contract: every SynapseQuad of the synram in quad order, 32 768 words, read-write', () => {
    expect([SynapseMatrix.wordCount, SynapseMatrix.readable, SynapseMatrix.writable]).toEqual([32768, true, true]);
    for (const synram of SynramOnDLS.all()) {
      const addresses = SynapseMatrix.addresses(synram);
      expect(addresses).toHaveLength(32768);
      for (const quad of [0, 1, 63, 64, 8191, 16383]) {
        const onDLS = new SynapseQuadOnDLS(new SynapseQuadOnSynram(quad), synram);
        expect(addresses.slice(2 * quad, 2 * quad + 2)).toEqual(SynapseQuad.addresses(onDLS));
      }
      expect(new Set(addresses).size).toBe(32768);
    }
  });

  it('pinned: the synapse at (row 5, column 9) of the bottom synram is entry 0 (MSB) of quad column 33 of row 5', () => {
    // §2.7: q = (9 % 2)·32 + ⌊9 / 8⌋ = 33, e = ⌊9 / 2⌋ % 4 = 0; §3.5: entry 0 is the most significant byte.
    const matrix = new SynapseMatrix();
    matrix.weights[5 * 256 + 9] = 0x2a;
    matrix.timeCalibs[5 * 256 + 9] = 3;
    matrix.labels[5 * 256 + 9] = 0x11;
    matrix.ampCalibs[5 * 256 + 9] = 1;
    const words = matrix.encode();
    const quadIndex = 64 * 5 + 33;
    expect(words[2 * quadIndex]).toBe(0xea_00_00_00);
    expect(words[2 * quadIndex + 1]).toBe(0x51_00_00_00);
    expect([...words.keys()].filter((i) => words[i] !== 0)).toEqual([2 * quadIndex, 2 * quadIndex + 1]);
    // Bottom synram quad base 0x03C0_0000 + 0xF_0000; words at + 128·row + q and + 64.
    const addresses = SynapseMatrix.addresses(SynramOnDLS.bottom);
    expect(addresses[2 * quadIndex]).toBe(0x03cf_0000 + 128 * 5 + 33);
    expect(addresses[2 * quadIndex + 1]).toBe(0x03cf_0000 + 128 * 5 + 33 + 64);
    const back = SynapseMatrix.decode(words);
    expect([back.weights[5 * 256 + 9], back.labels[5 * 256 + 9], back.timeCalibs[5 * 256 + 9], back.ampCalibs[5 * 256 + 9]]).toEqual([0x2a, 0x11, 3, 1]);
  });

  it('round trips through words (50 seeded runs) and agrees row by row with SynapseRow', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
        const matrix = new SynapseMatrix(randomSynapses(seed, 65536));
        roundTrips(matrix, false);
        const words = matrix.encode();
        for (const r of [0, 1, 128, 255]) {
          const row = matrix.getRow(new SynapseRowOnSynram(r));
          expect([...words.subarray(128 * r, 128 * r + 128)]).toEqual([...row.encode()]);
        }
      }),
      { numRuns: 50, seed: 352 },
    );
  });

  it('round trips through JSON and msgpack (5 seeded runs)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => roundTrips(new SynapseMatrix(randomSynapses(seed, 65536)))),
      { numRuns: 5, seed: 354 },
    );
  });

  it('getRow / setRow copy one row', () => {
    const matrix = new SynapseMatrix();
    const row = new SynapseRow(randomSynapses(7, 256));
    matrix.setRow(new SynapseRowOnSynram(200), row);
    expect(matrix.getRow(new SynapseRowOnSynram(200)).equals(row)).toBe(true);
    expect(matrix.getRow(new SynapseRowOnSynram(199)).equals(SynapseRow.defaults())).toBe(true);
    expect(matrix.weights.subarray(200 * 256, 201 * 256)).toEqual(row.weights);
  });

  it('validates every element, naming row and column', () => {
    const labels = new Uint8Array(65536);
    labels[5 * 256 + 9] = 64;
    expect(() => new SynapseMatrix({ labels })).toThrow('SynapseMatrix.labels[row 5, column 9] = 64 is invalid: expected an integer in 0..63');
    const matrix = new SynapseMatrix();
    matrix.timeCalibs[255 * 256 + 255] = 7;
    expect(() => matrix.encode()).toThrow('SynapseMatrix.timeCalibs[row 255, column 255] = 7');
    expect(() => JSON.stringify(matrix)).toThrow(SynapseRangeError);
    expect(() => new SynapseMatrix({ weights: new Uint8Array(256) })).toThrow(FieldRangeError);
    expect(() => SynapseMatrix.decode(new Uint32Array(128))).toThrow(/expected 32768 words/);
    expect(() => SynapseMatrix.fromJSON({ type: 'SynapseMatrix', weights: 3 })).toThrow(/must be an array/);
  });
});

describe('SynapseWeightMatrix (weights through the weight window)', () => {
  it('contract: one SynapseWeightQuad word per quad, 16 384 words', () => {
    expect([SynapseWeightMatrix.wordCount, SynapseWeightMatrix.readable, SynapseWeightMatrix.writable]).toEqual([16384, true, true]);
    const addresses = SynapseWeightMatrix.addresses(SynramOnDLS.top);
    for (const quad of [0, 33, 16383]) {
      expect([addresses[quad]]).toEqual(SynapseWeightQuad.addresses(new SynapseQuadOnDLS(new SynapseQuadOnSynram(quad), SynramOnDLS.top)));
    }
  });

  it('round trips (50 seeded runs) and holds the same weights as a SynapseMatrix', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
        const { weights } = randomSynapses(seed, 65536);
        const matrix = new SynapseWeightMatrix({ weights });
        roundTrips(matrix, seed % 10 === 0);
        const words = matrix.encode();
        const full = new SynapseMatrix({ weights }).encode();
        for (const quad of [0, 353, 16383]) expect(words[quad]).toBe(full[2 * quad]);
      }),
      { numRuns: 50, seed: 353 },
    );
    expect(() => new SynapseWeightMatrix({ labels: new Uint8Array(65536) } as never)).toThrow(UnknownFieldError);
  });
});
