export * from './errors.js';
export { SimulatedChip, type ChipCounters, type SimulatedChipOptions } from './simulated-chip.js';
export { SIMULATOR_VERSION } from './identity.js';
export { DEFAULT_CHIP_SEED, analogOptionsSchema, chipSeedSchema } from './options.js';
// The protocol version and identity type are fisch's; re-exported for code that imported them from here.
export { PROTOCOL_VERSION, type DeviceIdentity } from '@bss2/fisch';
export type { ChipModel, ChipModelContext, ChipModelFactory, EventSink } from './chip-model.js';
export { DigitalOnlyModel, type InjectedSpike } from './digital-only-model.js';
export { POLL_INTERVAL_CYCLES, type ExecutionCounters } from './executor.js';
export { JTAG_IDCODE } from './jtag.js';
export { MemoryMap, Storage, memoryMap, type MappedContainer } from './memory-map.js';
export { RegisterFile, byteEnableMask, type AccessCounters } from './register-file.js';
export { SynapseLayout, SynapseStorage, type SynapseWindow } from './synapse-storage.js';
export * from './events/index.js';
export * from './analog/index.js';
export * from './model/index.js';
export * from './readout/index.js';
export * from './ppu/index.js';
