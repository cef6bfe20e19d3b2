import { InstructionStream, JtagRegister, Loopback, PROTOCOL_VERSION, decodeResponses } from '@bss2/fisch';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ChipSimArgumentError,
  AnalogChipModel,
  DigitalOnlyModel,
  JTAG_IDCODE,
  PROTOCOL_VERSION as REEXPORTED_PROTOCOL_VERSION,
  SIMULATOR_VERSION,
  SimulatedChip,
} from '../src/index.js';
import { SEED, instructionArbitrary, run } from './helpers.js';

const NEURON_CONFIG = 0x16_0002; // word 0 of NeuronConfig(0) (hardware.md §3.11)
const UNMAPPED = 0x0400_0000;

describe('SimulatedChip', () => {
  it('reports its identity', () => {
    const chip = new SimulatedChip({ seed: 42 });
    // Default analog step 100 ns: ⌈100 / 8⌉ + 1 cycles until a step's events are out.
    expect(chip.identity).toEqual({ chipSeed: 42, simulatorVersion: SIMULATOR_VERSION, protocolVersion: PROTOCOL_VERSION, responseLatency_cycles: 14 });
    expect(REEXPORTED_PROTOCOL_VERSION).toBe(PROTOCOL_VERSION);
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(SIMULATOR_VERSION).toBe(pkg.version);
  });

  it('reports the response latency of its model: ⌈analog step / 8 ns⌉ + 1 cycles, 0 without analog model', () => {
    for (const analogStep_ns of [2, 8, 10, 16, 100, 1000]) {
      const chip = new SimulatedChip({ seed: 1, analog: { analogStep_ns } });
      expect(chip.identity.responseLatency_cycles).toBe(Math.ceil(analogStep_ns / 8) + 1);
      chip.reset();
      expect(chip.model.responseLatency_cycles).toBe(chip.identity.responseLatency_cycles);
    }
    expect(new SimulatedChip({ seed: 1, analog: { analogStep_ns: 10 } }).identity.responseLatency_cycles).toBe(3);
    expect(new SimulatedChip({ seed: 1, model: () => new DigitalOnlyModel() }).identity.responseLatency_cycles).toBe(0);
    const broken = Object.assign(new DigitalOnlyModel(), { responseLatency_cycles: -1 });
    expect(() => new SimulatedChip({ seed: 1, model: () => broken })).toThrow(/model\(\)\.responseLatency_cycles = -1 is invalid/);
  });

  it('validates its options', () => {
    expect(() => new SimulatedChip({ seed: -1 })).toThrow(ChipSimArgumentError);
    expect(() => new SimulatedChip({ seed: 1.5 })).toThrow(/seed = 1.5 is invalid/);
    expect(() => new SimulatedChip({ seed: 1, instructionTimeout: 2 ** 32 })).toThrow(ChipSimArgumentError);
    expect(() => new SimulatedChip(undefined as unknown as { seed: number })).toThrow(ChipSimArgumentError);
  });

  // 300 random programs in all, split into three seeded ranges of 100 so that no single test runs long on a
  // loaded machine; each range is reproducible on its own (SEED + k).
  for (const k of [0, 1, 2]) {
    it(`is deterministic: the same program on the same seed gives identical responses and state (range ${k})`, () => {
      const addresses = [NEURON_CONFIG, 0x02cf_0000, 0x8800_0000, 0x8800_0021, 0xa000_0007, UNMAPPED];
      fc.assert(
        fc.property(fc.array(instructionArbitrary(addresses), { maxLength: 60 }), (list) => {
          const bytes = InstructionStream.from(list).loopback(Loopback.halt).toBytes();
          const a = new SimulatedChip({ seed: 3, instructionTimeout: 100 });
          const b = new SimulatedChip({ seed: 3, instructionTimeout: 100 });
          expect(a.execute(bytes)).toEqual(b.execute(bytes));
          expect(a.stateDigest()).toBe(b.stateDigest());
          a.reset();
          const fresh = new SimulatedChip({ seed: 3, instructionTimeout: 100 });
          expect(a.execute(bytes)).toEqual(fresh.execute(bytes));
        }),
        { numRuns: 100, seed: SEED + k },
      );
    });
  }

  it('counts unmapped accesses: reads return 0, writes are ignored', () => {
    const chip = new SimulatedChip({ seed: 1 });
    const words = run(chip, (s) => s.omnibusWrite(UNMAPPED, 5).omnibusRead(UNMAPPED).omnibusRead(0xffff_ffff));
    expect(words.filter((r) => r.kind === 'OmnibusData')).toEqual([
      { kind: 'OmnibusData', value: 0 },
      { kind: 'OmnibusData', value: 0 },
    ]);
    expect(chip.counters()).toMatchObject({ unmappedReads: 2, unmappedWrites: 1, readOnlyWrites: 0, writeOnlyReads: 0 });
  });

  it('reads and writes words directly with omnibus semantics, and reset() powers on again', () => {
    const chip = new SimulatedChip({ seed: 1 });
    const digest = chip.stateDigest();
    chip.writeWord(NEURON_CONFIG, 0x55);
    expect(chip.readWord(NEURON_CONFIG)).toBe(0x55);
    chip.readWord(UNMAPPED);
    run(chip, (s) => s.waitUntil(10));
    chip.reset();
    expect(chip.readWord(NEURON_CONFIG)).toBe(0);
    expect(chip.systime).toBe(0);
    expect(chip.counters().unmappedReads).toBe(0);
    expect(chip.stateDigest()).toBe(digest);
  });

  it('the Reset instruction resets the chip side and keeps the FPGA side (address bit 31)', () => {
    const chip = new SimulatedChip({ seed: 1 });
    const sram = 0x8000_0010;
    run(chip, (s) => s.omnibusWrite(NEURON_CONFIG, 0x7f).omnibusWrite(sram, 0xab).reset(true).reset(false));
    expect(chip.readWord(NEURON_CONFIG)).toBe(0);
    expect(chip.readWord(sram)).toBe(0xab);
  });

  it('stops at the first Loopback(halt) and counts what follows; a tick is echoed and execution goes on', () => {
    const chip = new SimulatedChip({ seed: 1 });
    const stream = new InstructionStream().loopback(Loopback.tick).loopback(Loopback.halt).omnibusWrite(NEURON_CONFIG, 1);
    const responses = decodeResponses(chip.execute(stream.toBytes()));
    expect(responses.map((r) => r.kind)).toEqual(['Systime', 'Loopback', 'Loopback']);
    expect(responses.slice(1)).toEqual([
      { kind: 'Loopback', value: Loopback.tick },
      { kind: 'Loopback', value: Loopback.halt },
    ]);
    expect(chip.readWord(NEURON_CONFIG)).toBe(0);
    expect(chip.counters().ignoredAfterHalt).toBe(2);
    expect(chip.systime).toBe(2);
  });

  it('ignores omnibus Data without a write Address and writes each Data to the latched address', () => {
    const chip = new SimulatedChip({ seed: 1 });
    run(chip, (s) => s.omnibusData(9).omnibusAddress(NEURON_CONFIG, 0xf, false).omnibusData(3).omnibusData(4));
    expect(chip.counters().orphanData).toBe(1);
    expect(chip.readWord(NEURON_CONFIG)).toBe(4);
  });

  it('answers a JTAG IDCODE read with the documented chip id; BYPASS delays by one bit', () => {
    const chip = new SimulatedChip({ seed: 1 });
    const responses = run(chip, (s) =>
      s.jtagInit().jtagIns(JtagRegister.IDCODE).jtagData(0, 32, true).jtagIns(JtagRegister.BYPASS).jtagData(0b101, 3, true).jtagData(0, 3, true),
    );
    expect(responses.filter((r) => r.kind === 'JtagData')).toEqual([
      { kind: 'JtagData', value: JTAG_IDCODE },
      { kind: 'JtagData', value: 0b010 },
      { kind: 'JtagData', value: 0b001 },
    ]);
    expect(JTAG_IDCODE & 1).toBe(1);
  });

  it('uses the analog chip model by default, the digital-only model on request, and a fresh model after reset()', () => {
    const chip = new SimulatedChip({ seed: 1 });
    const first = chip.model;
    expect(first).toBeInstanceOf(AnalogChipModel);
    chip.reset();
    expect(chip.model).not.toBe(first);
    expect(new SimulatedChip({ seed: 1, model: () => new DigitalOnlyModel() }).model).toBeInstanceOf(DigitalOnlyModel);
    expect(() => new SimulatedChip({ seed: 1, model: () => new DigitalOnlyModel(), analog: {} })).toThrow(ChipSimArgumentError);
    expect(() => new SimulatedChip({ seed: 1, analog: { analogStep_ns: 5 } })).toThrow(/analogStep_ns = 5 is invalid/);
  });
});
