import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { ConnectionConfigError, connectWebSocket, type WebSocketConstructor } from '../src/index.js';
import { serveSimulator, type SimulatorServer } from '../src/node/index.js';
import { writeReadProgram } from './helpers.js';
import { decodeResponses } from '@bss2/fisch';

describe('WebSocketConnection (the browser client)', () => {
  let server: SimulatorServer;
  beforeAll(async () => {
    server = await serveSimulator({ port: 0, transport: 'ws', seed: 8 });
  });
  afterAll(() => server.close());

  it('works in Node when given a WebSocket implementation (here: ws)', async () => {
    const connection = await connectWebSocket(server.address.url, { WebSocket: WebSocket as unknown as WebSocketConstructor });
    expect(connection.identity).toMatchObject({ kind: 'websocket', chipSeed: 8, responseLatency_cycles: server.chip.identity.responseLatency_cycles });
    const responses = decodeResponses(await connection.execute(writeReadProgram(0xabcd)));
    expect(responses.filter((r) => r.kind === 'OmnibusData')).toEqual([{ kind: 'OmnibusData', value: 0xabcd }]);
    await connection.close();
    expect(connection.closed).toBe(true);
  });

  it('without a global WebSocket and none given, says what to do', async () => {
    vi.stubGlobal('WebSocket', undefined);
    await expect(connectWebSocket(server.address.url)).rejects.toThrow(ConnectionConfigError);
    await expect(connectWebSocket(server.address.url)).rejects.toThrow(/no global WebSocket; pass one/);
    vi.unstubAllGlobals();
  });

  it('refuses a URL that is not ws:// or wss://', async () => {
    await expect(connectWebSocket('http://127.0.0.1:1')).rejects.toThrow(/url = "http:\/\/127.0.0.1:1": expected a WebSocket URL/);
  });
});
