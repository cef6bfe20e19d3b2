/**
 * Version of the calibration software, part of every cache key (hardware.md §9.4): a change to any measurement
 * or search that can change results must bump it, so that no stale result is served from a cache.
 */
export const CALIBRATION_SOFTWARE_VERSION = '0.5.0';
