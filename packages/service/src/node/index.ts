export { defaultServiceKeyPath, readServiceKeyFile, writeServiceKeyFile } from './keys.js';
export type { ServiceKeys } from './keys.js';
export { startService } from './service.js';
export type { Service, ServiceAddress, ServiceOptions } from './service.js';
export { ChipJobError } from './chip-worker.js';
export type { ChipIdentity } from './chip-worker.js';
export * from './jobs/index.js';
export * from './http/index.js';
