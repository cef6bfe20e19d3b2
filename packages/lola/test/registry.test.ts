// Every registered container, leaf or composite, against the generic contract and halco's omnibus layout.
import { Coordinate, omnibusLayout, type CoordinateType, type OmnibusContainerName } from '@bss2/halco';
import { describe, expect, it } from 'vitest';
import { containerFromJSON, containerFromMsgpack, containerToMsgpack, containerTypes } from '../src/index.js';

const types = [...containerTypes().values()];
// Memory blocks size themselves by their coordinate (a range); their wordCount is the largest block.
const variableSize = new Set(['PPUMemoryBlock', 'ExternalPPUMemoryBlock']);

function sampleCoordinates(type: CoordinateType): Coordinate[] {
  // Range coordinates are sparse (not every enum value is a range that fits): take the first ones in order.
  if (!isDense(type)) return [...firstOf((type as unknown as typeof Coordinate).all.call(type), 3)];
  const picks = new Set([type.min, type.max, Math.floor((type.min + type.max) / 2)]);
  return [...picks].map((v) => new type(v));
}

function isDense(type: CoordinateType): boolean {
  try {
    new type(type.max);
    return true;
  } catch {
    return false;
  }
}

function* firstOf<T>(items: Iterable<T>, count: number): Iterable<T> {
  let taken = 0;
  for (const item of items) {
    if (taken++ === count) return;
    yield item;
  }
}

describe('container registry', () => {
  it('holds every container of hardware.md §3 that has an omnibus address', () => {
    for (const name of Object.keys(omnibusLayout)) expect(containerTypes().has(name), name).toBe(true);
    expect(types.length).toBeGreaterThanOrEqual(Object.keys(omnibusLayout).length + 8);
  });

  it.each(types.map((t) => [t.typeName, t] as const))('%s: defaults round-trip through words, JSON and msgpack', (_name, type) => {
    const reset = type.defaults();
    expect(reset.containerType).toBe(type);
    expect(type.decode(reset.encode()).equals(reset)).toBe(true);
    expect(containerFromJSON(JSON.parse(JSON.stringify(reset))).equals(reset)).toBe(true);
    expect(containerFromMsgpack(containerToMsgpack(reset)).equals(reset)).toBe(true);
    if (!variableSize.has(type.typeName)) expect(reset.encode()).toHaveLength(type.wordCount);
  });

  it.each(types.map((t) => [t.typeName, t] as const))('%s: addresses agree with its word count and halco', (name, type) => {
    for (const coord of sampleCoordinates(type.coordinateType)) {
      const addresses = type.addresses(coord);
      if (!variableSize.has(name)) expect(addresses).toHaveLength(type.wordCount);
      expect(new Set(addresses).size).toBe(addresses.length);
      for (const a of addresses) expect(Number.isInteger(a) && a >= 0 && a < 2 ** 32).toBe(true);
    }
    const layout = omnibusLayout[name as OmnibusContainerName];
    if (layout !== undefined) {
      expect(type.coordinateType).toBe(layout.coordinate);
      expect(type.wordCount).toBe(layout.wordCount);
      expect(type.readable).toBe(layout.access.includes('r'));
      expect(type.writable).toBe(layout.access.includes('w'));
    }
  });
});
