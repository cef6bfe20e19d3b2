// Node entry (`@bss2/calibration/node`): everything of the platform-neutral core plus the disk cache.
export * from '../index.js';
export { CalibrationCache, cacheKey, defaultCachePaths, resultCacheKey, type CalibrationCacheOptions } from './cache.js';
export { calibrateLIFCached, type CachedCalibration } from './calibrate-cached.js';
export { calibrateMACCached, macCacheKey, type CachedMacCalibration } from './calibrate-mac-cached.js';
