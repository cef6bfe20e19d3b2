import fc from 'fast-check';
import { PadMultiplexerConfigOnDLS, ReadoutSourceSelectionOnDLS, SourceMultiplexerOnReadoutSourceSelection } from '@bss2/halco';
import { describe, expect, it } from 'vitest';
import {
  FieldRangeError,
  PadMultiplexerConfig,
  ReadoutSourceSelection,
  type SourceMultiplexer,
  UnknownFieldError,
  disconnectedSourceMultiplexer,
} from '../src/index.js';
import { checkIOLeaf, sampleCoords } from './io-leaf-checks.js';

const mux0 = new SourceMultiplexerOnReadoutSourceSelection(0);
const mux1 = new SourceMultiplexerOnReadoutSourceSelection(1);

const pair = fc.tuple(fc.boolean(), fc.boolean());
const arbitrarySource: fc.Arbitrary<SourceMultiplexer> = fc.record({
  debugPlus: fc.boolean(),
  debugMinus: fc.boolean(),
  currentDac: fc.boolean(),
  syninDebugInhibitory: fc.boolean(),
  syninDebugExcitatory: fc.boolean(),
  cadcDebugCausal: fc.boolean(),
  cadcDebugAcausal: fc.boolean(),
  synapseDriverDebug: pair,
  neuronOdd: pair,
  neuronEven: pair,
});

describe('ReadoutSourceSelection', () => {
  checkIOLeaf(ReadoutSourceSelection, { wordCount: 2, access: 'rw', coords: sampleCoords(ReadoutSourceSelectionOnDLS), seed: 501 });

  it('resets to both multiplexers disconnected', () => {
    const selection = new ReadoutSourceSelection();
    expect(selection.sourceMultiplexer(mux0)).toEqual(disconnectedSourceMultiplexer);
    expect(selection.sourceMultiplexer(mux1)).toEqual(disconnectedSourceMultiplexer);
    expect(selection.enableBufferToPad).toEqual([false, false]);
    expect([...selection.encode()]).toEqual([0, 0]);
  });

  it('sets one multiplexer without touching the other; the view reads back what was set', () => {
    fc.assert(
      fc.property(arbitrarySource, arbitrarySource, (a, b) => {
        const selection = new ReadoutSourceSelection().withSourceMultiplexer(mux0, a).withSourceMultiplexer(mux1, b);
        expect(selection.sourceMultiplexer(mux0)).toEqual(a);
        expect(selection.sourceMultiplexer(mux1)).toEqual(b);
        const again = selection.withSourceMultiplexer(mux1, disconnectedSourceMultiplexer);
        expect(again.sourceMultiplexer(mux0)).toEqual(a);
      }),
      { numRuns: 200, seed: 502 },
    );
  });

  it('lays multiplexer m out in word m as upstream (neuron lines: top odd 9, top even 10, bottom odd 11, bottom even 12)', () => {
    const evenBottom = new ReadoutSourceSelection().withSourceMultiplexer(mux1, {
      ...disconnectedSourceMultiplexer,
      neuronEven: [false, true],
    });
    expect([...evenBottom.encode()]).toEqual([0, 1 << 12]);
    const oddTop = new ReadoutSourceSelection().withSourceMultiplexer(mux0, { ...disconnectedSourceMultiplexer, neuronOdd: [true, false] });
    expect([...oddTop.encode()]).toEqual([1 << 9, 0]);
    const debug = new ReadoutSourceSelection().withSourceMultiplexer(mux0, { ...disconnectedSourceMultiplexer, debugPlus: true, currentDac: true });
    expect([...debug.encode()]).toEqual([0b101, 0]);
    expect([...new ReadoutSourceSelection({ enableBufferToPad: [true, false] }).encode()]).toEqual([0, 1 << 14]);
    expect([...new ReadoutSourceSelection({ enableBufferToPad: [false, true] }).encode()]).toEqual([0, 1 << 13]);
  });

  it('validates a source multiplexer', () => {
    const selection = new ReadoutSourceSelection();
    expect(() => selection.withSourceMultiplexer(mux0, { ...disconnectedSourceMultiplexer, neuronOdd: [true] as never })).toThrow(FieldRangeError);
    expect(() => selection.withSourceMultiplexer(mux0, { ...disconnectedSourceMultiplexer, debugPlus: 1 as never })).toThrow(FieldRangeError);
    expect(() => selection.withSourceMultiplexer(mux0, { ...disconnectedSourceMultiplexer, neuron: true } as never)).toThrow(UnknownFieldError);
    const { currentDac: _omitted, ...incomplete } = disconnectedSourceMultiplexer;
    expect(() => selection.withSourceMultiplexer(mux0, incomplete as never)).toThrow(FieldRangeError);
  });
});

describe('PadMultiplexerConfig', () => {
  checkIOLeaf(PadMultiplexerConfig, { wordCount: 1, access: 'rw', coords: sampleCoords(PadMultiplexerConfigOnDLS), seed: 503 });

  it('resets to everything disconnected', () => {
    const config = new PadMultiplexerConfig();
    expect(config.encode()[0]).toBe(0);
    expect(config.cadcVRampMux).toEqual([false, false, false, false]);
    expect(config.bufferToPad).toEqual([false, false]);
  });

  it('uses the whole word: upstream word 0 in bits 15..0, word 1 in bits 31..16', () => {
    const all = new PadMultiplexerConfig(
      Object.fromEntries(
        Object.entries(PadMultiplexerConfig.fields).map(([name, field]) => [name, 'slices' in field && 'element' in field ? field.slices.map(() => true) : true]),
      ),
    );
    expect(all.encode()[0]).toBe(0xffff_ffff);
    expect(new PadMultiplexerConfig({ cadcVRampMux: [true, false, false, false] }).encode()[0]).toBe(1 << 3);
    expect(new PadMultiplexerConfig({ capmemVRefMux: [false, false, false, true] }).encode()[0]).toBe(1 << 16);
    expect(new PadMultiplexerConfig({ bufferToPad: [true, false] }).encode()[0]).toBe(1 << 29);
    expect(new PadMultiplexerConfig({ neuronIStimMuxToPad: true }).encode()[0]).toBe(0x8000_0000);
  });
});
