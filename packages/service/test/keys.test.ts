import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AuthenticationError, generateServiceKeys, issueToken, verifyToken } from '../src/index.js';
import { defaultServiceKeyPath, readServiceKeyFile, writeServiceKeyFile } from '../src/node/index.js';

const folders: string[] = [];
afterEach(async () => {
  for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
});

describe('service key file', () => {
  it('writes with mode 0600 and reads back a working key pair', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'bss2-keys-'));
    folders.push(folder);
    const path = join(folder, 'nested', 'service-key.json');
    const keys = await generateServiceKeys();
    await writeServiceKeyFile(path, keys);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    const read = await readServiceKeyFile(path);
    expect(read).toEqual(keys);
    const token = await issueToken(read.privateKey, { user: 'carol', expiresIn_s: 60 });
    expect((await verifyToken(keys.publicKey, token, 'file')).user).toBe('carol');
  });

  it('refuses missing, non-JSON and mismatched files with the path in the message', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'bss2-keys-'));
    folders.push(folder);
    const path = join(folder, 'k.json');
    await expect(readServiceKeyFile(path)).rejects.toThrow(/does not exist.*keygen/);
    await writeFile(path, '{nope');
    await expect(readServiceKeyFile(path)).rejects.toThrow(AuthenticationError);
    const a = await generateServiceKeys();
    const b = await generateServiceKeys();
    await writeFile(path, JSON.stringify({ publicKey: a.publicKey, privateKey: b.privateKey }));
    await expect(readServiceKeyFile(path)).rejects.toThrow(/not one key pair/);
    expect(JSON.parse(await readFile(path, 'utf8')).publicKey.x).toBe(a.publicKey.x);
  });

  it('defaults to $BSS2_SERVICE_KEY, else ~/.config/bss2/service-key.json', () => {
    expect(defaultServiceKeyPath({ BSS2_SERVICE_KEY: '/k.json' })).toBe('/k.json');
    expect(defaultServiceKeyPath({})).toMatch(/\.config\/bss2\/service-key\.json$/);
  });
});
