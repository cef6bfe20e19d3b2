import {
  BlockPostPulseOnDLS,
  CommonNeuronBackendConfigOnDLS,
  NeuronBackendConfigOnDLS,
  NeuronResetOnDLS,
  NeuronResetQuadOnDLS,
  SpikeCounterReadOnDLS,
  SpikeCounterResetOnDLS,
  omnibusAddresses,
  omnibusLayout,
} from '@bss2/halco';
import { describe, expect, it } from 'vitest';
import {
  BlockPostPulse,
  CommonNeuronBackendConfig,
  NeuronBackendConfig,
  NeuronReset,
  NeuronResetQuad,
  SpikeCounterRead,
  SpikeCounterReset,
  UnknownFieldError,
  containerTypes,
  triggerWord,
} from '../src/index.js';
import { type RegisterType, checkAddressCounts, checkRejectsInvalid, checkRoundTrips } from './neuron-support.js';

const asType = (t: unknown) => t as RegisterType;

describe('NeuronBackendConfig', () => {
  const type = asType(NeuronBackendConfig);

  it('has 4 words, is read-write (readable in our simulator, leaf-containers.md note)', () => {
    expect([NeuronBackendConfig.wordCount, NeuronBackendConfig.readable, NeuronBackendConfig.writable]).toEqual([4, true, true]);
    expect(NeuronBackendConfig.coordinateType).toBe(NeuronBackendConfigOnDLS);
    expect(omnibusLayout.NeuronBackendConfig).toMatchObject({ wordCount: 4, access: 'rw' });
  });

  it('resets to zero except en_bayesian_extension (§3.4)', () => {
    const d = NeuronBackendConfig.defaults();
    expect(d.enBayesianExtension).toBe(true);
    expect(Object.entries(d.values()).filter(([, v]) => v !== false && v !== 0)).toEqual([['enBayesianExtension', true]]);
    expect([...d.encode()]).toEqual([0, 0, 0x80, 0]);
  });

  it('splits address_out 6 + 2, reset_holdoff 2 + 2 and refractory_time 4 + 4 over the 8-bit words', () => {
    const none = { enBayesianExtension: false };
    expect([...new NeuronBackendConfig({ ...none, addressOut: 0xff }).encode()]).toEqual([0x3f, 0x03, 0, 0]);
    expect([...new NeuronBackendConfig({ ...none, addressOut: 0b10_000001 }).encode()]).toEqual([0x01, 0x02, 0, 0]);
    expect([...new NeuronBackendConfig({ ...none, resetHoldoff: 0b1001 }).encode()]).toEqual([0x40, 0x08, 0, 0]);
    expect([...new NeuronBackendConfig({ ...none, refractoryTime: 0xa5 }).encode()]).toEqual([0, 0x50, 0x0a, 0]);
  });

  it('packs the single-bit fields LSB-first in datasheet order (layout choice)', () => {
    const order: ReadonlyArray<readonly [string, number, number]> = [
      ['postOverwrite', 2, 4], ['selectInputClock', 2, 5], ['enAdaptPulse', 2, 6], ['enBayesianExtension', 2, 7],
      ['enNeuronSlave', 3, 0], ['enNeuronMaster', 3, 1], ['connectFireBottom', 3, 2], ['connectFireFromRight', 3, 3],
      ['connectFireToRight', 3, 4], ['enSpikeOut', 3, 5], ['en0Bayesian', 3, 6], ['en1Bayesian', 3, 7],
    ];
    for (const [field, word, bit] of order) {
      const value = field === 'selectInputClock' ? 1 : true;
      const words = [...new NeuronBackendConfig({ enBayesianExtension: false, [field]: value }).encode()];
      const expected = [0, 0, 0, 0];
      expected[word] = 1 << bit;
      expect(words, field).toEqual(expected);
    }
  });

  it('round-trips and rejects out-of-range values for every field', () => {
    checkRoundTrips(type, 0xbac);
    checkRejectsInvalid(type);
    expect(() => new NeuronBackendConfig({ selectInputClock: 2 })).toThrow('NeuronBackendConfig.selectInputClock = 2');
  });

  it('has 4 halco addresses for every neuron', () => {
    checkAddressCounts(type);
    const c = new NeuronBackendConfigOnDLS(300);
    expect(NeuronBackendConfig.addresses(c)).toEqual(omnibusAddresses.NeuronBackendConfig(c));
  });
});

describe('CommonNeuronBackendConfig', () => {
  const type = asType(CommonNeuronBackendConfig);

  it('has 2 words, read-write', () => {
    expect([CommonNeuronBackendConfig.wordCount, CommonNeuronBackendConfig.readable, CommonNeuronBackendConfig.writable]).toEqual([2, true, true]);
    expect(CommonNeuronBackendConfig.coordinateType).toBe(CommonNeuronBackendConfigOnDLS);
    expect(omnibusLayout.CommonNeuronBackendConfig).toMatchObject({ wordCount: 2, access: 'rw' });
  });

  it('resets to the §3.4 values', () => {
    expect(CommonNeuronBackendConfig.defaults().values()).toEqual({
      enEventRegs: true,
      forceReset: false,
      enClocks: true,
      clockScaleSlow: 0,
      clockScaleFast: 0,
      clockScaleAdaptPulse: 0,
      clockScalePostPulse: 0,
      samplePosEdge: [true, true, true, true],
      waitGlobalPostPulse: 1,
      waitSpikeCounterReset: 4,
      waitSpikeCounterRead: 112,
      waitFireNeuron: 4,
    });
    expect([...CommonNeuronBackendConfig.defaults().encode()]).toEqual([0b1111 << 19 | 0b101, 1 | (4 << 8) | (112 << 16) | (4 << 24)].map((w) => w >>> 0));
  });

  it('packs word 0 LSB-first in datasheet order', () => {
    const base = { enEventRegs: false, enClocks: false, samplePosEdge: [false, false, false, false] };
    expect(new CommonNeuronBackendConfig({ ...base, forceReset: true }).encode()[0]).toBe(1 << 1);
    expect(new CommonNeuronBackendConfig({ ...base, clockScaleSlow: 15 }).encode()[0]).toBe(15 << 3);
    expect(new CommonNeuronBackendConfig({ ...base, clockScaleFast: 15 }).encode()[0]).toBe(15 << 7);
    expect(new CommonNeuronBackendConfig({ ...base, clockScaleAdaptPulse: 15 }).encode()[0]).toBe(15 << 11);
    expect(new CommonNeuronBackendConfig({ ...base, clockScalePostPulse: 15 }).encode()[0]).toBe(15 << 15);
    expect(new CommonNeuronBackendConfig({ ...base, samplePosEdge: [false, false, true, false] }).encode()[0]).toBe(1 << 21);
  });

  it('round-trips and rejects out-of-range values for every field', () => {
    checkRoundTrips(type, 0xc0b);
    checkRejectsInvalid(type);
  });

  it('has 2 addresses per half', () => {
    checkAddressCounts(type);
  });
});

describe('trigger registers (NeuronReset, NeuronResetQuad, BlockPostPulse, SpikeCounterReset)', () => {
  const triggers = [
    [NeuronReset, NeuronResetOnDLS],
    [NeuronResetQuad, NeuronResetQuadOnDLS],
    [BlockPostPulse, BlockPostPulseOnDLS],
    [SpikeCounterReset, SpikeCounterResetOnDLS],
  ] as const;

  it('are write-only one-word registers without fields that write the trigger bit', () => {
    expect(triggerWord).toBe(1);
    for (const [Trigger, Coord] of triggers) {
      expect([Trigger.wordCount, Trigger.readable, Trigger.writable]).toEqual([1, false, true]);
      expect(Trigger.coordinateType).toBe(Coord);
      expect(omnibusLayout[Trigger.typeName as 'NeuronReset']).toMatchObject({ wordCount: 1, access: 'w' });
      expect(containerTypes().get(Trigger.typeName)).toBe(Trigger);
      const t = new Trigger();
      expect([...t.encode()]).toEqual([1]);
      expect(Trigger.decode(t.encode()).equals(t)).toBe(true);
      expect(Trigger.fromJSON(JSON.parse(JSON.stringify(t))).equals(t)).toBe(true);
      expect(t.toJSON()).toEqual({ type: Trigger.typeName });
      expect(() => new Trigger({ value: 1 } as never)).toThrow(UnknownFieldError);
      checkAddressCounts(asType(Trigger));
    }
  });

  it('use the halco addresses', () => {
    expect(BlockPostPulse.addresses(new BlockPostPulseOnDLS(1))).toEqual(omnibusAddresses.BlockPostPulse(new BlockPostPulseOnDLS(1)));
    expect(NeuronReset.addresses(new NeuronResetOnDLS(5))).toEqual(omnibusAddresses.NeuronReset(new NeuronResetOnDLS(5)));
  });
});

describe('SpikeCounterRead', () => {
  const type = asType(SpikeCounterRead);

  it('is read-only, count in bits 7..0 and overflow in bit 8', () => {
    expect([SpikeCounterRead.wordCount, SpikeCounterRead.readable, SpikeCounterRead.writable]).toEqual([1, true, false]);
    expect(SpikeCounterRead.coordinateType).toBe(SpikeCounterReadOnDLS);
    expect(omnibusLayout.SpikeCounterRead).toMatchObject({ wordCount: 1, access: 'r' });
    expect(SpikeCounterRead.defaults().values()).toEqual({ count: 0, overflow: false });
    expect(SpikeCounterRead.decode(Uint32Array.of(0x1ff)).values()).toEqual({ count: 255, overflow: true });
    expect(SpikeCounterRead.decode(Uint32Array.of(0x017)).values()).toEqual({ count: 0x17, overflow: false });
    expect([...new SpikeCounterRead({ count: 3, overflow: true }).encode()]).toEqual([0x103]);
  });

  it('round-trips and rejects out-of-range values', () => {
    checkRoundTrips(type, 0x5c);
    checkRejectsInvalid(type);
    checkAddressCounts(type);
  });
});
