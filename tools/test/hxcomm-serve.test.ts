// The served simulator end to end over loopback (hardware.md §6.1, §6.2; architecture.md "Errors"):
// TCP and WebSocket servers on 127.0.0.1, real clients, garbage clients, lost clients, timeouts.
import { SimulatedChip } from '@bss2/chip-sim';
import { InstructionStream, Loopback, PROTOCOL_VERSION, decodeResponses } from '@bss2/fisch';
import {
  ConnectionClosedError,
  ConnectionTimeoutError,
  FrameDecoder,
  FrameKind,
  RemoteError,
  decodeFrames,
  encodeControl,
  encodeFrame,
  encodeFrameHeader,
  type Connection,
} from '@bss2/hxcomm';
import { connectInProcess } from '@bss2/hxcomm/in-process';
import { connectFromEnv, connectNodeWebSocket, connectTcp, serveSimulator, type SimulatorServer } from '@bss2/hxcomm/node';
import { TimerOnDLS } from '@bss2/halco';
import { Timer } from '@bss2/lola';
import { PlaybackProgramBuilder, run, type PlaybackExecutor } from '@bss2/stadls';
import { once } from 'node:events';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { Random, helloFrame, knownProgram, validProgram } from '../fuzz/fuzz-inputs.js';
import { runServeFuzz } from '../fuzz/serve-fuzz.js';

const servers: SimulatorServer[] = [];
const rawServers: Server[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  await Promise.all(rawServers.map((s) => new Promise((resolve) => s.close(resolve))));
});

async function serve(transport: 'tcp' | 'ws', seed = 0): Promise<SimulatorServer> {
  const server = await serveSimulator({ host: '127.0.0.1', port: 0, transport, seed });
  servers.push(server);
  return server;
}

function client(server: SimulatorServer, timeoutMs = 10_000): Promise<Connection> {
  return server.address.transport === 'tcp'
    ? connectTcp('127.0.0.1', server.address.port, { timeoutMs })
    : connectNodeWebSocket(server.address.url, { timeoutMs });
}

function readBack(responses: Uint8Array): number[] {
  return decodeResponses(responses).flatMap((r) => (r.kind === 'OmnibusData' ? [r.value] : []));
}

/** Sends raw bytes, optionally half-closes, and collects what the server sends until it closes. */
function rawExchange(port: number, bytes: Uint8Array, { end = true } = {}): Promise<Uint8Array> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => {});
    socket.on('close', () => resolve(new Uint8Array(Buffer.concat(chunks))));
    if (end) socket.end(bytes);
    else socket.write(bytes);
  });
}

describe.each(['tcp', 'ws'] as const)('served simulator over %s', (transport) => {
  it('answers every program with exactly the bytes of the in-process simulator', async () => {
    const server = await serve(transport, 21);
    const connection = await client(server);
    expect(connection.identity).toMatchObject({ chipSeed: 21, protocolVersion: PROTOCOL_VERSION, kind: transport === 'tcp' ? 'tcp' : 'websocket' });
    const local = connectInProcess({ seed: 21 });
    expect(connection.identity).toEqual({ ...local.identity, kind: connection.identity.kind });
    const random = new Random(7);
    for (let i = 0; i < 40; i++) {
      const program = validProgram(random);
      expect(await connection.execute(program)).toEqual(await local.execute(program));
    }
    const pipelined = Array.from({ length: 10 }, () => validProgram(random));
    const answers = await Promise.all(pipelined.map((p) => connection.execute(p)));
    for (const [i, p] of pipelined.entries()) expect(answers[i]).toEqual(await local.execute(p));
    expect(server.chip.stateDigest()).toBe(local.chip.stateDigest());
    await connection.close();
  });

  it.each([100, 10])('reports the response latency of the served chip (analog step %i ns)', async (analogStep_ns) => {
    const server = await serveSimulator({ host: '127.0.0.1', port: 0, transport, chip: new SimulatedChip({ seed: 2, analog: { analogStep_ns } }) });
    servers.push(server);
    const connection = await client(server);
    expect(connection.identity.responseLatency_cycles).toBe(server.chip.identity.responseLatency_cycles);
    expect(connection.identity.responseLatency_cycles).toBe(Math.ceil(analogStep_ns / 8) + 1);
    expect(connection.identity.responseLatency_cycles).toBe(connectInProcess({ seed: 2, analog: { analogStep_ns } }).identity.responseLatency_cycles);
    await connection.close();
  });

  it('a client with a bad instruction stream gets RemoteError; the chip is untouched; others are served', async () => {
    const server = await serve(transport);
    const bystander = await client(server);
    const culprit = await client(server);
    await bystander.execute(knownProgram(1));
    const digest = server.chip.stateDigest();
    const bad = Uint8Array.of(...knownProgram(5), 0x80, 0, 0, 0, 0, 0, 0, 0);
    const error = (await culprit.execute(bad).catch((e: unknown) => e)) as RemoteError;
    expect(error).toBeInstanceOf(RemoteError);
    expect(error.remoteName).toBe('InstructionStreamRejectedError');
    expect(error.remoteMessage).toMatch(/at byte 32/);
    expect(server.chip.stateDigest()).toBe(digest);
    await expect(culprit.execute(knownProgram(5))).rejects.toBeInstanceOf(ConnectionClosedError);
    expect(readBack(await bystander.execute(knownProgram(0xcafe_f00d)))).toEqual([0xcafe_f00d]);
    const fresh = await client(server);
    expect(readBack(await fresh.execute(knownProgram(3)))).toEqual([3]);
    await Promise.all([bystander.close(), fresh.close()]);
  });
});

describe('garbage and lost clients (TCP)', () => {
  it('garbage gets one error frame and a disconnect; the next client is served correctly', async () => {
    const server = await serve('tcp');
    const digest = server.chip.stateDigest();
    const cases: [Uint8Array, RegExp][] = [
      [Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8, 9), /^FramingError: at byte 4: frame kind 5 is unknown/],
      [Uint8Array.from([...helloFrame(), 0xff, 0xff, 0xff, 0xff, 0x00]), /announces 4294967295 payload bytes, more than the limit of 33554432/],
      [Uint8Array.from([...helloFrame(), ...encodeFrame(FrameKind.responses, new Uint8Array(8))]), /a client does not send responses frames/],
      [encodeFrame(FrameKind.instructions, knownProgram(1)), /the first frame must be a hello control message/],
    ];
    for (const [garbage, message] of cases) {
      const frames = decodeFrames(await rawExchange(server.address.port, garbage));
      const greeted = garbage[4] === FrameKind.control;
      expect(frames.map((f) => f.kind)).toEqual(greeted ? [FrameKind.control, FrameKind.error] : [FrameKind.error]);
      expect(new TextDecoder().decode(frames.at(-1)!.payload)).toMatch(message);
    }
    expect(server.chip.stateDigest()).toBe(digest);
    const next = await client(server);
    expect(readBack(await next.execute(knownProgram(77)))).toEqual([77]);
    await next.close();
    expect(server.statistics.rejectedClients).toBe(4);
  });

  it('a client that disconnects mid-program does not disturb the server or the chip', async () => {
    const server = await serve('tcp');
    const bystander = await client(server);
    const digest = server.chip.stateDigest();
    const program = knownProgram(9);
    // Half a frame, then the socket is destroyed.
    await new Promise<void>((resolve) => {
      const socket: Socket = connect({ host: '127.0.0.1', port: server.address.port }, () => {
        socket.write(helloFrame());
        socket.write(encodeFrameHeader(FrameKind.instructions, program.length));
        socket.write(program.subarray(0, 12), () => {
          socket.destroy();
          resolve();
        });
      });
    });
    // A complete program, then gone before the answer is read.
    await new Promise<void>((resolve) => {
      const socket: Socket = connect({ host: '127.0.0.1', port: server.address.port }, () => {
        socket.write(Uint8Array.from([...helloFrame(), ...encodeFrame(FrameKind.instructions, knownProgram(10))]), () => {
          socket.resetAndDestroy();
          resolve();
        });
      });
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(readBack(await bystander.execute(knownProgram(11)))).toEqual([11]);
    expect(server.chip.stateDigest()).not.toBe(digest);
    const fresh = await client(server);
    expect(readBack(await fresh.execute(knownProgram(12)))).toEqual([12]);
    await Promise.all([bystander.close(), fresh.close()]);
  });

  it('a client that does not read its answers is no longer read from, then served in full', async () => {
    const server = await serve('tcp');
    const reads = new InstructionStream();
    for (let i = 0; i < 20_000; i++) reads.omnibusRead(0x0280_0000 + (i % 4096));
    const program = reads.loopback(Loopback.halt).toBytes();
    const programs = 60;
    const socket = connect({ host: '127.0.0.1', port: server.address.port });
    await once(socket, 'connect');
    socket.pause();
    socket.write(helloFrame());
    for (let i = 0; i < programs; i++) socket.write(encodeFrame(FrameKind.instructions, program));
    // Wait until the server stops making progress: 60 answers of 160 kB do not fit the socket buffers, so
    // it must stall before the last program (without back-pressure it would buffer them all and finish).
    let last = -1;
    for (let stable = 0, polls = 0; stable < 4 && polls < 100; polls++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      stable = server.statistics.programs === last ? stable + 1 : 0;
      last = server.statistics.programs;
    }
    expect(last).toBeLessThan(programs);
    const decoder = new FrameDecoder();
    let answers = 0;
    socket.on('data', (chunk: Buffer) => {
      answers += decoder.push(chunk).filter((f) => f.kind === FrameKind.responses).length;
      if (answers === programs) socket.end();
    });
    socket.resume();
    await once(socket, 'close');
    expect(answers).toBe(programs);
    expect(server.statistics.programs).toBe(programs);
  });

  it('a truncated frame at the end of the stream gets an error frame naming it', async () => {
    const server = await serve('tcp');
    const bytes = Uint8Array.from([...helloFrame(), ...encodeFrameHeader(FrameKind.instructions, 16), 1, 2, 3]);
    const frames = decodeFrames(await rawExchange(server.address.port, bytes));
    expect(new TextDecoder().decode(frames.at(-1)!.payload)).toMatch(/ended inside a frame: expected 16 payload bytes, received 3/);
  });
});

/** A TCP server that completes the handshake and then answers nothing (or closes on the first program). */
async function silentServer(behaviour: 'silent' | 'hang-up' | 'mute'): Promise<number> {
  const identity = encodeFrame(FrameKind.control, encodeControl({ type: 'identity', protocolVersion: PROTOCOL_VERSION, chipSeed: 0, simulatorVersion: 'test', responseLatency_cycles: 0 }));
  const server = createServer((socket) => {
    let greeted = false;
    socket.on('error', () => {});
    socket.on('data', () => {
      if (behaviour === 'mute') return;
      if (!greeted) socket.write(identity);
      else if (behaviour === 'hang-up') socket.destroy();
      greeted = true;
    });
  });
  rawServers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

describe('timeouts and closed peers', () => {
  it('no answer within timeoutMs: ConnectionTimeoutError, then the connection is closed', async () => {
    const port = await silentServer('silent');
    const connection = await connectTcp('127.0.0.1', port, { timeoutMs: 5000 });
    const error = (await connection.execute(knownProgram(1), { timeoutMs: 50 }).catch((e: unknown) => e)) as ConnectionTimeoutError;
    expect(error).toBeInstanceOf(ConnectionTimeoutError);
    expect(error.message).toMatch(/^execute\(32 bytes\) on tcp:\/\/127\.0\.0\.1:\d+ got no answer within 50 ms; the connection is closed/);
    expect(connection.closed).toBe(true);
    await expect(connection.execute(knownProgram(1))).rejects.toThrow(/is closed: execute\(32 bytes\) timed out after 50 ms/);
  });

  it('no handshake answer: ConnectionTimeoutError from connectTcp', async () => {
    const port = await silentServer('mute');
    await expect(connectTcp('127.0.0.1', port, { timeoutMs: 50 })).rejects.toThrow(/the handshake on tcp:\/\/127\.0\.0\.1:\d+ got no answer within 50 ms/);
  });

  it('the peer closes with a program pending: ConnectionClosedError', async () => {
    const port = await silentServer('hang-up');
    const connection = await connectTcp('127.0.0.1', port);
    await expect(connection.execute(knownProgram(1))).rejects.toThrow(ConnectionClosedError);
    await expect(connection.execute(knownProgram(1))).rejects.toThrow(/the peer closed the connection/);
  });

  it('nobody listening: ConnectionClosedError naming the refusal', async () => {
    const port = await silentServer('silent');
    await new Promise((resolve) => rawServers.pop()!.close(resolve));
    await expect(connectTcp('127.0.0.1', port)).rejects.toThrow(/could not connect \(ECONNREFUSED\)/);
  });

  it.each(['tcp', 'ws'] as const)('a %s server that stops tells its clients (halt)', async (transport) => {
    const server = await serveSimulator({ port: 0, transport });
    const connection = await client(server);
    await server.close();
    await expect(connection.execute(knownProgram(1))).rejects.toThrow(/the server stopped serving \(halt\)|the peer closed the connection/);
  });
});

describe('selection from the environment with served simulators', () => {
  it('BSS2_CONNECTION and FLANGE_SIMULATION_RCF_PORT reach the served chip', async () => {
    const tcp = await serve('tcp', 31);
    const ws = await serve('ws', 32);
    const viaUrl = await connectFromEnv({ BSS2_CONNECTION: tcp.address.url });
    const viaFlange = await connectFromEnv({ FLANGE_SIMULATION_RCF_PORT: String(tcp.address.port) });
    const viaWs = await connectFromEnv({ BSS2_CONNECTION: ws.address.url });
    expect([viaUrl.identity, viaFlange.identity, viaWs.identity].map((i) => [i.kind, i.chipSeed])).toEqual([
      ['tcp', 31],
      ['tcp', 31],
      ['websocket', 32],
    ]);
    const inProcess = await connectFromEnv({});
    expect(inProcess.identity.kind).toBe('in-process');
    await Promise.all([viaUrl.close(), viaFlange.close(), viaWs.close()]);
  });
});

describe('stadls programs over a served chip', () => {
  it('a connection is a PlaybackExecutor: run() fills tickets over TCP as in-process', async () => {
    const server = await serve('tcp', 4);
    const connection: PlaybackExecutor = await client(server);
    const builder = new PlaybackProgramBuilder();
    builder.write(new TimerOnDLS(0), new Timer());
    const ticket = builder.read(new TimerOnDLS(0), Timer);
    const program = builder.done();
    const result = await run(connection, program);
    expect(result.instructionsSent).toBe(3);
    expect(ticket.valid).toBe(true);
    const reference = new SimulatedChip({ seed: 4 });
    const bytes = new InstructionStream().timingSetup().omnibusRead(Timer.addresses(new TimerOnDLS(0))[0]!).loopback(Loopback.halt).toBytes();
    expect(readBack(reference.execute(bytes))).toEqual([...ticket.words]);
    await (connection as Connection).close();
  });
});

describe('serve fuzz, seeded subset', () => {
  it('300 cases: every case answered with a typed result, chip untouched by rejected clients, known program intact', async () => {
    const summary = await runServeFuzz({ cases: 300, seed: 0x5e4e, caseTimeoutMs: 5000 });
    expect(summary.firstFailures).toEqual([]);
    expect(summary.failures).toBe(0);
    expect(summary.outcomes['rejected']).toBeGreaterThan(100);
    expect(summary.outcomes['answered']).toBeGreaterThan(5);
    expect(summary.knownProgramChecks).toBeGreaterThan(100);
    expect(summary.chipUntouchedChecks).toBeGreaterThan(100);
  });
});
