import {
  CapMemBlockConfigOnDLS,
  CapMemBlockOnDLS,
  CapMemCellOnCapMemBlock,
  CapMemCellOnDLS,
  ReferenceGeneratorConfigOnDLS,
  omnibusAddresses,
  omnibusLayout,
} from '@bss2/halco';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CapMemBlock,
  CapMemBlockConfig,
  CapMemCell,
  ContainerDecodeError,
  ContainerSerializationError,
  FieldRangeError,
  ReferenceGeneratorConfig,
  UnknownFieldError,
  containerFromJSON,
  containerFromMsgpack,
  containerToMsgpack,
  containerTypes,
} from '../src/index.js';
import { type RegisterType, slowPropertyTimeout_ms, checkAddressCounts, checkRejectsInvalid, checkRoundTrips, numRuns } from './neuron-support.js';

const asType = (t: unknown) => t as RegisterType;

describe('CapMemCell', () => {
  it('is one read-write word at halco CapMemCellOnDLS', () => {
    expect([CapMemCell.wordCount, CapMemCell.readable, CapMemCell.writable]).toEqual([1, true, true]);
    expect(CapMemCell.coordinateType).toBe(CapMemCellOnDLS);
    expect(omnibusLayout.CapMemCell).toMatchObject({ wordCount: 1, access: 'rw' });
    expect(containerTypes().get('CapMemCell')).toBe(CapMemCell);
  });

  it('holds 0..1022 or the disableRefresh sentinel, encoded as code 1023', () => {
    expect(CapMemCell.defaults().value).toBe(0);
    expect([...new CapMemCell({ value: 1022 }).encode()]).toEqual([1022]);
    const off = new CapMemCell({ value: CapMemCell.disableRefresh });
    expect(off.value).toBe('disableRefresh');
    expect([...off.encode()]).toEqual([1023]);
    expect(CapMemCell.decode(Uint32Array.of(1023)).value).toBe(CapMemCell.disableRefresh);
    expect(CapMemCell.decode(Uint32Array.of(700)).value).toBe(700);
    expect(JSON.stringify(off)).toBe('{"type":"CapMemCell","value":"disableRefresh"}');
    const c = new CapMemCell();
    c.value = CapMemCell.disableRefresh;
    c.value = 5;
    expect(c.value).toBe(5);
  });

  it('rejects 1023 as a number and everything else out of range', () => {
    expect(() => new CapMemCell({ value: 1023 })).toThrow(
      "CapMemCell.value = 1023 is invalid: expected an integer in 0..1022 or CapMemCell.disableRefresh ('disableRefresh')",
    );
    expect(() => new CapMemCell({ value: 'DisableRefresh' as never })).toThrow(FieldRangeError);
    checkRejectsInvalid(asType(CapMemCell));
  });

  it('round-trips every code', () => {
    checkRoundTrips(asType(CapMemCell), 0xca9);
    for (let code = 0; code < 1024; code++) expect(CapMemCell.decode(Uint32Array.of(code)).encode()[0]).toBe(code);
  });

  it('sits at blockBase + 32·column + row (halco)', () => {
    checkAddressCounts(asType(CapMemCell), 7);
    const cell = new CapMemCellOnDLS(CapMemCellOnCapMemBlock.at(2, 0), new CapMemBlockOnDLS(3));
    expect(CapMemCell.addresses(cell)).toEqual(omnibusAddresses.CapMemCell(cell));
    expect(CapMemCell.addresses(cell)).toEqual([0x15_8000 + 32 * 2]);
  });
});

describe('CapMemBlockConfig', () => {
  const type = asType(CapMemBlockConfig);

  it('is 10 read-write words per block', () => {
    expect([CapMemBlockConfig.wordCount, CapMemBlockConfig.readable, CapMemBlockConfig.writable]).toEqual([10, true, true]);
    expect(CapMemBlockConfig.coordinateType).toBe(CapMemBlockConfigOnDLS);
    expect(omnibusLayout.CapMemBlockConfig).toMatchObject({ wordCount: 10, access: 'rw' });
    checkAddressCounts(type);
  });

  it('resets to the upstream defaults (hardware.md gives none)', () => {
    expect(CapMemBlockConfig.defaults().values()).toEqual({
      enableCapmem: true,
      debugReadoutEnable: false,
      debugCapmemRow: 0,
      debugCapmemColumn: 0,
      debugVRefSelect: 'disabled',
      debugIOutSelect: 'disabled',
      debugOutAmpBias: 7,
      debugSourceFollowerBias: 3,
      debugLevelShifterBias: 3,
      vGlobalBias: 7,
      currentCellRes: 8,
      boostFactor: 0,
      enableBoost: false,
      enableAutoboost: false,
      prescalePause: 3,
      prescaleRamp: 3,
      subCounter: 16,
      pauseCounter: 8096,
      pulseA: 4,
      pulseB: 7,
      boostA: 0,
      boostB: 0,
    });
    expect([...CapMemBlockConfig.defaults().encode()]).toEqual([0, 0, 0, 0x7337, 8, 0, (3 << 24) | (3 << 20) | (1 << 16) | 16, (4 << 16) | 7, 0, 8096]);
  });

  it('stores the §3.8 widths: 4-bit biases, 6-bit cell resistance, prescalers 0..6, 16/32-bit timing', () => {
    expect(() => new CapMemBlockConfig({ vGlobalBias: 16 })).toThrow(FieldRangeError);
    expect(() => new CapMemBlockConfig({ currentCellRes: 64 })).toThrow(FieldRangeError);
    expect(() => new CapMemBlockConfig({ prescalePause: 7 })).toThrow('expected an integer in 0..6');
    expect(() => new CapMemBlockConfig({ debugCapmemColumn: 130 })).toThrow(FieldRangeError);
    expect(() => new CapMemBlockConfig({ debugCapmemRow: 24 })).toThrow(FieldRangeError);
    const max = new CapMemBlockConfig({ pauseCounter: 0xffffffff, subCounter: 0xffff, pulseA: 0xffff, boostB: 0xffff });
    expect(CapMemBlockConfig.decode(max.encode()).equals(max)).toBe(true);
    expect(max.encode()[9]).toBe(0xffffffff);
    expect(() => CapMemBlockConfig.decode(Uint32Array.of(0, 0, 3, 0, 0, 0, 0, 0, 0, 0))).toThrow(ContainerDecodeError);
  });

  it('round-trips and rejects out-of-range values for every field', () => {
    checkRoundTrips(type, 0xcb0);
    checkRejectsInvalid(type);
  });
});

describe('ReferenceGeneratorConfig', () => {
  const type = asType(ReferenceGeneratorConfig);

  it('is 4 read-write words at the single coordinate', () => {
    expect([ReferenceGeneratorConfig.wordCount, ReferenceGeneratorConfig.readable, ReferenceGeneratorConfig.writable]).toEqual([4, true, true]);
    expect(ReferenceGeneratorConfig.coordinateType).toBe(ReferenceGeneratorConfigOnDLS);
    expect(omnibusLayout.ReferenceGeneratorConfig).toMatchObject({ wordCount: 4, access: 'rw' });
    checkAddressCounts(type);
  });

  it('resets to the upstream defaults and packs one group per word', () => {
    expect(ReferenceGeneratorConfig.defaults().values()).toEqual({
      enableInternalReference: true,
      enableReferenceOutput: false,
      enableReferenceInput: false,
      enableReset: false,
      capmemAmplifier: 60,
      capmemOffset: 0,
      capmemSlope: 5,
      referenceControl: 10,
      resistorControl: 40,
    });
    expect([...ReferenceGeneratorConfig.defaults().encode()]).toEqual([1, 60, 5 | (10 << 6), 40]);
    expect([...new ReferenceGeneratorConfig({ enableInternalReference: false, enableReset: true, capmemAmplifier: 0, capmemOffset: 63, capmemSlope: 0, referenceControl: 0, resistorControl: 0 }).encode()]).toEqual([8, 63 << 6, 0, 0]);
  });

  it('round-trips and rejects out-of-range values for every field', () => {
    checkRoundTrips(type, 0x4ef);
    checkRejectsInvalid(type);
  });
});

describe('CapMemBlock', () => {
  const arbitraryBlock = fc
    .array(fc.tuple(fc.integer({ min: 0, max: 3119 }), fc.oneof(fc.integer({ min: 0, max: 1022 }), fc.constant(CapMemCell.disableRefresh))), { maxLength: 40 })
    .map((changes) => {
      const block = new CapMemBlock();
      for (const [cell, value] of changes) block.set(new CapMemCellOnCapMemBlock(cell), value);
      return block;
    });

  it('is a composite of the 3120 cells of one block', () => {
    expect([CapMemBlock.wordCount, CapMemBlock.readable, CapMemBlock.writable]).toEqual([3120, true, true]);
    expect(CapMemBlock.coordinateType).toBe(CapMemBlockOnDLS);
    expect(containerTypes().get('CapMemBlock')).toBe(CapMemBlock);
    for (const block of CapMemBlockOnDLS.all()) {
      const addresses = CapMemBlock.addresses(block);
      expect(addresses).toHaveLength(3120);
      expect(new Set(addresses).size).toBe(3120);
      const cell = CapMemCellOnCapMemBlock.at(129, 23);
      expect(addresses[cell.value]).toBe(CapMemCell.addresses(new CapMemCellOnDLS(cell, block))[0]);
    }
  });

  it('resets every cell to 0', () => {
    const block = CapMemBlock.defaults();
    expect(block.values().every((v) => v === 0)).toBe(true);
    expect(block.encode().every((w) => w === 0)).toBe(true);
  });

  it('gets and sets cells by CapMemCellOnCapMemBlock, validating the value', () => {
    const block = new CapMemBlock();
    const dac = CapMemCellOnCapMemBlock.synIBiasDac;
    block.set(dac, 1022);
    block.set(CapMemCellOnCapMemBlock.at(0, 0), CapMemCell.disableRefresh);
    expect(block.get(dac)).toBe(1022);
    expect(block.get(CapMemCellOnCapMemBlock.at(0, 0))).toBe('disableRefresh');
    expect(block.encode()[dac.value]).toBe(1022);
    expect(block.encode()[0]).toBe(1023);
    for (const bad of [1023, -1, 0.5, 'x', null]) {
      expect(() => block.set(dac, bad as never)).toThrow(FieldRangeError);
    }
    expect(() => block.set(3 as never, 1)).toThrow(FieldRangeError);
    expect(() => block.get(new CapMemCellOnDLS(0) as never)).toThrow(FieldRangeError);
    expect(block.get(dac)).toBe(1022);
  });

  it('round-trips through words, JSON and msgpack', () => {
    fc.assert(
      fc.property(arbitraryBlock, (block) => {
        const viaMsgpack = containerFromMsgpack(containerToMsgpack(block));
        return (
          CapMemBlock.decode(block.encode()).equals(block) &&
          containerFromJSON(JSON.parse(JSON.stringify(block))).equals(block) &&
          viaMsgpack instanceof CapMemBlock &&
          viaMsgpack.equals(block)
        );
      }),
      { numRuns, seed: 0xb10c },
    );
  }, slowPropertyTimeout_ms);

  it('is built from a full value list, and rejects partial or invalid ones', () => {
    const values = Array.from({ length: 3120 }, (_, i) => i % 1023);
    const block = new CapMemBlock(values);
    expect(block.values()).toEqual(values);
    expect(() => new CapMemBlock(values.slice(1))).toThrow(FieldRangeError);
    expect(() => new CapMemBlock([...values.slice(1), 1023])).toThrow('CapMemBlock.cells[3119] = 1023');
    expect(() => CapMemBlock.fromJSON({ type: 'CapMemBlock', cells: values, extra: 1 })).toThrow(UnknownFieldError);
    expect(() => CapMemBlock.fromJSON({ type: 'CapMemCell' })).toThrow(ContainerSerializationError);
    expect(() => CapMemBlock.decode(new Uint32Array(3119))).toThrow(ContainerDecodeError);
  });

  it('visits its cells as CapMemCell leaves in address order', () => {
    const block = new CapMemBlock();
    block.set(CapMemCellOnCapMemBlock.at(5, 7), 321);
    const coord = new CapMemBlockOnDLS(2);
    const leaves = block.toLeaves(coord);
    expect(leaves).toHaveLength(3120);
    expect(leaves.flatMap(([c]) => CapMemCell.addresses(c as CapMemCellOnDLS))).toEqual(CapMemBlock.addresses(coord));
    expect(leaves.map(([, leaf]) => leaf.encode()[0])).toEqual([...block.encode()]);
    const [cellCoord, cell] = leaves[CapMemCellOnCapMemBlock.at(5, 7).value]!;
    expect(cellCoord.equals(new CapMemCellOnDLS(CapMemCellOnCapMemBlock.at(5, 7), coord))).toBe(true);
    expect((cell as CapMemCell).value).toBe(321);
  });
});
