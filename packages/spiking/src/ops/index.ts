export { type LIFParameters, type LIParameters, SpikingOpError, DEFAULT_SUPERSPIKE_ALPHA } from './parameters.js';
export { superSpike } from './surrogate.js';
export { inject, detach } from './inject.js';
export { lifScan, lifScanReference, type LIFHardwareTraces, type LIFOutput } from './lif.js';
export { liScan, liScanReference, type LIHardwareTraces } from './li.js';
export { aelifScan, aelifScanReference, AELIF_EXP_ARGUMENT_MAX, type AELIFParameters, type AELIFHardwareTraces, type AELIFOutput } from './aelif.js';
