import { describe, expect, it } from 'vitest';
import {
  AtomicNeuronOnDLS,
  CoordinateParseError,
  CoordinateRangeError,
  CoordinateTypeError,
  NeuronColumnOnDLS,
  NeuronRowOnDLS,
  parseCoordinate,
} from '../src/index.js';

describe('coordinate machinery', () => {
  it('rejects out-of-range values with a message naming type, value and range', () => {
    expect(() => new NeuronColumnOnDLS(256)).toThrow(CoordinateRangeError);
    expect(() => new NeuronColumnOnDLS(256)).toThrow('NeuronColumnOnDLS(256) is out of range 0..255');
    expect(() => new NeuronColumnOnDLS(-1)).toThrow(RangeError);
    expect(() => new NeuronColumnOnDLS(1.5)).toThrow(CoordinateRangeError);
    expect(() => new NeuronColumnOnDLS(Number.NaN)).toThrow(CoordinateRangeError);
  });

  it('builds grids row-major from parts and splits them again', () => {
    const n = new AtomicNeuronOnDLS(new NeuronColumnOnDLS(3), NeuronRowOnDLS.bottom);
    expect(n.value).toBe(259);
    expect(n.toNeuronColumnOnDLS().equals(new NeuronColumnOnDLS(3))).toBe(true);
    expect(n.toNeuronRowOnDLS().value).toBe(1);
  });

  it('refuses parts of the wrong type', () => {
    const row = NeuronRowOnDLS.top as unknown as NeuronColumnOnDLS;
    expect(() => new AtomicNeuronOnDLS(row, NeuronRowOnDLS.top)).toThrow(CoordinateTypeError);
  });

  it('never equates coordinates of different types', () => {
    expect(new NeuronRowOnDLS(1).equals(new NeuronColumnOnDLS(1))).toBe(false);
    expect(new NeuronColumnOnDLS(1).equals(new NeuronColumnOnDLS(1))).toBe(true);
  });

  it('prints, serialises and parses', () => {
    const n = new AtomicNeuronOnDLS(300);
    expect(n.toString()).toBe('AtomicNeuronOnDLS(300)');
    expect(JSON.stringify({ n })).toBe('{"n":"AtomicNeuronOnDLS(300)"}');
    expect(AtomicNeuronOnDLS.parse('AtomicNeuronOnDLS(300)').equals(n)).toBe(true);
    expect(AtomicNeuronOnDLS.fromJSON(300).equals(n)).toBe(true);
    expect(parseCoordinate('AtomicNeuronOnDLS(300)').equals(n)).toBe(true);
    expect(() => AtomicNeuronOnDLS.parse('NeuronColumnOnDLS(3)')).toThrow(CoordinateParseError);
    expect(() => AtomicNeuronOnDLS.parse('AtomicNeuronOnDLS(3')).toThrow(CoordinateParseError);
    expect(() => parseCoordinate('Nope(3)')).toThrow(CoordinateParseError);
    expect(() => AtomicNeuronOnDLS.parse('AtomicNeuronOnDLS(512)')).toThrow(CoordinateRangeError);
  });

  it('iterates all values in enum order', () => {
    const all = [...AtomicNeuronOnDLS.all()];
    expect(all).toHaveLength(512);
    expect(all.map((c) => c.value)).toEqual([...Array(512).keys()]);
    expect(all[0]).toBeInstanceOf(AtomicNeuronOnDLS);
  });
});

describe('single-valued types', () => {
  it('construct without a value, and only with their one value', async () => {
    const { TimerOnDLS, MADCConfigOnDLS } = await import('../src/index.js');
    expect(new TimerOnDLS().equals(new TimerOnDLS(0))).toBe(true);
    expect(new MADCConfigOnDLS().value).toBe(0);
    expect(() => new TimerOnDLS(1)).toThrow(CoordinateRangeError);
    expect(() => new NeuronColumnOnDLS(undefined as unknown as number)).toThrow(CoordinateRangeError);
  });
});
