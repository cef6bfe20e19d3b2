import { describe, expect, it } from 'vitest';
import { InProcessConnection } from '../src/in-process/index.js';
import { ConnectionConfigError, ZeroMockConnection, connectSelection, selectConnection, type Environment } from '../src/index.js';

describe('selectConnection (hardware.md §6.3, adapted)', () => {
  it.each<[string, Environment, object]>([
    ['nothing: in-process simulator, chip-sim\'s default seed', {}, { kind: 'in-process', seed: undefined, source: 'default' }],
    ['BSS2_CHIP_SEED', { BSS2_CHIP_SEED: '4294967295' }, { kind: 'in-process', seed: 4294967295 }],
    ['empty values count as unset', { BSS2_CONNECTION: '', HXCOMM_ENABLE_ZERO_MOCK: ' ', BSS2_CHIP_SEED: '' }, { kind: 'in-process', seed: undefined }],
    ['BSS2_CONNECTION=sim', { BSS2_CONNECTION: 'sim', BSS2_CHIP_SEED: '7' }, { kind: 'in-process', seed: 7, source: 'BSS2_CONNECTION' }],
    ['BSS2_CONNECTION=tcp://', { BSS2_CONNECTION: 'tcp://example.org:5000' }, { kind: 'tcp', host: 'example.org', port: 5000 }],
    ['BSS2_CONNECTION=tcp://[::1]', { BSS2_CONNECTION: 'tcp://[::1]:5000' }, { kind: 'tcp', host: '::1', port: 5000 }],
    ['BSS2_CONNECTION=ws://', { BSS2_CONNECTION: 'ws://127.0.0.1:8080/sim' }, { kind: 'websocket', url: 'ws://127.0.0.1:8080/sim' }],
    ['BSS2_CONNECTION outranks the reference variables', { BSS2_CONNECTION: 'sim', HXCOMM_ENABLE_ZERO_MOCK: '1', SLURM_FPGA_IPS: '1.2.3.4' }, { kind: 'in-process' }],
    ['HXCOMM_ENABLE_ZERO_MOCK=1', { HXCOMM_ENABLE_ZERO_MOCK: '1' }, { kind: 'zero-mock' }],
    ['HXCOMM_ENABLE_ZERO_MOCK=0 is off', { HXCOMM_ENABLE_ZERO_MOCK: '0' }, { kind: 'in-process' }],
    ['zero mock wins over the remote simulator', { HXCOMM_ENABLE_ZERO_MOCK: '2', FLANGE_SIMULATION_RCF_PORT: '50001' }, { kind: 'zero-mock' }],
    ['QUIGGELDY_ENABLED=0 is off', { QUIGGELDY_ENABLED: '0' }, { kind: 'in-process' }],
    ['QUIGGELDY_ENABLED: the scheduling service', { QUIGGELDY_ENABLED: '1', QUIGGELDY_PORT: '5100', QUIGGELDY_USER: 'alice', QUIGGELDY_TOKEN: 'a.b.c' }, { kind: 'service', host: '127.0.0.1', port: 5100, user: 'alice', token: 'a.b.c' }],
    ['QUIGGELDY_IP and BSS2_SERVICE_TOKEN', { QUIGGELDY_ENABLED: '1', QUIGGELDY_IP: '10.0.0.2', QUIGGELDY_PORT: '5100', BSS2_SERVICE_TOKEN: 'x.y.z' }, { kind: 'service', host: '10.0.0.2', user: undefined, token: 'x.y.z' }],
    ['the service outranks the served simulator', { QUIGGELDY_ENABLED: '1', QUIGGELDY_PORT: '5100', FLANGE_SIMULATION_RCF_PORT: '50001' }, { kind: 'service' }],
    ['FLANGE_SIMULATION_RCF_PORT', { FLANGE_SIMULATION_RCF_PORT: '50001' }, { kind: 'tcp', host: '127.0.0.1', port: 50001 }],
    ['FLANGE_SIMULATION_RCF_HOST', { FLANGE_SIMULATION_RCF_PORT: '50001', FLANGE_SIMULATION_RCF_HOST: 'sim.local' }, { kind: 'tcp', host: 'sim.local', port: 50001 }],
    ['a host without a port is ignored', { FLANGE_SIMULATION_RCF_HOST: 'sim.local' }, { kind: 'in-process' }],
  ])('%s', (_name, env, expected) => {
    expect(selectConnection(env)).toMatchObject(expected);
  });

  it.each<[string, Environment, RegExp]>([
    ['QUIGGELDY_PORT missing', { QUIGGELDY_ENABLED: '1', QUIGGELDY_IP: '1.2.3.4' }, /^QUIGGELDY_PORT = undefined: QUIGGELDY_ENABLED selects the scheduling service, which needs its TCP port/],
    ['QUIGGELDY_PORT invalid', { QUIGGELDY_ENABLED: '1', QUIGGELDY_PORT: '0' }, /^QUIGGELDY_PORT = "0": expected a TCP port 1..65535/],
    ['QUIGGELDY_IP invalid', { QUIGGELDY_ENABLED: '1', QUIGGELDY_PORT: '5', QUIGGELDY_IP: 'a b' }, /^QUIGGELDY_IP = "a b"/],
    ['QUIGGELDY_USER invalid', { QUIGGELDY_ENABLED: '1', QUIGGELDY_PORT: '5', QUIGGELDY_USER: 'a b' }, /^QUIGGELDY_USER = "a b": expected 1..64 of letters/],
    ['QUIGGELDY_TOKEN invalid', { QUIGGELDY_ENABLED: '1', QUIGGELDY_PORT: '5', QUIGGELDY_TOKEN: 'a b' }, /^QUIGGELDY_TOKEN = "a b…": expected a token/],
    ['BSS2_SERVICE_TOKEN too long', { QUIGGELDY_ENABLED: '1', QUIGGELDY_PORT: '5', BSS2_SERVICE_TOKEN: 'x'.repeat(2049) }, /^BSS2_SERVICE_TOKEN = /],
    ['SLURM_FPGA_IPS', { SLURM_FPGA_IPS: '192.168.4.1' }, /^SLURM_FPGA_IPS = "192.168.4.1": hardware connections are not available in this project/],
    ['BSS2_CONNECTION unknown', { BSS2_CONNECTION: 'udp://h:1' }, /^BSS2_CONNECTION = "udp:\/\/h:1": expected sim, tcp:\/\/host:port or ws:\/\/host:port/],
    ['BSS2_CONNECTION port 0', { BSS2_CONNECTION: 'tcp://h:0' }, /^BSS2_CONNECTION = "tcp:\/\/h:0": expected a TCP port 1..65535/],
    ['BSS2_CONNECTION port missing', { BSS2_CONNECTION: 'tcp://h' }, /^BSS2_CONNECTION = "tcp:\/\/h"/],
    ['BSS2_CONNECTION ws with spaces', { BSS2_CONNECTION: 'ws://a b:1' }, /^BSS2_CONNECTION = "ws:\/\/a b:1": expected a WebSocket URL/],
    ['BSS2_CHIP_SEED negative', { BSS2_CHIP_SEED: '-1' }, /^BSS2_CHIP_SEED = "-1": expected an integer in 0..4294967295/],
    ['BSS2_CHIP_SEED too large', { BSS2_CHIP_SEED: '4294967296' }, /^BSS2_CHIP_SEED = "4294967296"/],
    ['BSS2_CHIP_SEED not a number', { BSS2_CHIP_SEED: '0x10' }, /^BSS2_CHIP_SEED = "0x10"/],
    ['HXCOMM_ENABLE_ZERO_MOCK not an integer', { HXCOMM_ENABLE_ZERO_MOCK: 'yes' }, /^HXCOMM_ENABLE_ZERO_MOCK = "yes": expected an integer \(0 = off/],
    ['FLANGE_SIMULATION_RCF_PORT out of range', { FLANGE_SIMULATION_RCF_PORT: '70000' }, /^FLANGE_SIMULATION_RCF_PORT = "70000": expected a TCP port/],
    ['FLANGE_SIMULATION_RCF_HOST invalid', { FLANGE_SIMULATION_RCF_PORT: '1', FLANGE_SIMULATION_RCF_HOST: 'a/b' }, /^FLANGE_SIMULATION_RCF_HOST = "a\/b"/],
  ])('%s → ConnectionConfigError', (_name, env, message) => {
    expect(() => selectConnection(env)).toThrow(ConnectionConfigError);
    expect(() => selectConnection(env)).toThrow(message);
  });

  it('the platform-neutral opener builds the in-process simulator and the zero mock, and sends TCP to the Node entry', async () => {
    const sim = await connectSelection(selectConnection({ BSS2_CHIP_SEED: '3' }));
    // Loaded on demand from the in-process entry: the same class the entry exports.
    expect(sim).toBeInstanceOf(InProcessConnection);
    expect(sim.identity).toMatchObject({ kind: 'in-process', chipSeed: 3 });
    expect(await connectSelection(selectConnection({ HXCOMM_ENABLE_ZERO_MOCK: '1' }))).toBeInstanceOf(ZeroMockConnection);
    await expect(connectSelection(selectConnection({ FLANGE_SIMULATION_RCF_PORT: '9' }))).rejects.toThrow(/TCP connections need Node/);
  });
});
