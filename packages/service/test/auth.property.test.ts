import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AuthenticationError, generateServiceKeys, issueToken, verifyToken } from '../src/index.js';

const userName = fc.stringMatching(/^[A-Za-z0-9._-]{1,64}$/);

describe('service tokens (properties)', () => {
  it('verify(issue(user)) returns that user for every valid name and lifetime', async () => {
    const { publicKey, privateKey } = await generateServiceKeys();
    await fc.assert(
      fc.asyncProperty(userName, fc.integer({ min: 1, max: 10_000_000 }), fc.integer({ min: 0, max: 2_000_000_000 }), async (user, expiresIn_s, now_s) => {
        const token = await issueToken(privateKey, { user, expiresIn_s, now_s });
        const verified = await verifyToken(publicKey, token, 'property', { now_s });
        expect(verified).toEqual({ user, expiresAt_s: now_s + expiresIn_s });
      }),
      { seed: 1, numRuns: 60 },
    );
  });

  it('any single changed character of a token is refused', async () => {
    const { publicKey, privateKey } = await generateServiceKeys();
    const token = await issueToken(privateKey, { user: 'alice', expiresIn_s: 3600, now_s: 100 });
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: token.length - 1 }), fc.nat({ max: alphabet.length - 1 }), async (index, letter) => {
        fc.pre(token[index] !== '.' && alphabet[letter] !== token[index]);
        const tampered = token.slice(0, index) + alphabet[letter] + token.slice(index + 1);
        // Changing the last base64url character may only flip padding bits that decoders ignore; that is the same token.
        const decodesToSameBytes = (a: string, b: string) => a.split('.').every((part, i) => Buffer.from(part, 'base64url').equals(Buffer.from(b.split('.')[i]!, 'base64url')));
        fc.pre(!decodesToSameBytes(tampered, token));
        await expect(verifyToken(publicKey, tampered, 'property', { now_s: 200 })).rejects.toBeInstanceOf(AuthenticationError);
      }),
      { seed: 1, numRuns: 120 },
    );
  });

  it('a token is refused at and after its expiry', async () => {
    const { publicKey, privateKey } = await generateServiceKeys();
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 0, max: 100_000 }), async (expiresIn_s, late_s) => {
        const token = await issueToken(privateKey, { user: 'u', expiresIn_s, now_s: 1_000 });
        await expect(verifyToken(publicKey, token, 'property', { now_s: 1_000 + expiresIn_s + late_s })).rejects.toThrow(/expired/);
      }),
      { seed: 1, numRuns: 40 },
    );
  });
});
