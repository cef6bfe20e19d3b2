import { AtomicNeuronOnDLS, CADCChannelConfigOnDLS } from '@bss2/halco';
import { PlaybackProgram, PlaybackProgramBuilder } from '@bss2/stadls';
import { describe, expect, it } from 'vitest';
import {
  CalibrationResultFormatError,
  cacheKeyMaterial,
  canonicalJSON,
  resultChecksum,
  resultFromJSON,
  resultFromMsgpack,
  resultToJSON,
  resultToMsgpack,
  spikingTarget,
} from '../src/index.js';
import { syntheticResult } from './support/synthetic-result.js';

describe('CalibrationResult (hardware.md §9.4)', () => {
  it('round-trips through JSON and msgpack', () => {
    const result = syntheticResult();
    const json = JSON.parse(JSON.stringify(resultToJSON(result)));
    expect(resultToJSON(resultFromJSON(json))).toEqual(resultToJSON(result));
    const bytes = resultToMsgpack(result);
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect(resultToJSON(resultFromMsgpack(bytes))).toEqual(resultToJSON(result));
  });

  it('rejects other formats, versions and malformed documents with a typed error', () => {
    const json = resultToJSON(syntheticResult());
    expect(() => resultFromJSON({ ...json, format: 'other' })).toThrow(CalibrationResultFormatError);
    expect(() => resultFromJSON({ ...json, formatVersion: 99 })).toThrow(/formatVersion/);
    const short = { ...json, neurons: { ...(json.neurons as object), 'leak.vLeak': [1, 2] } };
    expect(() => resultFromJSON({ ...short, checksum: resultChecksum(short) })).toThrow(/neurons.leak.vLeak must have 512 entries/);
    expect(() => resultFromMsgpack(Uint8Array.of(0xc1))).toThrow(CalibrationResultFormatError);
  });

  it('carries a checksum of its content and refuses a document that does not match it', () => {
    const json = resultToJSON(syntheticResult());
    expect(json.checksum).toMatch(/^crc32:[0-9a-f]{8}$/);
    expect(json.checksum).toBe(resultChecksum(Object.fromEntries(Object.entries(json).reverse())));
    const neurons = json.neurons as Record<string, number[]>;
    const edited = { ...json, neurons: { ...neurons, 'leak.vLeak': neurons['leak.vLeak']!.map((v, i) => (i === 7 ? v + 1 : v)) } };
    expect(() => resultFromJSON(edited)).toThrow(/checksum .* does not match the content/);
    const { checksum: _none, ...unsummed } = json;
    expect(() => resultFromJSON(unsummed)).toThrow(/checksum must be a string/);
  });

  it('refuses the older format (version 1, no checksum) as stale', () => {
    const { checksum: _none, ...json } = resultToJSON(syntheticResult());
    expect(() => resultFromJSON({ ...json, formatVersion: 1 })).toThrow(/formatVersion must be 2, is 1 .*stale/);
  });

  it('reports residuals and an overall success mask', () => {
    const result = syntheticResult();
    expect(result.residuals('leak_lsb')![0]).toBeCloseTo(0.1, 9);
    expect(result.success.every((s) => s === 1)).toBe(true);
  });

  it('applies itself to a builder: CADC offsets, clocks, DAC biases, every neuron, then the CapMem wait', () => {
    const result = syntheticResult();
    const builder = new PlaybackProgramBuilder();
    result.apply(builder);
    const program = builder.done();
    const decoded = PlaybackProgram.decode(program.encode());
    expect(decoded.instructionCount).toBe(program.instructionCount);
    const neurons = result.toAtomicNeurons();
    expect(neurons).toHaveLength(512);
    expect(neurons[5]!.leak.vLeak).toBe(result.neurons['leak.vLeak'][5]);
    expect(neurons[5]!.threshold.enable).toBe(true);
    expect(neurons[5]!.eventRouting.enableDigital).toBe(true);
    // 1024 channel configs + 2 CADC configs + 2 backend configs (2 words) + 4 DAC cells + 512 × 34 neuron words, each
    // an address/data pair, plus timer reset and wait.
    const writes = 1024 + 2 + 2 * 2 + 4 + 512 * 34;
    expect(program.instructionCount).toBe(2 * writes + 2);
    expect(String(new AtomicNeuronOnDLS(5))).toContain('AtomicNeuronOnDLS');
    expect(new CADCChannelConfigOnDLS(1023).value).toBe(1023);
  });

  it('without the wait when asked', () => {
    const a = syntheticResult().apply(new PlaybackProgramBuilder()).done();
    const b = syntheticResult().apply(new PlaybackProgramBuilder(), { waitForCapMem: false }).done();
    expect(a.instructionCount - b.instructionCount).toBe(2);
  });
});

describe('cache key material', () => {
  const identity = { chipSeed: 1, simulatorVersion: 'x', protocolVersion: 1 };
  it('is canonical: key order does not matter', () => {
    expect(canonicalJSON({ b: 1, a: [1, { d: 2, c: 3 }] })).toBe(canonicalJSON({ a: [1, { c: 3, d: 2 }], b: 1 }));
    const shuffled = Object.fromEntries(Object.entries(spikingTarget).reverse()) as typeof spikingTarget;
    expect(cacheKeyMaterial(shuffled, {}, identity, '1')).toBe(cacheKeyMaterial(spikingTarget, {}, identity, '1'));
  });

  it('changes with target, options, chip seed, simulator version and software version', () => {
    const base = cacheKeyMaterial(spikingTarget, {}, identity, '1');
    expect(cacheKeyMaterial({ ...spikingTarget, leak_lsb: 81 }, {}, identity, '1')).not.toBe(base);
    expect(cacheKeyMaterial(spikingTarget, { cadcSamples: 3 }, identity, '1')).not.toBe(base);
    expect(cacheKeyMaterial(spikingTarget, {}, { ...identity, chipSeed: 2 }, '1')).not.toBe(base);
    expect(cacheKeyMaterial(spikingTarget, {}, { ...identity, simulatorVersion: 'y' }, '1')).not.toBe(base);
    expect(cacheKeyMaterial(spikingTarget, {}, identity, '2')).not.toBe(base);
  });
});
