// In-process entry (`@bss2/hxcomm/in-process`): the connection to a simulated chip in this process. The only
// part of hxcomm that imports `@bss2/chip-sim`, so that a remote-only user never loads the simulator
// (architecture.md, "Layers and packages"); `connectSelection` and `serveSimulator` load it on demand.
export { InProcessConnection, connectInProcess, type InProcessOptions } from './in-process-connection.js';
/** The chip behind an `InProcessConnection` (and a served one), for its type without importing chip-sim. */
export type { SimulatedChip } from '@bss2/chip-sim';
