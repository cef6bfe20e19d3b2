/**
 * Token authentication of the service: Ed25519-signed JWTs (alg EdDSA) naming the user in `sub`.
 * Platform-neutral: jose uses WebCrypto, available in Node ≥ 20 and browsers.
 */
import { SignJWT, exportJWK, generateKeyPair, importJWK, jwtVerify, errors as joseErrors } from 'jose';

/** Raised for a missing, malformed, forged, expired or otherwise unacceptable token; the message names the reason and where the token came from. */
export class AuthenticationError extends Error {
  override readonly name = 'AuthenticationError';
}

/** An Ed25519 public key as a JWK (RFC 8037). */
export interface ServicePublicKey {
  readonly kty: 'OKP';
  readonly crv: 'Ed25519';
  readonly x: string;
}

/** An Ed25519 private key as a JWK; it carries its public half. */
export interface ServicePrivateKey extends ServicePublicKey {
  readonly d: string;
}

/** User names: 1 to 64 characters of letters, digits, `.`, `_` and `-` (safe in file names, log lines and metric labels). */
export const USER_NAME_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

/** The `iss` claim of every token the service issues and accepts. */
export const TOKEN_ISSUER = 'bss2-service';

/** Tokens longer than this are refused unread (the hello frame carries at most this many characters). */
export const MAX_TOKEN_CHARS = 2048;

const ALGORITHM = 'EdDSA';
const BASE64URL_PATTERN = /^[A-Za-z0-9_-]+$/;

export async function generateServiceKeys(): Promise<{ publicKey: ServicePublicKey; privateKey: ServicePrivateKey }> {
  const pair = await generateKeyPair(ALGORITHM, { crv: 'Ed25519', extractable: true });
  const privateJwk = await exportJWK(pair.privateKey);
  if (typeof privateJwk.x !== 'string' || typeof privateJwk.d !== 'string') {
    throw new Error('generateServiceKeys: the WebCrypto Ed25519 export lacks x or d');
  }
  const publicKey: ServicePublicKey = { kty: 'OKP', crv: 'Ed25519', x: privateJwk.x };
  return { publicKey, privateKey: { ...publicKey, d: privateJwk.d } };
}

/** Checks that `value` is a JWK of the given kind; `source` names where it came from. Returns it typed. */
export function checkServiceKey(value: unknown, kind: 'public', source: string): ServicePublicKey;
export function checkServiceKey(value: unknown, kind: 'private', source: string): ServicePrivateKey;
export function checkServiceKey(value: unknown, kind: 'public' | 'private', source: string): ServicePublicKey | ServicePrivateKey {
  const fail = (rule: string): never => {
    throw new AuthenticationError(`${source}: not an Ed25519 ${kind} key: ${rule}`);
  };
  if (typeof value !== 'object' || value === null) return fail('expected a JWK object');
  const jwk = value as Record<string, unknown>;
  if (jwk.kty !== 'OKP') return fail(`kty must be "OKP", got ${JSON.stringify(jwk.kty)}`);
  if (jwk.crv !== 'Ed25519') return fail(`crv must be "Ed25519", got ${JSON.stringify(jwk.crv)}`);
  if (typeof jwk.x !== 'string' || !BASE64URL_PATTERN.test(jwk.x) || jwk.x.length !== 43) {
    return fail('x must be 43 base64url characters (32 bytes)');
  }
  if (kind === 'public') return { kty: 'OKP', crv: 'Ed25519', x: jwk.x };
  if (typeof jwk.d !== 'string' || !BASE64URL_PATTERN.test(jwk.d) || jwk.d.length !== 43) {
    return fail('d must be 43 base64url characters (32 bytes)');
  }
  return { kty: 'OKP', crv: 'Ed25519', x: jwk.x, d: jwk.d };
}

function checkUserName(user: unknown, source: string): string {
  if (typeof user !== 'string' || !USER_NAME_PATTERN.test(user)) {
    throw new AuthenticationError(
      `${source}: user name ${JSON.stringify(user)} does not match ${USER_NAME_PATTERN.source} (1..64 of letters, digits, '.', '_', '-')`,
    );
  }
  return user;
}

/** Issues a token for `user`, valid for `expiresIn_s` seconds from `now_s` (default: the current time). */
export async function issueToken(
  privateKey: ServicePrivateKey,
  claims: { user: string; expiresIn_s: number; now_s?: number },
): Promise<string> {
  checkServiceKey(privateKey, 'private', 'issueToken privateKey');
  checkUserName(claims.user, 'issueToken');
  if (!Number.isInteger(claims.expiresIn_s) || claims.expiresIn_s <= 0) {
    throw new RangeError(`issueToken: expiresIn_s must be a positive whole number of seconds, got ${claims.expiresIn_s}`);
  }
  const now_s = claims.now_s ?? Math.floor(Date.now() / 1000);
  if (!Number.isInteger(now_s) || now_s < 0) {
    throw new RangeError(`issueToken: now_s must be a non-negative whole number of seconds, got ${now_s}`);
  }
  const key = await importJWK({ ...privateKey }, ALGORITHM);
  return new SignJWT({})
    .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
    .setSubject(claims.user)
    .setIssuer(TOKEN_ISSUER)
    .setIssuedAt(now_s)
    .setExpirationTime(now_s + claims.expiresIn_s)
    .sign(key);
}

/**
 * Verifies `token` against `publicKey`; returns its user and expiry. `source` names where the token came from
 * (a connection, a variable, an HTTP header) and appears in every error message.
 */
export async function verifyToken(
  publicKey: ServicePublicKey,
  token: string | undefined,
  source: string,
  options: { now_s?: number } = {},
): Promise<{ user: string; expiresAt_s: number }> {
  if (token === undefined || token === '') {
    throw new AuthenticationError(`${source}: no token given (the service requires a token; issue one with 'bss2 service token --user NAME')`);
  }
  if (typeof token !== 'string') throw new AuthenticationError(`${source}: the token must be a string, got ${typeof token}`);
  if (token.length > MAX_TOKEN_CHARS) {
    throw new AuthenticationError(`${source}: token of ${token.length} characters exceeds the limit of ${MAX_TOKEN_CHARS}`);
  }
  if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token)) {
    throw new AuthenticationError(`${source}: malformed token (expected a JWT: three base64url parts separated by '.')`);
  }
  const key = await importJWK({ ...checkServiceKey(publicKey, 'public', 'verifyToken publicKey') }, ALGORITHM);
  let payload: { sub?: unknown; exp?: unknown };
  try {
    const verified = await jwtVerify(token, key, {
      algorithms: [ALGORITHM],
      issuer: TOKEN_ISSUER,
      requiredClaims: ['sub', 'exp'],
      ...(options.now_s === undefined ? {} : { currentDate: new Date(options.now_s * 1000) }),
    });
    payload = verified.payload;
  } catch (error) {
    throw new AuthenticationError(`${source}: ${describeJoseError(error)}`);
  }
  const user = checkUserName(payload.sub, source);
  if (typeof payload.exp !== 'number') throw new AuthenticationError(`${source}: token has no numeric expiry (exp)`);
  return { user, expiresAt_s: payload.exp };
}

function describeJoseError(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'token expired';
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'bad token signature (not issued with this service key)';
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    if (error.claim === 'iss') return `wrong token issuer (expected '${TOKEN_ISSUER}')`;
    return `token claim '${error.claim}' invalid: ${error.reason}`;
  }
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return `token algorithm not allowed (expected ${ALGORITHM})`;
  if (error instanceof joseErrors.JOSEError) return `malformed token (${error.message})`;
  return `token verification failed (${error instanceof Error ? error.message : String(error)})`;
}
