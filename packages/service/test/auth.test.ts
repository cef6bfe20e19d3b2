import { describe, expect, it } from 'vitest';
import { AuthenticationError, generateServiceKeys, issueToken, verifyToken } from '../src/index.js';

describe('service tokens', () => {
  it('round-trips a user and its expiry', async () => {
    const { publicKey, privateKey } = await generateServiceKeys();
    const token = await issueToken(privateKey, { user: 'alice', expiresIn_s: 60, now_s: 1_000 });
    await expect(verifyToken(publicKey, token, 'test', { now_s: 1_010 })).resolves.toEqual({ user: 'alice', expiresAt_s: 1_060 });
  });

  it('refuses a missing, malformed, foreign-key, expired or tampered token, naming the source', async () => {
    const keys = await generateServiceKeys();
    const other = await generateServiceKeys();
    const now_s = Math.floor(Date.now() / 1000);
    const good = await issueToken(keys.privateKey, { user: 'bob', expiresIn_s: 3600 });
    const cases: Array<[string | undefined, RegExp]> = [
      [undefined, /conn 7: no token given/],
      ['', /no token given/],
      ['not-a-jwt', /malformed token/],
      [await issueToken(other.privateKey, { user: 'bob', expiresIn_s: 3600 }), /bad token signature/],
      [await issueToken(keys.privateKey, { user: 'bob', expiresIn_s: 10, now_s: now_s - 100 }), /token expired/],
      ['x'.repeat(3000), /exceeds the limit of 2048/],
    ];
    const [header, payload, signature] = good.split('.') as [string, string, string];
    const forgedPayload = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), sub: 'mallory' })).toString('base64url');
    cases.push([`${header}.${forgedPayload}.${signature}`, /bad token signature/]);
    for (const [token, message] of cases) {
      const attempt = verifyToken(keys.publicKey, token, 'conn 7');
      await expect(attempt).rejects.toBeInstanceOf(AuthenticationError);
      await expect(attempt).rejects.toThrow(message);
    }
  });

  it('refuses bad user names when issuing', async () => {
    const { privateKey } = await generateServiceKeys();
    for (const user of ['', 'a b', 'x'.repeat(65), 'ünï']) {
      await expect(issueToken(privateKey, { user, expiresIn_s: 60 })).rejects.toThrow(AuthenticationError);
    }
    await expect(issueToken(privateKey, { user: 'ok', expiresIn_s: 0 })).rejects.toThrow(RangeError);
  });
});
