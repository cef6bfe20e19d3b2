import fc from 'fast-check';
import {
  CrossbarInputOnDLS,
  CrossbarNodeOnDLS,
  CrossbarOutputConfigOnDLS,
  CrossbarOutputOnDLS,
} from '@bss2/halco';
import { describe, expect, it } from 'vitest';
import {
  CrossbarInputDropCounter,
  CrossbarNode,
  CrossbarOutputConfig,
  CrossbarOutputEventCounter,
  FieldRangeError,
} from '../src/index.js';
import { checkIOLeaf, sampleCoords } from './io-leaf-checks.js';

const label = fc.integer({ min: 0, max: 0x3fff });

describe('CrossbarNode', () => {
  checkIOLeaf(CrossbarNode, { wordCount: 1, access: 'rw', coords: sampleCoords(CrossbarNodeOnDLS, 76), seed: 101 });

  it('resets to mask 0, target 0, drop counter off', () => {
    const node = new CrossbarNode();
    expect(node.values()).toEqual({ mask: 0, target: 0, enableDropCounter: false });
    expect(node.encode()).toEqual(new Uint32Array([0]));
    expect(CrossbarNode.passAll.equals(node)).toBe(true);
  });

  it('in its reset state passes every label; "drop" passes none (hardware.md §2.5)', () => {
    const passAll = CrossbarNode.passAll;
    const drop = CrossbarNode.drop;
    let passed = 0;
    let dropped = 0;
    for (let l = 0; l <= 0x3fff; l++) {
      if (passAll.forwards(l)) passed++;
      if (!drop.forwards(l)) dropped++;
    }
    expect(passed).toBe(0x4000);
    expect(dropped).toBe(0x4000);
    expect(CrossbarNode.drop.values()).toEqual({ mask: 0, target: 1, enableDropCounter: false });
  });

  it('forwards(label) is (label & mask) == target', () => {
    fc.assert(
      fc.property(label, label, label, (mask, target, l) => new CrossbarNode({ mask, target }).forwards(l) === ((l & mask) === target)),
      { numRuns: 1000, seed: 102 },
    );
    // Targets reachable under the mask, so that both outcomes occur often.
    fc.assert(
      fc.property(label, label, label, (mask, other, l) => {
        const target = other & mask;
        return new CrossbarNode({ mask, target }).forwards(l) === ((l & mask) === target);
      }),
      { numRuns: 1000, seed: 106 },
    );
  });

  it('forwards exactly the labels whose masked bits equal the target', () => {
    // Mask the 3 neuron-event-output bits 10..8 (§2.4): the node forwards one output's 256 labels.
    const node = new CrossbarNode({ mask: 0x700, target: 0x300 });
    let forwarded = 0;
    for (let l = 0; l <= 0x3fff; l++) if (node.forwards(l)) forwarded++;
    expect(forwarded).toBe(0x4000 / 8);
    expect(node.forwards(0x3ab)).toBe(true);
    expect(node.forwards(0x2ab)).toBe(false);
  });

  it('refuses labels outside 14 bits', () => {
    for (const bad of [-1, 0x4000, 1.5, Number.NaN]) expect(() => new CrossbarNode().forwards(bad)).toThrow(FieldRangeError);
  });

  it('places mask, target and drop counter enable as upstream', () => {
    const node = new CrossbarNode({ mask: 0x3fff, target: 0x2001, enableDropCounter: true });
    expect(node.encode()[0]).toBe((0x3fff | (0x2001 << 16) | (1 << 31)) >>> 0);
  });

  it('presets are fresh instances, so changing one does not change the preset', () => {
    const drop = CrossbarNode.drop;
    drop.target = 0;
    expect(CrossbarNode.drop.target).toBe(1);
  });
});

describe('CrossbarOutputConfig', () => {
  checkIOLeaf(CrossbarOutputConfig, {
    wordCount: 1,
    access: 'rw',
    coords: sampleCoords(CrossbarOutputConfigOnDLS),
    seed: 103,
  });

  it('resets to everything off', () => {
    const config = new CrossbarOutputConfig();
    expect(config.enableSlow).toEqual([false, false, false, false]);
    expect(config.enableEventCounter).toEqual(new Array(12).fill(false));
    expect(config.encode()[0]).toBe(0);
  });

  it('puts enable_slow in bits 3..0 and enable_event_counter in bits 15..4', () => {
    const slow = new CrossbarOutputConfig({ enableSlow: [false, false, false, true] });
    expect(slow.encode()[0]).toBe(1 << 3);
    const counters = new Array<boolean>(12).fill(false);
    counters[11] = true;
    expect(new CrossbarOutputConfig({ enableEventCounter: counters }).encode()[0]).toBe(1 << 15);
  });
});

describe('crossbar counters', () => {
  checkIOLeaf(CrossbarInputDropCounter, { wordCount: 1, access: 'r', coords: sampleCoords(CrossbarInputOnDLS), seed: 104 });
  checkIOLeaf(CrossbarOutputEventCounter, { wordCount: 1, access: 'r', coords: sampleCoords(CrossbarOutputOnDLS), seed: 105 });

  it('hold 16 and 24 bits, reset 0, and ignore the bits above on decode', () => {
    expect(new CrossbarInputDropCounter().value).toBe(0);
    expect(new CrossbarOutputEventCounter().value).toBe(0);
    expect(CrossbarInputDropCounter.decode(new Uint32Array([0xdead_beef])).value).toBe(0xbeef);
    expect(CrossbarOutputEventCounter.decode(new Uint32Array([0xdead_beef])).value).toBe(0xad_beef);
    expect(() => new CrossbarInputDropCounter({ value: 0x1_0000 })).toThrow(FieldRangeError);
    expect(() => new CrossbarOutputEventCounter({ value: 0x100_0000 })).toThrow(FieldRangeError);
  });
});
