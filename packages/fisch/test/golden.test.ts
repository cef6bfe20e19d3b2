import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InstructionStream, annotateResponses, decodeResponses } from '../src/index.js';
import {
  FIXTURE_DIR,
  INSTRUCTIONS_FILE,
  RESPONSES_FILE,
  goldenProgram,
  goldenResponses,
  parseHexWords,
  responseBytes,
} from './golden.js';
import { hex } from './helpers.js';

const T0 = 1_000_000;

describe('golden streams (test-fixtures/fisch)', () => {
  const instructions = parseHexWords(readFileSync(FIXTURE_DIR + INSTRUCTIONS_FILE, 'utf8'));
  const responses = parseHexWords(readFileSync(FIXTURE_DIR + RESPONSES_FILE, 'utf8'));

  it('the encoder still produces exactly the golden instruction bytes', () => {
    expect(hex(goldenProgram().toBytes())).toBe(hex(instructions));
  });

  it('the decoder reads the golden instructions back, all 16 kinds', () => {
    const decoded = InstructionStream.fromBytes(instructions);
    expect(decoded.toArray()).toEqual(goldenProgram().toArray());
    expect(new Set(decoded.toArray().map((i) => i.kind)).size).toBe(16);
  });

  it('the device encoder still produces exactly the golden response bytes', () => {
    expect(hex(responseBytes(goldenResponses()))).toBe(hex(responses));
  });

  it('the host decoder reads the golden responses back, all 13 kinds', () => {
    const expected = goldenResponses().filter((r) => r !== 'pad');
    expect(decodeResponses(responses)).toEqual(expected);
    expect(new Set(expected.map((r) => r.kind)).size).toBe(13);
  });

  it('annotates the golden responses with chip and FPGA times', () => {
    const annotated = annotateResponses(responses);
    expect(annotated.spikes.map((s) => [s.label, s.chipTime - T0, s.fpgaTime - T0])).toEqual([
      [0x0001, 5, 10],
      [0x0102, 8, 10],
      [0x4203, 10, 10],
      [0xc001, 190, 210],
      [0x0002, 208, 210],
      [0xffff, 210, 210],
    ]);
    expect(annotated.madcSamples.map((s) => [s.value, s.channel, s.chipTime - T0, s.fpgaTime - T0])).toEqual([
      [0x3ff, 0, 9, 10],
      [1, 1, 200, 210],
      [2, 0, 209, 210],
      [100, 0, 205, 210],
      [200, 1, 206, 210],
      [300, 0, 207, 210],
    ]);
    expect(annotated.responses.map((r) => r.kind)).toEqual([
      'JtagData',
      'OmnibusData',
      'HighspeedLinkNotification',
      'TimeoutNotification',
      'Loopback',
      'Loopback',
    ]);
    expect(annotated.responses[0]!.fpgaTime).toBe(0);
    expect(annotated.responses[1]!.fpgaTime).toBe(T0);
  });
});
