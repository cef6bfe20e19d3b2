import { connect, type Socket } from 'node:net';
import { PROTOCOL_VERSION } from '@bss2/fisch';
import { FrameKind, MAX_INSTRUCTION_PAYLOAD_BYTES, encodeControl, encodeFrame, encodeFrameHeader } from '@bss2/hxcomm';
import { afterEach, describe, expect, it } from 'vitest';
import type { Service } from '../src/node/index.js';
import { connectAs, readValues, startTestService, tokenFor, writeReadProgram } from './service-harness.js';

let service: Service | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await service?.close();
  service = undefined;
});

function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port }, () => resolve(socket));
    socket.on('error', reject);
    sockets.push(socket);
  });
}

function write(socket: Socket, bytes: Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => socket.write(bytes, (error) => (error ? reject(error) : resolve())));
}

/** Everything the server sends until it closes. */
function received(socket: Socket): Promise<Buffer> {
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  return new Promise((resolve) => socket.once('close', () => resolve(Buffer.concat(chunks))));
}

const serverMemory = () => {
  const m = process.memoryUsage();
  return m.arrayBuffers + m.heapUsed;
};

describe('service hardening', () => {
  it('40 connections announcing 32 MiB frames cost memory only for the bytes they send', async () => {
    service = await startTestService({ chips: 1 });
    const { port } = service.address;
    const before = serverMemory();
    const hello = encodeFrame(FrameKind.control, encodeControl({ type: 'hello', protocolVersion: PROTOCOL_VERSION, client: 'test', token: await tokenFor('mallory') }));
    const partial = new Uint8Array(256 * 1024).fill(0xab);
    const connections = await Promise.all(Array.from({ length: 40 }, () => open(port)));
    for (const socket of connections) socket.resume();
    // Authenticated, then a frame announcing a full playback memory of which 256 KiB arrive.
    await Promise.all(
      connections.map(async (socket) => {
        await write(socket, hello);
        await write(socket, encodeFrameHeader(FrameKind.instructions, MAX_INSTRUCTION_PAYLOAD_BYTES));
        await write(socket, partial);
      }),
    );
    // The service keeps answering meanwhile.
    const client = await connectAs(service, 'alice');
    expect(readValues(await client.execute(writeReadProgram(42)))).toEqual([42]);
    await client.close();
    const grown_bytes = serverMemory() - before;
    expect(grown_bytes).toBeLessThan(100 * 2 ** 20);
    // Before the hello, even the header of a non-control frame is refused.
    const early = await open(port);
    const answer = received(early);
    await write(early, encodeFrameHeader(FrameKind.instructions, MAX_INSTRUCTION_PAYLOAD_BYTES));
    expect((await answer).subarray(5).toString()).toMatch(/^FramingError: at byte 0: the first frame must be a hello control message, received a instructions frame header/);
  });

  it('closes 500 idle connections after the idle timeout while a legitimate client keeps being served', async () => {
    service = await startTestService({ chips: 1, handshakeTimeout_ms: 400, idleTimeout_ms: 600 });
    const { port } = service.address;
    const hello = encodeFrame(FrameKind.control, encodeControl({ type: 'hello', protocolVersion: PROTOCOL_VERSION, client: 'idle', token: await tokenFor('idler') }));
    const idle = await Promise.all(Array.from({ length: 500 }, () => open(port)));
    const answers = idle.map(received);
    // Half of them greet and then say nothing; the others never complete a hello (one drips a byte of it).
    await Promise.all(idle.slice(0, 250).map((socket) => write(socket, hello)));
    await write(idle[250]!, hello.subarray(0, 1));
    const client = await connectAs(service, 'alice');
    let served = 0;
    let stop = false;
    const legitimate = (async () => {
      while (!stop) {
        expect(readValues(await client.execute(writeReadProgram(served)))).toEqual([served]);
        served++;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    const texts = (await Promise.all(answers)).map((bytes) => bytes.toString('latin1'));
    stop = true;
    await legitimate;
    expect(texts.filter((t) => t.includes('IdleTimeoutError: no request for 600 ms'))).toHaveLength(250);
    expect(texts.filter((t) => t.includes('IdleTimeoutError: no complete hello within 400 ms'))).toHaveLength(250);
    expect(served).toBeGreaterThan(0);
    expect(client.closed).toBe(false);
    expect(readValues(await client.execute(writeReadProgram(7)))).toEqual([7]);
    await client.close();
  });

  it('refuses connections beyond the cap with a typed error frame', async () => {
    service = await startTestService({ chips: 1, maxConnections: 2 });
    const { port } = service.address;
    const first = await connectAs(service, 'a');
    const second = await connectAs(service, 'b');
    const third = await open(port);
    expect((await received(third)).subarray(5).toString()).toMatch(/^ConnectionRefusedError: the server is at its connection limit, try again later \(at most 2 connections\)/);
    await Promise.all([first.close(), second.close()]);
  });
});
