import { SIMULATOR_VERSION, SimulatedChip } from '@bss2/chip-sim';
import { InstructionStream, Loopback, PROTOCOL_VERSION, decodeResponses } from '@bss2/fisch';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ConnectionClosedError,
  ConnectionTimeoutError,
  FrameKind,
  FramingError,
  ProtocolVersionError,
  RemoteError,
  decodeControl,
  decodeFrames,
  encodeControl,
  encodeFrame,
} from '../src/index.js';
import { memoryPair, scriptedServer } from './memory-pair.js';
import { SEED, programArbitrary, writeReadProgram } from './helpers.js';

const identityFrame = (protocolVersion: number) =>
  encodeFrame(FrameKind.control, encodeControl({ type: 'identity', protocolVersion, chipSeed: 5, simulatorVersion: 'x', responseLatency_cycles: 1 }));

describe('handshake', () => {
  it('the client sends its version and receives the chip identity', async () => {
    const { connection, serverWrites } = memoryPair(new SimulatedChip({ seed: 77 }));
    const identity = await connection.handshake();
    const responseLatency_cycles = Math.ceil(100 / 8) + 1;
    expect(identity).toEqual({ protocolVersion: PROTOCOL_VERSION, chipSeed: 77, simulatorVersion: SIMULATOR_VERSION, responseLatency_cycles, kind: 'tcp' });
    expect(connection.identity).toBe(identity);
    const [reply] = decodeFrames(serverWrites[0]!);
    expect(decodeControl(reply!.payload)).toEqual({ type: 'identity', protocolVersion: PROTOCOL_VERSION, chipSeed: 77, simulatorVersion: SIMULATOR_VERSION, responseLatency_cycles });
  });

  it('the identity carries the served chip’s response latency', async () => {
    for (const analogStep_ns of [100, 10]) {
      const chip = new SimulatedChip({ seed: 1, analog: { analogStep_ns } });
      const { connection } = memoryPair(chip);
      expect((await connection.handshake()).responseLatency_cycles).toBe(chip.identity.responseLatency_cycles);
      expect(connection.identity.responseLatency_cycles).toBe(Math.ceil(analogStep_ns / 8) + 1);
    }
  });

  it('a server of another version answers version-mismatch: ProtocolVersionError, connection closed', async () => {
    const { connection, state } = scriptedServer((_chunk, reply) =>
      reply(encodeFrame(FrameKind.control, encodeControl({ type: 'version-mismatch', protocolVersion: PROTOCOL_VERSION + 1, simulatorVersion: '9.9.9' }))),
    );
    const failure = connection.handshake();
    await expect(failure).rejects.toBeInstanceOf(ProtocolVersionError);
    await expect(failure).rejects.toMatchObject({ clientVersion: PROTOCOL_VERSION, serverVersion: PROTOCOL_VERSION + 1, simulatorVersion: '9.9.9' });
    expect(connection.closed).toBe(true);
    expect(state.destroyed).toBe(true);
    await expect(connection.execute(writeReadProgram(1))).rejects.toBeInstanceOf(ConnectionClosedError);
  });

  it('an identity of another version is refused by the client too', async () => {
    const { connection } = scriptedServer((_chunk, reply) => reply(identityFrame(PROTOCOL_VERSION + 3)));
    await expect(connection.handshake()).rejects.toThrow(new RegExp(`speaks protocol version ${PROTOCOL_VERSION + 3} .*this client speaks ${PROTOCOL_VERSION}`));
  });

  it('the server answers a hello of another version with version-mismatch and closes', async () => {
    const { session, serverWrites, rejected } = memoryPair();
    session.data(encodeFrame(FrameKind.control, encodeControl({ type: 'hello', protocolVersion: 999, client: 'old' })));
    const frames = serverWrites.flatMap((w) => decodeFrames(w));
    expect(frames.map((f) => decodeControl(f.payload))).toEqual([{ type: 'version-mismatch', protocolVersion: PROTOCOL_VERSION, simulatorVersion: SIMULATOR_VERSION }]);
    expect(session.closing).toBe(true);
    expect(rejected).toHaveLength(1);
  });

  it('the server refuses anything but a hello as first frame, with an error frame as soon as its header arrives', () => {
    const { session, serverWrites } = memoryPair();
    session.data(encodeFrame(FrameKind.instructions, writeReadProgram(1)));
    const [frame] = decodeFrames(serverWrites[0]!);
    expect(frame!.kind).toBe(FrameKind.error);
    expect(new TextDecoder().decode(frame!.payload)).toMatch(/^FramingError: at byte 0: the first frame must be a hello control message, received a instructions frame header/);
  });
});

describe('requests over the framed protocol', () => {
  it('execute answers exactly what the chip answers, requests pipelined in order', async () => {
    const reference = new SimulatedChip({ seed: 3 });
    const { connection } = memoryPair(new SimulatedChip({ seed: 3 }));
    await connection.handshake();
    await fc.assert(
      fc.asyncProperty(fc.array(programArbitrary(), { minLength: 1, maxLength: 4 }), async (programs) => {
        const answers = await Promise.all(programs.map((p) => connection.execute(p)));
        expect(answers).toEqual(programs.map((p) => reference.execute(p)));
      }),
      { numRuns: 100, seed: SEED },
    );
  });

  it('reset powers the served chip on again, in order with the programs', async () => {
    const chip = new SimulatedChip({ seed: 1 });
    const { connection } = memoryPair(chip);
    await connection.handshake();
    const digest = chip.stateDigest();
    const write = new InstructionStream().omnibusWrite(0x0280_0010, 42).loopback(Loopback.halt).toBytes();
    const [, , after] = await Promise.all([connection.execute(write), connection.reset(), connection.execute(writeReadProgram(7))]);
    expect(decodeResponses(after!).filter((r) => r.kind === 'OmnibusData')).toEqual([{ kind: 'OmnibusData', value: 7 }]);
    await connection.reset();
    expect(chip.stateDigest()).toBe(digest);
  });

  it('a rejected stream fails with RemoteError naming the chip error, then the connection is closed', async () => {
    const chip = new SimulatedChip({ seed: 0 });
    const { connection, rejected } = memoryPair(chip);
    await connection.handshake();
    const digest = chip.stateDigest();
    const bad = Uint8Array.of(...writeReadProgram(1), 0xff, 0, 0, 0, 0, 0, 0, 0);
    const second = connection.execute(writeReadProgram(2));
    const failure = connection.execute(bad);
    await expect(second).resolves.toBeInstanceOf(Uint8Array);
    await expect(failure).rejects.toBeInstanceOf(RemoteError);
    const error = (await failure.catch((e: unknown) => e)) as RemoteError;
    expect(error.remoteName).toBe('InstructionStreamRejectedError');
    expect(error.message).toMatch(/^memory:\/\/server rejected the transfer: InstructionStreamRejectedError: .*at byte 32.*; the connection is closed$/);
    expect(chip.stateDigest()).not.toBe(digest);
    expect(rejected).toHaveLength(1);
    await expect(connection.execute(writeReadProgram(3))).rejects.toThrow(ConnectionClosedError);
    await expect(connection.execute(writeReadProgram(3))).rejects.toThrow(/closed: the server rejected a transfer \(InstructionStreamRejectedError\)/);
  });

  it('a rejected stream leaves the chip untouched', async () => {
    const chip = new SimulatedChip({ seed: 0 });
    const { connection } = memoryPair(chip);
    await connection.handshake();
    const digest = chip.stateDigest();
    await expect(connection.execute(Uint8Array.of(1, 2, 3))).rejects.toBeInstanceOf(RemoteError);
    expect(chip.stateDigest()).toBe(digest);
  });

  it('a timeout fails the call and every other pending one, and closes', async () => {
    let greeted = false;
    const { connection, state } = scriptedServer((_chunk, reply) => {
      if (!greeted) reply(identityFrame(PROTOCOL_VERSION));
      greeted = true;
    });
    await connection.handshake();
    const slow = connection.execute(writeReadProgram(1), { timeoutMs: 20 });
    const other = connection.execute(writeReadProgram(2), { timeoutMs: 5000 });
    const [timedOut, closed] = await Promise.allSettled([slow, other]);
    expect(timedOut).toMatchObject({ status: 'rejected', reason: expect.any(ConnectionTimeoutError) });
    expect((timedOut as PromiseRejectedResult).reason.message).toMatch(
      /^execute\(32 bytes\) on memory:\/\/scripted got no answer within 20 ms; the connection is closed/,
    );
    expect(closed).toMatchObject({ status: 'rejected', reason: expect.any(ConnectionClosedError) });
    expect(state.destroyed).toBe(true);
  });

  it('an answer nobody asked for, or garbage from the server, is a FramingError and closes', async () => {
    let step = 0;
    const { connection } = scriptedServer((_chunk, reply) => {
      if (step++ === 0) reply(identityFrame(PROTOCOL_VERSION));
      else reply(Uint8Array.of(1, 0, 0, 0, 42, 0));
    });
    await connection.handshake();
    await expect(connection.execute(writeReadProgram(1))).rejects.toThrow(FramingError);
    expect(connection.closed).toBe(true);
  });

  it('the server halting fails pending calls with ConnectionClosedError', async () => {
    const { connection, session } = memoryPair();
    await connection.handshake();
    session.halt();
    await expect(connection.execute(writeReadProgram(1))).rejects.toThrow(/the server stopped serving \(halt\)/);
  });

  it('close() says terminate, fails pending calls, and is idempotent', async () => {
    const { connection, session } = memoryPair();
    await connection.handshake();
    const pending = connection.execute(writeReadProgram(1));
    await connection.close();
    await connection.close();
    await expect(pending).rejects.toThrow(/closed by close\(\)/);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(session.closing).toBe(true);
  });

  it('refuses what is not a byte array before sending anything', async () => {
    const { connection } = memoryPair();
    await connection.handshake();
    await expect(connection.execute([1, 2] as unknown as Uint8Array)).rejects.toThrow(TypeError);
    expect(connection.closed).toBe(false);
    await expect(connection.execute(writeReadProgram(1), { timeoutMs: -1 })).rejects.toThrow(/timeoutMs = -1/);
  });
});
