import fc from 'fast-check';
import { CapMemBlockOnDLS, CapMemCellOnCapMemBlock, CapMemCellOnDLS, SynapseBlockOnDLS } from '@bss2/halco';
import { describe, expect, it } from 'vitest';
import {
  CapMemCell,
  FieldRangeError,
  SynapseBlock,
  SynapseMatrix,
  UnknownFieldError,
  containerFromMsgpack,
  containerToMsgpack,
  containerTypes,
} from '../src/index.js';

describe('SynapseBlock (one hemisphere: matrix and weight scale)', () => {
  it('contract: the matrix words, then syn_i_bias_dac (column 128, row 8) of the west and east CapMem block', () => {
    expect([SynapseBlock.wordCount, SynapseBlock.readable, SynapseBlock.writable]).toEqual([32770, true, true]);
    expect(containerTypes().get('SynapseBlock')).toBe(SynapseBlock);
    for (const block of SynapseBlockOnDLS.all()) {
      const addresses = SynapseBlock.addresses(block);
      expect(addresses).toHaveLength(32770);
      const matrixAddresses = SynapseMatrix.addresses(block.toSynramOnDLS());
      expect(matrixAddresses.every((address, i) => addresses[i] === address)).toBe(true);
      const cells = [2 * block.value, 2 * block.value + 1].map((b) => new CapMemCellOnDLS(CapMemCellOnCapMemBlock.at(128, 8), new CapMemBlockOnDLS(b)));
      expect(addresses.slice(32768)).toEqual(cells.flatMap((cell) => CapMemCell.addresses(cell)));
    }
  });

  it('reset: zero synapses, iBiasDac 0', () => {
    const block = SynapseBlock.defaults();
    expect(block.matrix.equals(SynapseMatrix.defaults())).toBe(true);
    expect(block.iBiasDac).toEqual([0, 0]);
  });

  it('round trips through words (10 seeded runs), JSON and msgpack', () => {
    const bias = fc.oneof(fc.integer({ min: 0, max: 1022 }), fc.constant(CapMemCell.disableRefresh));
    fc.assert(
      fc.property(fc.tuple(bias, bias), fc.nat(65535), fc.nat(63), (iBiasDac, index, weight) => {
        const matrix = new SynapseMatrix();
        matrix.weights[index] = weight;
        const block = new SynapseBlock({ matrix, iBiasDac });
        const words = block.encode();
        expect(words).toHaveLength(SynapseBlock.wordCount);
        expect([...words.subarray(32768)]).toEqual(iBiasDac.flatMap((value) => [...new CapMemCell({ value }).encode()]));
        const back = SynapseBlock.decode(words);
        expect(back.equals(block)).toBe(true);
        expect(back.iBiasDac).toEqual(iBiasDac);
        expect(back.matrix.weights[index]).toBe(weight);
      }),
      { numRuns: 10, seed: 361 },
    );
    const block = new SynapseBlock({ iBiasDac: [7, CapMemCell.disableRefresh] });
    block.matrix.labels[4242] = 42;
    const viaJSON = SynapseBlock.fromJSON(JSON.parse(JSON.stringify(block)));
    expect(viaJSON.equals(block)).toBe(true);
    expect(viaJSON.equals(new SynapseBlock({ iBiasDac: [7, CapMemCell.disableRefresh] }))).toBe(false);
    expect(containerFromMsgpack(containerToMsgpack(block)).equals(block)).toBe(true);
  });

  it('validates iBiasDac (constructor and setter) and the matrix', () => {
    expect(() => new SynapseBlock({ iBiasDac: [0, 1023] })).toThrow('SynapseBlock.iBiasDac[1] = 1023 is invalid');
    expect(() => new SynapseBlock({ iBiasDac: [0] })).toThrow(FieldRangeError);
    expect(() => new SynapseBlock({ matrix: {} as SynapseMatrix })).toThrow(FieldRangeError);
    expect(() => new SynapseBlock({ bias: [0, 0] } as never)).toThrow(UnknownFieldError);
    const block = new SynapseBlock();
    expect(() => {
      block.iBiasDac = [-1, 0];
    }).toThrow(FieldRangeError);
    expect(block.iBiasDac).toEqual([0, 0]);
    block.iBiasDac = [500, CapMemCell.disableRefresh];
    expect(block.iBiasDac).toEqual([500, 'disableRefresh']);
    expect(() => SynapseBlock.fromJSON({ type: 'SynapseBlock', iBiasDac: [0, 0] })).toThrow(/matrix is missing/);
  });
});
