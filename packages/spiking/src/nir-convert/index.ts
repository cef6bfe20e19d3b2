export { NIRConversionError } from './errors.js';
export { NIR_IMPORT_DEFAULTS, metadataKeys as nirMetadataKeys } from './conventions.js';
export { toNIR } from './to-nir.js';
export { fromNIR, type FromNIROptions, type NIRModel, type NIRSynapse } from './from-nir.js';
export { toNIRData, fromNIRData, type FromNIRDataOptions } from './data.js';
export { pynnToNIR, type PyNNGroupLike, type PyNNNetworkLike, type PyNNPopulationLike, type PyNNProjectionLike, type PyNNToNIROptions } from './from-pynn.js';
