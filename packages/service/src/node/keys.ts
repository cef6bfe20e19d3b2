/** The service's key file: the Ed25519 key pair as JSON `{ publicKey, privateKey }`, written with mode 0600. */
import { mkdir, readFile, rename, writeFile, chmod } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { AuthenticationError, checkServiceKey } from '../auth.js';
import type { ServicePrivateKey, ServicePublicKey } from '../auth.js';

export interface ServiceKeys {
  readonly publicKey: ServicePublicKey;
  readonly privateKey: ServicePrivateKey;
}

/** `$BSS2_SERVICE_KEY` if set, else `~/.config/bss2/service-key.json`. */
export function defaultServiceKeyPath(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.BSS2_SERVICE_KEY;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  return join(homedir(), '.config', 'bss2', 'service-key.json');
}

export async function readServiceKeyFile(path: string): Promise<ServiceKeys> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new AuthenticationError(
      code === 'ENOENT'
        ? `service key file ${path} does not exist (create it with 'bss2 service keygen --key ${path}')`
        : `service key file ${path} cannot be read: ${(error as Error).message}`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new AuthenticationError(`service key file ${path} is not JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null) {
    throw new AuthenticationError(`service key file ${path}: expected an object { publicKey, privateKey }`);
  }
  const record = parsed as Record<string, unknown>;
  const publicKey = checkServiceKey(record.publicKey, 'public', `service key file ${path} publicKey`);
  const privateKey = checkServiceKey(record.privateKey, 'private', `service key file ${path} privateKey`);
  if (privateKey.x !== publicKey.x) {
    throw new AuthenticationError(`service key file ${path}: publicKey.x differs from privateKey.x (not one key pair)`);
  }
  return { publicKey, privateKey };
}

/** Writes the key pair atomically (temporary file in the same folder, then rename), readable only by its owner. */
export async function writeServiceKeyFile(path: string, keys: ServiceKeys): Promise<void> {
  const publicKey = checkServiceKey(keys.publicKey, 'public', 'writeServiceKeyFile publicKey');
  const privateKey = checkServiceKey(keys.privateKey, 'private', 'writeServiceKeyFile privateKey');
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(temporary, `${JSON.stringify({ publicKey, privateKey }, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  await chmod(temporary, 0o600);
  await rename(temporary, path);
}
