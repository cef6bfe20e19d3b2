export * from './errors.js';
export { MAX_PROGRAM_SIZE } from './program-size.js';
export type { PollingOmnibusBlockCondition } from './operations.js';
export { ContainerTicket, type ContainerClass, type CoordinateOf } from './ticket.js';
export {
  PlaybackProgram,
  type ExpectedResponses,
  type HighspeedLinkNotification,
  type Notification,
  type RunResults,
  type RunTiming,
  type TimeoutNotification,
} from './playback-program.js';
export { PlaybackProgramBuilder } from './playback-program-builder.js';
export {
  AbsoluteTimePlaybackProgramBuilder,
  LATENESS_WARNING_CYCLES,
  type AbsoluteTimeBuilderOptions,
  type LatenessWarning,
} from './absolute-time-builder.js';
export { run, type PlaybackExecutor, type RunResult } from './run.js';
export {
  CHIP_RESET_HIGH_CYCLES,
  CHIP_RESET_LOW_CYCLES,
  JTAG_CLOCK_SCALER,
  REFERENCE_GENERATOR_RESET_CYCLES,
  SETTLE_CYCLES,
  generateChipInit,
  generateSystemInit,
  type ChipInitOptions,
  type SystemInitOptions,
} from './init.js';
