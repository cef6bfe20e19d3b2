import { type Instruction, InstructionStream, Loopback, annotateResponses, decodeResponses } from '@bss2/fisch';
import {
  InstructionTimeoutConfigOnFPGA,
  PollingOmnibusBlockConfigOnFPGA,
  SystimeSyncBaseOnDLS,
  SystimeSyncOnFPGA,
  TimerOnDLS,
} from '@bss2/halco';
import { InstructionTimeoutConfig, PollingOmnibusBlockConfig, SystimeSync, SystimeSyncBase, Timer } from '@bss2/lola';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { POLL_INTERVAL_CYCLES, SimulatedChip } from '../src/index.js';
import { SEED, dataWords, run } from './helpers.js';

const TIMER = Timer.addresses(new TimerOnDLS(0))[0]!;
const SCRATCH = 0x0280_0010; // a PPU memory word (hardware.md §3.11): plain read-write storage

/** Instructions that never stall, with WaitUntil and timing Setup mixed in. */
const timedInstruction: fc.Arbitrary<Instruction> = fc.oneof(
  fc.constant<Instruction>({ kind: 'TimingSetup' }),
  fc.integer({ min: 0, max: 3000 }).map((value): Instruction => ({ kind: 'WaitUntil', value })),
  fc.constant<Instruction>({ kind: 'OmnibusAddress', address: SCRATCH, byteEnables: 15, isRead: true }),
  fc.integer({ min: 0, max: 31 }).map((mask): Instruction => ({ kind: 'Barrier', mask })),
  fc.constant<Instruction>({ kind: 'Loopback', value: Loopback.tick }),
  fc.constant<Instruction>({ kind: 'JtagInit' }),
);

describe('cycle-exact timing on the 125 MHz FPGA clock (hardware.md §5.1, §5.2)', () => {
  it('systime advances by one cycle per instruction plus every WaitUntil stall', () => {
    const chip = new SimulatedChip({ seed: 1 });
    fc.assert(
      fc.property(fc.array(timedInstruction, { maxLength: 60 }), (body) => {
        const program: Instruction[] = [{ kind: 'TimingSetup' }, ...body, { kind: 'Loopback', value: Loopback.halt }];
        // Reference model: the timer is 0 at the instruction after Setup and counts one per cycle.
        let timer = 0;
        let waits = 0;
        for (const instruction of program.slice(1)) {
          if (instruction.kind === 'WaitUntil' && timer < instruction.value) {
            waits += instruction.value - timer;
            timer = instruction.value;
          }
          timer = instruction.kind === 'TimingSetup' ? 0 : timer + 1;
        }
        const before = chip.systime;
        const responses = decodeResponses(chip.execute(InstructionStream.from(program).toBytes()));
        expect(responses[0]).toEqual({ kind: 'Systime', value: before });
        expect(chip.systime - before).toBe(program.length + waits);
      }),
      { numRuns: 1000, seed: SEED },
    );
  });

  it('Setup then WaitUntil(t − 1) puts the next instruction at timer value t; the Timer register reads it', () => {
    const chip = new SimulatedChip({ seed: 1 });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 32 - 1 }), (t) => {
        const words = dataWords(run(chip, (s) => s.timingSetup().waitUntil(t - 1).omnibusRead(TIMER).omnibusRead(TIMER)));
        expect(words).toEqual([t, (t + 1) % 2 ** 32]);
      }),
      { numRuns: 1000, seed: SEED },
    );
  });

  it('a WaitUntil the timer has passed costs one cycle; writing the Timer resets it like Setup', () => {
    const chip = new SimulatedChip({ seed: 1 });
    const before = chip.systime;
    const words = dataWords(
      run(chip, (s) => s.timingSetup().waitUntil(500).waitUntil(10).omnibusRead(TIMER).omnibusWrite(TIMER, 0).omnibusRead(TIMER)),
    );
    expect(words).toEqual([502, 0]);
    expect(chip.systime - before).toBe(8 + 500);
    expect(() => new Timer({ value: 5 }).encode()).toThrow();
  });

  it('systime keeps running across programs and SystimeInit loads SystimeSyncBase', () => {
    const chip = new SimulatedChip({ seed: 1 });
    run(chip, (s) => s.timingSetup().waitUntil(1000));
    expect(chip.systime).toBe(1003);
    const base = new SystimeSyncBase({ value: 2 ** 42 + 12345 });
    const [low, high] = SystimeSyncBase.addresses(new SystimeSyncBaseOnDLS(0));
    const words = base.encode();
    run(chip, (s) => s.omnibusWrite(low!, words[0]!).omnibusWrite(high!, words[1]!).systimeInit(true).barrier(4));
    // After SystimeInit the next instruction (Barrier) runs at the base; then Barrier and halt take a cycle each.
    expect(chip.systime).toBe(2 ** 42 + 12345 + 2);
    const sync = SystimeSync.addresses(new SystimeSyncOnFPGA(0))[0]!;
    run(chip, (s) => s.omnibusWrite(sync, new SystimeSync({ doSync: true }).encode()[0]!));
    expect(chip.systime).toBe(2 ** 42 + 12345 + 1);
  });

  it('PollingOmnibusBlock returns at once when the condition holds and times out otherwise', () => {
    const timeout = 1000;
    const chip = new SimulatedChip({ seed: 1, instructionTimeout: timeout });
    const poll = PollingOmnibusBlockConfig.addresses(new PollingOmnibusBlockConfigOnFPGA(0));
    const configure = (s: InstructionStream, target: number) =>
      new PollingOmnibusBlockConfig({ address: SCRATCH, mask: 0xff, target }).encode().forEach((w, i) => s.omnibusWrite(poll[i]!, w));
    chip.writeWord(SCRATCH, 0x1234_5642);
    let before = chip.systime;
    let responses = run(chip, (s) => {
      configure(s, 0x42);
      s.pollingOmnibusBlock(true);
    });
    expect(chip.systime - before).toBe(8);
    expect(responses.filter((r) => r.kind === 'TimeoutNotification')).toEqual([]);

    before = chip.systime;
    responses = run(chip, (s) => {
      configure(s, 0x43);
      s.pollingOmnibusBlock(true).pollingOmnibusBlock(false);
    });
    // `==` never holds: stall for the timeout, report it with the instruction's index; `!=` holds at once.
    expect(chip.systime - before).toBe(9 + timeout);
    expect(responses.filter((r) => r.kind === 'TimeoutNotification')).toEqual([
      { kind: 'TimeoutNotification', value: 6, traceStallCount: 0, omnibusReadsInFlight: 0 },
    ]);
    expect(chip.counters().timeouts).toBe(1);
  });

  it('the timeout comes from InstructionTimeoutConfig, default 1 250 000 cycles (10 ms)', () => {
    const chip = new SimulatedChip({ seed: 1 });
    const [address] = InstructionTimeoutConfig.addresses(new InstructionTimeoutConfigOnFPGA(0));
    expect(chip.readWord(address!)).toBe(1_250_000);
    const before = chip.systime;
    run(chip, (s) => s.pollingOmnibusBlock(false));
    expect(chip.systime - before).toBe(1_250_000 + 2);
    run(chip, (s) => s.omnibusWrite(address!, 50));
    const start = chip.systime;
    run(chip, (s) => s.pollingOmnibusBlock(false));
    expect(chip.systime - start).toBe(50 + 2);
    expect(POLL_INTERVAL_CYCLES).toBeGreaterThan(0);
  });

  it('annotation recovers the systime of every response stream start', () => {
    const chip = new SimulatedChip({ seed: 1 });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 6 }), (wait) => {
        const start = chip.systime;
        const stream = new InstructionStream().timingSetup().waitUntil(wait).loopback(Loopback.halt);
        const host = annotateResponses(chip.execute(stream.toBytes()));
        expect(host.responses.at(-1)).toEqual({ kind: 'Loopback', value: Loopback.halt, fpgaTime: start });
      }),
      { numRuns: 200, seed: SEED },
    );
  });
});
