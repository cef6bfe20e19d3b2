import { NeuronConfigOnDLS, omnibusAddresses, omnibusLayout } from '@bss2/halco';
import { describe, expect, it } from 'vitest';
import { ContainerDecodeError, NeuronConfig, UnknownFieldError, containerTypes } from '../src/index.js';
import { type RegisterType, checkAddressCounts, checkRejectsInvalid, checkRoundTrips } from './neuron-support.js';

const type = NeuronConfig as unknown as RegisterType;

// hardware.md §3.3, restated independently: [field, datasheet word, bit].
const datasheetBits: ReadonlyArray<readonly [string, number, number]> = [
  ['enResetDeg', 2, 0], ['enResetDiv', 2, 1], ['enResetMul', 2, 2], ['enLeakDeg', 2, 3], ['enLeakDiv', 2, 4],
  ['enLeakMul', 2, 5], ['enStrongFire', 2, 6],
  ['enSyninCobaInh', 3, 1], ['enSyninCobaExc', 3, 2], ['enUnbufAccess', 3, 3], ['enReadoutAmp', 3, 4], ['enReadout', 3, 7],
  ['invertAdaptB', 4, 0], ['invertAdaptA', 4, 1], ['enAdapt', 4, 2], ['enExp', 4, 3], ['enSyninInhSmallCap', 4, 4],
  ['enSyninExcSmallCap', 4, 5], ['enSyninInhHighRes', 4, 6], ['enSyninExcHighRes', 4, 7],
  ['enMemOff', 5, 0],
  ['invertCurrent', 6, 0], ['enFire', 6, 2], ['enThreshComp', 6, 3], ['enSyninInh', 6, 4], ['enSyninExc', 6, 5],
  ['enBypInh', 6, 6], ['enBypExc', 6, 7],
  ['connectSomata', 7, 0], ['connectBottom', 7, 1], ['enCompCond', 7, 2], ['connectMembraneRight', 7, 3],
  ['connectSoma', 7, 4], ['enCompCondMul', 7, 5], ['enCompCondDiv', 7, 6], ['enPause', 7, 7],
];

function onlyBit(datasheetWord: number, bit: number): number[] {
  const words = [0, 0, 0, 0, 0, 0];
  words[datasheetWord - 2] = 1 << bit;
  return words;
}

describe('NeuronConfig', () => {
  it('has the contract shape: 6 words, read-write, registered', () => {
    expect(NeuronConfig.wordCount).toBe(6);
    expect(NeuronConfig.readable).toBe(true);
    expect(NeuronConfig.writable).toBe(true);
    expect(NeuronConfig.coordinateType).toBe(NeuronConfigOnDLS);
    expect(omnibusLayout.NeuronConfig).toMatchObject({ wordCount: 6, access: 'rw' });
    expect(containerTypes().get('NeuronConfig')).toBe(NeuronConfig);
  });

  it('resets to all zero with readout source membrane (§3.3)', () => {
    const d = NeuronConfig.defaults();
    expect([...d.encode()]).toEqual([0, 0, 0, 0, 0, 0]);
    expect(d.readoutSelect).toBe('membrane');
    expect(Object.values(d.values()).filter((v) => v !== false)).toEqual(['membrane', 0]);
  });

  it('places every single-bit field exactly as the datasheet table', () => {
    for (const [field, word, bit] of datasheetBits) {
      expect([...new NeuronConfig({ [field]: true }).encode()], field).toEqual(onlyBit(word, bit));
    }
    // Every boolean field is in the table.
    const booleans = Object.entries(new NeuronConfig().values()).filter(([, v]) => typeof v === 'boolean');
    expect(booleans.map(([k]) => k).sort()).toEqual(datasheetBits.map(([k]) => k).sort());
  });

  it('places readout_select in word 3 bits 5..6 and mem_cap_size in word 5 bits 2..7', () => {
    expect([...new NeuronConfig({ readoutSelect: 'excSynin' }).encode()]).toEqual(onlyBit(3, 5));
    expect([...new NeuronConfig({ readoutSelect: 'inhSynin' }).encode()]).toEqual(onlyBit(3, 6));
    expect(new NeuronConfig({ readoutSelect: 'adaptation' }).encode()[1]).toBe(0b0110_0000);
    expect(new NeuronConfig({ memCapSize: 1 }).encode()[3]).toBe(0b100);
    expect(new NeuronConfig({ memCapSize: 63 }).encode()[3]).toBe(0b1111_1100);
  });

  it('round-trips random contents through words, JSON and msgpack', () => {
    checkRoundTrips(type, 0x3e0);
  });

  it('rejects out-of-range values for every field, in the constructor and the setters', () => {
    checkRejectsInvalid(type);
    expect(() => new NeuronConfig({ memCapSize: 64 })).toThrow('NeuronConfig.memCapSize = 64 is invalid: expected an integer in 0..63');
    expect(() => new NeuronConfig({ enFir: true } as never)).toThrow(UnknownFieldError);
  });

  it('ignores the unused bits on decode and rejects wrong word counts', () => {
    const words = Uint32Array.of(0x80, 0x01, 0, 0x02, 0x02, 0);
    expect(NeuronConfig.decode(words).equals(NeuronConfig.defaults())).toBe(true);
    expect(() => NeuronConfig.decode(new Uint32Array(5))).toThrow(ContainerDecodeError);
  });

  it('has 6 addresses for every coordinate, from halco', () => {
    checkAddressCounts(type);
    const c = new NeuronConfigOnDLS(130);
    expect(NeuronConfig.addresses(c)).toEqual(omnibusAddresses.NeuronConfig(c));
  });
});
