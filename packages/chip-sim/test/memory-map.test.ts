import { type OmnibusContainerName, omnibusAddresses, omnibusAddressesOf, omnibusAliasWindows, omnibusLayout } from '@bss2/halco';
import { containerTypes } from '@bss2/lola';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Storage, memoryMap } from '../src/index.js';
import { SEED } from './helpers.js';

const names = Object.keys(omnibusAddresses) as OmnibusContainerName[];
/** Enumerated completely; the DRAM's 2^28 bytes are sampled. */
const SAMPLED = new Set<OmnibusContainerName>(['ExternalPPUDRAMMemoryByte']);

describe('memory map', () => {
  const map = memoryMap();

  it('resolves every address halco defines to its container, unit and word', () => {
    let words = 0;
    for (const name of names) {
      if (SAMPLED.has(name)) continue;
      const { coordinate: type, wordCount } = omnibusLayout[name];
      for (let v = type.min; v <= type.max; v++) {
        const addresses = omnibusAddressesOf(name, new type(v));
        for (let w = 0; w < addresses.length; w++) {
          const hit = map.lookup(addresses[w]!);
          if (hit?.container.name !== name || hit.slot !== (v - type.min) * wordCount + w) {
            expect.fail(`${name}(${v}) word ${w} at 0x${addresses[w]!.toString(16)} resolves to ${hit?.container.name}:${hit?.slot}`);
          }
          words++;
        }
      }
    }
    expect(words).toBeGreaterThan(500_000);
  });

  it('resolves sampled DRAM bytes and nothing around the mapped units', () => {
    const dram = omnibusLayout.ExternalPPUDRAMMemoryByte.coordinate;
    fc.assert(
      fc.property(fc.integer({ min: dram.min, max: dram.max }), (v) => {
        const [address] = omnibusAddressesOf('ExternalPPUDRAMMemoryByte', new dram(v));
        const hit = map.lookup(address!);
        expect(hit?.container.name).toBe('ExternalPPUDRAMMemoryByte');
        expect(hit?.slot).toBe(v - dram.min);
      }),
      { numRuns: 1000, seed: SEED },
    );
    // Addresses below, between and above: 0, the PLL and PHY space, just past the top synram window.
    for (const address of [0, 0x04_0000, 0x08_0000, 0x0fff_ffff, 0xffff_ffff]) expect(map.lookup(address)).toBeUndefined();
  });

  it('takes access and word count from halco and agrees with lola', () => {
    for (const c of map.containers) {
      const type = containerTypes().get(c.name)!;
      expect(c.wordCount, c.name).toBe(omnibusLayout[c.name].wordCount);
      expect(c.readable, c.name).toBe(type.readable);
      expect(c.writable, c.name).toBe(type.writable);
    }
  });

  it('stores the synapse array once and everything beyond 2^20 words sparsely', () => {
    const synapse = map.containers.filter((c) => c.storage === Storage.synapse).map((c) => c.name).sort();
    expect(synapse).toEqual([...new Set(omnibusAliasWindows.flatMap((a) => [a.window, a.of]))].sort());
    expect(map.containers.filter((c) => c.storage === Storage.sparse).map((c) => c.name)).toEqual(['ExternalPPUDRAMMemoryByte']);
  });

  it('has reset values = lola defaults and keeps exactly the bits lola fields define', () => {
    for (const c of map.containers.filter((x) => x.storage === Storage.register)) {
      const defaults = containerTypes().get(c.name)!.defaults().encode();
      for (const unit of [0, c.units - 1]) {
        const at = c.offset + unit * c.wordCount;
        expect([...map.resetImage.subarray(at, at + c.wordCount)], c.name).toEqual([...defaults]);
        expect([...map.maskImage.subarray(at, at + c.wordCount)], c.name).toEqual([...c.masks]);
      }
    }
    expect([...map.container('CapMemCell').masks]).toEqual([0x3ff]);
    expect([...map.container('NeuronReset').masks]).toEqual([0]);
  });

  it('puts FPGA-side units (address bit 31) after the chip-side ones in the register file', () => {
    for (const c of map.containers.filter((x) => x.storage === Storage.register)) {
      expect(c.offset < map.chipRegisterWords, c.name).toBe(!c.fpgaSide);
    }
    expect(map.container('Timer').fpgaSide).toBe(true);
    expect(map.container('NeuronConfig').fpgaSide).toBe(false);
  });

  it('is built once per process', () => {
    expect(memoryMap()).toBe(map);
  });
});
