// setup() without a connection follows the environment (hardware.md §6.3), so an unchanged script runs on a served
// simulator or through the scheduling service; without such variables (and in browsers) it is the built-in chip.
import { ConnectionConfigError, ZeroMockConnection } from '@bss2/hxcomm';
import { describe, expect, it } from 'vitest';
import { BuiltInChip } from '../src/built-in-chip.js';

const chipOptions = { seed: 1, analog: {} };

describe('the default connection', () => {
  it('is the built-in simulated chip when the environment selects nothing, BSS2_CONNECTION=sim, or there is no environment', async () => {
    for (const env of [{}, { BSS2_CONNECTION: 'sim' }, { QUIGGELDY_ENABLED: '0' }, undefined]) {
      const chip = new BuiltInChip(chipOptions, env);
      expect(chip.selection).toBeUndefined();
      const connection = await chip.chip();
      expect(connection.identity.kind).toBe('in-process');
      expect(connection.identity.chipSeed).toBe(1);
      await chip.close();
    }
  });

  it('is what the environment selects otherwise (here the zero mock)', async () => {
    const chip = new BuiltInChip(chipOptions, { HXCOMM_ENABLE_ZERO_MOCK: '1' });
    expect(chip.selection?.kind).toBe('zero-mock');
    expect(await chip.chip()).toBeInstanceOf(ZeroMockConnection);
    await chip.close();
  });

  it('selects the scheduling service from QUIGGELDY_* (user and token included)', () => {
    const chip = new BuiltInChip(chipOptions, { QUIGGELDY_ENABLED: '1', QUIGGELDY_IP: '127.0.0.1', QUIGGELDY_PORT: '5123', QUIGGELDY_USER: 'ada', QUIGGELDY_TOKEN: 'x.y.z' });
    expect(chip.selection).toMatchObject({ kind: 'service', host: '127.0.0.1', port: 5123, user: 'ada', token: 'x.y.z' });
  });

  it('refuses a bad variable when it is constructed (at setup), naming the variable', () => {
    expect(() => new BuiltInChip(chipOptions, { BSS2_CONNECTION: 'carrier-pigeon' })).toThrow(ConnectionConfigError);
    expect(() => new BuiltInChip(chipOptions, { BSS2_CONNECTION: 'carrier-pigeon' })).toThrow(/BSS2_CONNECTION/);
  });
});
