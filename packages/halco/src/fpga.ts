import { ranged } from './coordinate.js';

/** A byte of the FPGA's 128 KiB SRAM, reachable from both PPUs (hardware.md §1, §7). */
export class ExternalPPUMemoryByteOnFPGA extends ranged('ExternalPPUMemoryByteOnFPGA', 0, 0x1ffff) {}

/** A byte of the FPGA's 256 MiB DRAM, reachable from both PPUs. */
export class ExternalPPUDRAMMemoryByteOnFPGA extends ranged('ExternalPPUDRAMMemoryByteOnFPGA', 0, 0x0fff_ffff) {}

// The FPGA executor's single units (§2.2, §3.10). Single-valued types are ranged 0..0.

/** The executor timer (reset by writing 0; `Timer.Value` is a block condition). */
export class TimerOnDLS extends ranged('TimerOnDLS', 0, 0) {}
/** The wait-until instruction (stall until the timer reaches a value). */
export class WaitUntilOnFPGA extends ranged('WaitUntilOnFPGA', 0, 0) {}
/** Synchronises chip and FPGA systime. */
export class SystimeSyncOnFPGA extends ranged('SystimeSyncOnFPGA', 0, 0) {}
/** The 43-bit systime start value. */
export class SystimeSyncBaseOnDLS extends ranged('SystimeSyncBaseOnDLS', 0, 0) {}
/** The barrier instruction (stall until traffic drains). */
export class BarrierOnFPGA extends ranged('BarrierOnFPGA', 0, 0) {}
/** The polling block condition (stall until `(word & mask) == target`). */
export class PollingOmnibusBlockOnFPGA extends ranged('PollingOmnibusBlockOnFPGA', 0, 0) {}
/** The polling block's configuration (address, mask, target). */
export class PollingOmnibusBlockConfigOnFPGA extends ranged('PollingOmnibusBlockConfigOnFPGA', 0, 0) {}
/** Whether spikes and MADC samples are returned. */
export class EventRecordingConfigOnFPGA extends ranged('EventRecordingConfigOnFPGA', 0, 0) {}
/** The executor's instruction timeout. */
export class InstructionTimeoutConfigOnFPGA extends ranged('InstructionTimeoutConfigOnFPGA', 0, 0) {}
/** Injection of one spike label at the current program time. */
export class SpikePack1ToChipOnDLS extends ranged('SpikePack1ToChipOnDLS', 0, 0) {}
/** Injection of two spike labels at once. */
export class SpikePack2ToChipOnDLS extends ranged('SpikePack2ToChipOnDLS', 0, 0) {}
/** Injection of three spike labels at once. */
export class SpikePack3ToChipOnDLS extends ranged('SpikePack3ToChipOnDLS', 0, 0) {}

/** The setup id of a chip in a multi-chip system; also the coordinate of the whole chip (lola Chip). */
export class DLSGlobal extends ranged('DLSGlobal', 0, 254) {}
