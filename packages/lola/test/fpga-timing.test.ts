import fc from 'fast-check';
import {
  EventRecordingConfigOnFPGA,
  InstructionTimeoutConfigOnFPGA,
  PollingOmnibusBlockConfigOnFPGA,
  SystimeSyncBaseOnDLS,
  SystimeSyncOnFPGA,
  TimerOnDLS,
} from '@bss2/halco';
import { describe, expect, it } from 'vitest';
import {
  EventRecordingConfig,
  FieldRangeError,
  InstructionTimeoutConfig,
  PollingOmnibusBlockConfig,
  SystimeSync,
  SystimeSyncBase,
  Timer,
  TimerValue,
  containerFromJSON,
  defaultInstructionTimeout_cycles,
} from '../src/index.js';
import { checkIOLeaf, sampleCoords } from './io-leaf-checks.js';

describe('Timer', () => {
  // Only value 0 can be encoded (written); reads of any value are covered below.
  checkIOLeaf(Timer, { wordCount: 1, access: 'rw', coords: sampleCoords(TimerOnDLS), seed: 601, overrides: { value: fc.constant(0) } });

  it('resets to 0, the only value that may be written (§3.10)', () => {
    expect(new Timer().value).toBe(0);
    expect(new Timer().encode()).toEqual(new Uint32Array([0]));
    const running = new Timer({ value: 5 });
    expect(() => running.encode()).toThrow(FieldRangeError);
    expect(() => running.encode()).toThrow(/Timer.value = 5 is invalid: expected 0 when written/);
  });

  it('reads back any 32-bit cycle count; read values compare, serialise and round-trip through JSON', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffff_ffff }), (cycles) => {
        const read = Timer.decode(new Uint32Array([cycles]));
        const viaJSON = containerFromJSON(JSON.parse(JSON.stringify(read)));
        return read.value === cycles && read.equals(new Timer({ value: cycles })) && viaJSON.equals(read) && !read.equals(new Timer({ value: (cycles + 1) % 2 ** 32 }));
      }),
      { numRuns: 1000, seed: 602 },
    );
  });

  it('names its block-until value type Timer.Value', () => {
    expect(Timer.Value).toBe(TimerValue);
  });
});

describe('SystimeSyncBase', () => {
  checkIOLeaf(SystimeSyncBase, { wordCount: 2, access: 'rw', coords: sampleCoords(SystimeSyncBaseOnDLS), seed: 603 });

  it('holds a 43-bit value, low word first', () => {
    expect(new SystimeSyncBase().value).toBe(0);
    const max = 2 ** 43 - 1;
    expect([...new SystimeSyncBase({ value: max }).encode()]).toEqual([0xffff_ffff, 0x7ff]);
    expect([...new SystimeSyncBase({ value: 2 ** 32 + 5 }).encode()]).toEqual([5, 1]);
    expect(SystimeSyncBase.decode(new Uint32Array([0x1234_5678, 0x7ab])).value).toBe(0x7ab * 2 ** 32 + 0x1234_5678);
    expect(() => new SystimeSyncBase({ value: 2 ** 43 })).toThrow(FieldRangeError);
  });
});

describe('SystimeSync', () => {
  checkIOLeaf(SystimeSync, { wordCount: 1, access: 'w', coords: sampleCoords(SystimeSyncOnFPGA), seed: 604 });

  it('resets to no sync; do_sync is bit 0', () => {
    expect(new SystimeSync().doSync).toBe(false);
    expect(new SystimeSync({ doSync: true }).encode()[0]).toBe(1);
  });
});

describe('EventRecordingConfig', () => {
  checkIOLeaf(EventRecordingConfig, { wordCount: 1, access: 'rw', coords: sampleCoords(EventRecordingConfigOnFPGA), seed: 605 });

  it('resets to recording off (ChipInit turns it on); the flag is bit 0', () => {
    expect(new EventRecordingConfig().enableEventRecording).toBe(false);
    expect(new EventRecordingConfig({ enableEventRecording: true }).encode()[0]).toBe(1);
  });
});

describe('InstructionTimeoutConfig', () => {
  checkIOLeaf(InstructionTimeoutConfig, { wordCount: 1, access: 'rw', coords: sampleCoords(InstructionTimeoutConfigOnFPGA), seed: 606 });

  it('resets to 10 ms = 1 250 000 FPGA cycles', () => {
    expect(defaultInstructionTimeout_cycles).toBe(1_250_000);
    expect(new InstructionTimeoutConfig().value).toBe(1_250_000);
    expect(new InstructionTimeoutConfig().encode()[0]).toBe(1_250_000);
    expect(new InstructionTimeoutConfig({ value: 0xffff_ffff }).encode()[0]).toBe(0xffff_ffff);
  });
});

describe('PollingOmnibusBlockConfig', () => {
  checkIOLeaf(PollingOmnibusBlockConfig, { wordCount: 3, access: 'rw', coords: sampleCoords(PollingOmnibusBlockConfigOnFPGA), seed: 607 });

  it('resets to 0 and stores address, mask and target in words 0, 1, 2', () => {
    expect([...new PollingOmnibusBlockConfig().encode()]).toEqual([0, 0, 0]);
    const config = new PollingOmnibusBlockConfig({ address: 0x8800_0000, mask: 0xffff_ffff, target: 1 });
    expect([...config.encode()]).toEqual([0x8800_0000, 0xffff_ffff, 1]);
  });
});
