/** Version of this simulator (the package version), reported in the connection handshake (hardware.md §6.1). */
export const SIMULATOR_VERSION = '0.1.0';
