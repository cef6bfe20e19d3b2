import { BarrierMask } from '@bss2/fisch';
import {
  CommonSynramConfigOnDLS,
  EventRecordingConfigOnFPGA,
  InstructionTimeoutConfigOnFPGA,
  ReferenceGeneratorConfigOnDLS,
  SystimeSyncBaseOnDLS,
} from '@bss2/halco';
import {
  CommonSynramConfig,
  EventRecordingConfig,
  InstructionTimeoutConfig,
  ReferenceGeneratorConfig,
  SystimeSyncBase,
} from '@bss2/lola';
import { describe, expect, it } from 'vitest';
import {
  CHIP_RESET_HIGH_CYCLES,
  CHIP_RESET_LOW_CYCLES,
  JTAG_CLOCK_SCALER,
  REFERENCE_GENERATOR_RESET_CYCLES,
  SETTLE_CYCLES,
  generateChipInit,
  generateSystemInit,
  run,
  type ContainerClass,
  type CoordinateOf,
} from '../src/index.js';
import { FakeExecutor } from './support/fake-executor.js';

function stored<T extends ContainerClass>(fake: FakeExecutor, type: T, coord: CoordinateOf<T>): InstanceType<T> {
  return type.decode(Uint32Array.from(type.addresses(coord), (a) => fake.memory.get(a) ?? 0)) as InstanceType<T>;
}

describe('init', () => {
  it('ChipInit follows hardware.md §5.1: reset, JTAG, settle, systime sync with barriers, …, barrier', () => {
    const steps = generateChipInit()
      .done()
      .toInstructions()
      .filter((i) => i.kind !== 'OmnibusAddress' && i.kind !== 'OmnibusData');
    expect(steps).toEqual([
      { kind: 'TimingSetup' },
      { kind: 'Reset', value: true },
      { kind: 'WaitUntil', value: CHIP_RESET_HIGH_CYCLES },
      { kind: 'TimingSetup' },
      { kind: 'Reset', value: false },
      { kind: 'WaitUntil', value: CHIP_RESET_LOW_CYCLES },
      { kind: 'JtagScaler', value: JTAG_CLOCK_SCALER },
      { kind: 'JtagInit' },
      { kind: 'TimingSetup' },
      { kind: 'WaitUntil', value: SETTLE_CYCLES },
      { kind: 'Barrier', mask: BarrierMask.omnibus },
      { kind: 'SystimeInit', value: true },
      { kind: 'Barrier', mask: BarrierMask.systime },
      { kind: 'TimingSetup' },
      { kind: 'WaitUntil', value: REFERENCE_GENERATOR_RESET_CYCLES },
      { kind: 'Barrier', mask: BarrierMask.omnibus },
    ]);
    expect(SETTLE_CYCLES).toBe(12_500);
  });

  it('SystemInit leaves the chip with timeout, event recording, systime base, reference generator and SRAM timing set', async () => {
    const fake = new FakeExecutor();
    const builder = generateSystemInit({ instructionTimeout_cycles: 12_345 });
    expect(builder.isWriteOnly()).toBe(true);
    await run(fake, builder.done());
    expect(fake.resets).toBe(1);
    expect(stored(fake, InstructionTimeoutConfig, new InstructionTimeoutConfigOnFPGA(0)).value).toBe(12_345);
    expect(stored(fake, EventRecordingConfig, new EventRecordingConfigOnFPGA(0)).enableEventRecording).toBe(true);
    expect(stored(fake, SystimeSyncBase, new SystimeSyncBaseOnDLS(0)).value).toBe(0);
    expect(stored(fake, ReferenceGeneratorConfig, new ReferenceGeneratorConfigOnDLS(0)).equals(new ReferenceGeneratorConfig())).toBe(true);
    for (const synram of CommonSynramConfigOnDLS.all()) {
      expect(fake.memory.has(CommonSynramConfig.addresses(synram)[0]!)).toBe(true);
    }
  });

  it('holds the reference generator in reset for its reset time', () => {
    const instructions = generateChipInit().done().toInstructions();
    const [enableAddress] = ReferenceGeneratorConfig.addresses(new ReferenceGeneratorConfigOnDLS(0));
    const resetWord = new ReferenceGeneratorConfig({ enableReset: true }).encode()[0];
    const writes = instructions.flatMap((i, k) =>
      i.kind === 'OmnibusAddress' && i.address === enableAddress ? [{ k, value: (instructions[k + 1] as { value: number }).value }] : [],
    );
    expect(writes.map((w) => w.value)).toEqual([resetWord, new ReferenceGeneratorConfig().encode()[0]]);
    const between = instructions.slice(writes[0]!.k, writes[1]!.k);
    expect(between).toContainEqual({ kind: 'WaitUntil', value: REFERENCE_GENERATOR_RESET_CYCLES });
  });

  it('can leave event recording off and uses the default timeout otherwise', async () => {
    const fake = new FakeExecutor();
    await run(fake, generateSystemInit({ enableEventRecording: false }).done());
    expect(stored(fake, EventRecordingConfig, new EventRecordingConfigOnFPGA(0)).enableEventRecording).toBe(false);
    expect(stored(fake, InstructionTimeoutConfig, new InstructionTimeoutConfigOnFPGA(0)).value).toBe(1_250_000);
  });
});
