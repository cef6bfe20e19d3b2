import { InstructionStream, Loopback, decodeResponses } from '@bss2/fisch';
import { connectTcp, type TcpConnection } from '@bss2/hxcomm/node';
import { generateServiceKeys, issueToken, type ServicePrivateKey, type ServicePublicKey } from '../src/index.js';
import { startService, type Service, type ServiceOptions } from '../src/node/index.js';

/** A 32-bit read-write word: top PPU memory (hardware.md §3.11). */
export const PPU_WORD = 0x0280_0010;

let keys: { publicKey: ServicePublicKey; privateKey: ServicePrivateKey } | undefined;

export async function serviceKeys(): Promise<{ publicKey: ServicePublicKey; privateKey: ServicePrivateKey }> {
  keys ??= await generateServiceKeys();
  return keys;
}

export async function tokenFor(user: string, expiresIn_s = 3600): Promise<string> {
  return issueToken((await serviceKeys()).privateKey, { user, expiresIn_s });
}

export async function startTestService(options: Partial<ServiceOptions> = {}): Promise<Service> {
  return startService({ publicKey: (await serviceKeys()).publicKey, chips: 2, ...options });
}

export async function connectAs(service: Service, user: string): Promise<TcpConnection> {
  return connectTcp(service.address.host, service.address.port, { user, token: await tokenFor(user), timeoutMs: 120_000 });
}

/** Writes `value` to `address` and reads it back. */
export function writeReadProgram(value: number, address = PPU_WORD): Uint8Array {
  return new InstructionStream().omnibusWrite(address, value).omnibusRead(address).loopback(Loopback.halt).toBytes();
}

export function readProgram(address = PPU_WORD): Uint8Array {
  return new InstructionStream().omnibusRead(address).loopback(Loopback.halt).toBytes();
}

/** The values of the OmnibusData responses. */
export function readValues(responses: Uint8Array): number[] {
  return decodeResponses(responses).flatMap((r) => (r.kind === 'OmnibusData' ? [r.value] : []));
}

/** Jain's fairness index of `xs`: 1 when all are equal, 1/n when one gets everything. */
export function jainIndex(xs: readonly number[]): number {
  const sum = xs.reduce((s, x) => s + x, 0);
  const squares = xs.reduce((s, x) => s + x * x, 0);
  return squares === 0 ? 1 : (sum * sum) / (xs.length * squares);
}
