/**
 * Version of this simulator (the package version), reported in the connection handshake (hardware.md §6.1) and part
 * of every calibration cache key: bump it with every change of the simulated chip's behaviour, or cached
 * calibrations of the old model are served for the new one.
 */
export const SIMULATOR_VERSION = '0.2.0';
