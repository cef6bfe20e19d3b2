import {
  BarrierOnFPGA,
  CommonSynramConfigOnDLS,
  EventRecordingConfigOnFPGA,
  InstructionTimeoutConfigOnFPGA,
  ReferenceGeneratorConfigOnDLS,
  SystimeSyncBaseOnDLS,
  SystimeSyncOnFPGA,
  TimerOnDLS,
} from '@bss2/halco';
import {
  Barrier,
  CommonSynramConfig,
  EventRecordingConfig,
  InstructionTimeoutConfig,
  ReferenceGeneratorConfig,
  SystimeSync,
  SystimeSyncBase,
  Timer,
  TimerValue,
  defaultInstructionTimeout_cycles,
  nominal,
} from '@bss2/lola';
import { PlaybackProgramBuilder, builderInternals } from './playback-program-builder.js';

// Durations of hardware.md §3.10 ("Constants"), in FPGA cycles (`nominal.fpgaClock_hz`).
/** The chip reset line is held high this long … */
export const CHIP_RESET_HIGH_CYCLES = 10;
/** … and the chip is left alone this long after releasing it. */
export const CHIP_RESET_LOW_CYCLES = 100;
/** PLLs and omnibus settle in 100 µs. */
export const SETTLE_CYCLES = 100 * nominal.fpgaClockCyclesPerUs;
/** The CapMem reference generator is held in reset this long. */
export const REFERENCE_GENERATOR_RESET_CYCLES = 1000;
/** JTAG clock divider of the init sequence; **Choice:** 3, upstream haldls `JTAGClockScaler`'s init value. */
export const JTAG_CLOCK_SCALER = 3;

export interface ChipInitOptions {
  /** Return spikes and MADC samples to the host (hardware.md §3.10); default true, as upstream ChipInit. */
  readonly enableEventRecording?: boolean;
}

export interface SystemInitOptions extends ChipInitOptions {
  /** The executor's instruction timeout (FPGA cycles); default 1 250 000 = 10 ms (hardware.md §3.10). */
  readonly instructionTimeout_cycles?: number;
}

function wait(builder: PlaybackProgramBuilder, cycles: number): void {
  builder.write(new TimerOnDLS(0), new Timer());
  builder.blockUntil(new TimerOnDLS(0), new TimerValue(cycles));
}

/**
 * The chip part of the init sequence (hardware.md §5.1 Init, upstream stadls ChipInit): reset line, JTAG,
 * settle, systime base and sync with barriers, event recording, reference-generator reset, synapse-SRAM
 * timing, barrier. PLL, clock-output and PHY configuration are left out: the simulated chip runs at the
 * nominal clocks of §1.1 whatever is written there (§3.10), and lola has no containers for them.
 */
export function generateChipInit(options: ChipInitOptions = {}): PlaybackProgramBuilder {
  const builder = new PlaybackProgramBuilder();
  const internals = builderInternals();
  const barrier = new BarrierOnFPGA(0);

  // Reset line: high, then low (§3.10 "chip reset high 10 cycles then low 100"); lola has no ResetChip
  // container, so the system Reset instruction (§5.2 opcode 9) is emitted directly.
  builder.write(new TimerOnDLS(0), new Timer());
  internals.appendRaw(builder, 1, (stream) => stream.reset(true));
  builder.blockUntil(new TimerOnDLS(0), new TimerValue(CHIP_RESET_HIGH_CYCLES));
  builder.write(new TimerOnDLS(0), new Timer());
  internals.appendRaw(builder, 1, (stream) => stream.reset(false));
  builder.blockUntil(new TimerOnDLS(0), new TimerValue(CHIP_RESET_LOW_CYCLES));

  // JTAG: clock divider and TAP reset (§5.2 opcodes 1, 0), as the reference does before touching the PLLs.
  internals.appendRaw(builder, 2, (stream) => stream.jtagScaler(JTAG_CLOCK_SCALER).jtagInit());
  wait(builder, SETTLE_CYCLES);

  // Systime: base value, then synchronise chip and FPGA time, each behind a barrier (§3.10).
  builder.write(new SystimeSyncBaseOnDLS(0), new SystimeSyncBase({ value: 0 }));
  builder.blockUntil(barrier, Barrier.omnibus);
  builder.write(new SystimeSyncOnFPGA(0), new SystimeSync({ doSync: true }));
  builder.blockUntil(barrier, Barrier.systime);

  builder.write(
    new EventRecordingConfigOnFPGA(0),
    new EventRecordingConfig({ enableEventRecording: options.enableEventRecording ?? true }),
  );

  const referenceGenerator = new ReferenceGeneratorConfig();
  builder.write(new ReferenceGeneratorConfigOnDLS(0), referenceGenerator.with({ enableReset: true }));
  wait(builder, REFERENCE_GENERATOR_RESET_CYCLES);
  builder.write(new ReferenceGeneratorConfigOnDLS(0), referenceGenerator);

  for (const synram of CommonSynramConfigOnDLS.all()) builder.write(synram, new CommonSynramConfig());

  builder.blockUntil(barrier, Barrier.omnibus);
  return builder;
}

/**
 * The whole init sequence (hardware.md §5.1 Init, upstream stadls SystemInit): instruction timeout, board
 * (no-ops on the simulated system), then ChipInit.
 */
export function generateSystemInit(options: SystemInitOptions = {}): PlaybackProgramBuilder {
  const builder = new PlaybackProgramBuilder();
  builder.write(
    new InstructionTimeoutConfigOnFPGA(0),
    new InstructionTimeoutConfig({ value: options.instructionTimeout_cycles ?? defaultInstructionTimeout_cycles }),
  );
  return builder.mergeBack(generateChipInit(options));
}
