import fc from 'fast-check';
import { Packr } from 'msgpackr';
import { SpikePack1ToChipOnDLS, SpikePack2ToChipOnDLS, SpikePack3ToChipOnDLS } from '@bss2/halco';
import { describe, expect, it } from 'vitest';
import {
  ContainerSerializationError,
  FieldRangeError,
  SpikePack1ToChip,
  SpikePack2ToChip,
  SpikePack3ToChip,
  SpikePackToChip,
  UnknownFieldError,
} from '../src/index.js';

const packr = new Packr({ useRecords: false, moreTypes: false });
const spikeLabel = fc.integer({ min: 0, max: 0xffff });

const packs = [
  ['SpikePack1ToChip', SpikePack1ToChip, 1, SpikePack1ToChipOnDLS],
  ['SpikePack2ToChip', SpikePack2ToChip, 2, SpikePack2ToChipOnDLS],
  ['SpikePack3ToChip', SpikePack3ToChip, 3, SpikePack3ToChipOnDLS],
] as const;

describe.each(packs)('%s', (_name, Pack, size, coordinateType) => {
  it(`holds ${size} 16-bit spike labels at its coordinate, default all 0`, () => {
    expect(Pack.size).toBe(size);
    expect(Pack.coordinateType).toBe(coordinateType);
    expect(Pack.typeName).toBe(`SpikePack${size}ToChip`);
    const pack = new Pack();
    expect(pack.labels).toEqual(new Array(size).fill(0));
    expect(pack).toBeInstanceOf(SpikePackToChip);
    expect(pack.typeName).toBe(Pack.typeName);
  });

  it('round-trips through JSON and msgpack', () => {
    fc.assert(
      fc.property(fc.array(spikeLabel, { minLength: size, maxLength: size }), (labels) => {
        const pack = new Pack(labels);
        const viaJSON = Pack.fromJSON(JSON.parse(JSON.stringify(pack)));
        const viaMsgpack = Pack.fromJSON(packr.unpack(packr.pack(pack.toJSON())));
        return viaJSON.equals(pack) && viaMsgpack.equals(pack) && viaJSON.labels.every((l, i) => l === labels[i]);
      }),
      { numRuns: 1000, seed: 800 + size },
    );
  });

  it('rejects wrong counts and labels outside 16 bits', () => {
    const labels = new Array<number>(size).fill(1);
    expect(() => new Pack([...labels, 1])).toThrow(FieldRangeError);
    expect(() => new Pack(labels.slice(1))).toThrow(FieldRangeError);
    for (const bad of [-1, 0x1_0000, 0.5, '1', null]) {
      expect(() => new Pack([...labels.slice(1), bad as number])).toThrow(FieldRangeError);
    }
    expect(() => Pack.fromJSON({ type: 'SpikePack9ToChip', labels })).toThrow(ContainerSerializationError);
    expect(() => Pack.fromJSON({ type: Pack.typeName, labels, time: 3 })).toThrow(UnknownFieldError);
    expect(() => Pack.fromJSON({ type: Pack.typeName, labels: 'x' })).toThrow(FieldRangeError);
  });

  it('is immutable', () => {
    const pack = new Pack(new Array<number>(size).fill(5));
    expect(() => {
      (pack.labels as number[])[0] = 6;
    }).toThrow(TypeError);
  });
});

it('packs of different sizes never compare equal', () => {
  expect(new SpikePack1ToChip([1]).equals(new SpikePack2ToChip([1, 1]))).toBe(false);
  expect(new SpikePack2ToChip([1, 2]).equals(new SpikePack2ToChip([1, 2]))).toBe(true);
  expect(String(new SpikePack2ToChip([0x12, 0xc0de]))).toBe('SpikePack2ToChip(0x0012, 0xc0de)');
});
