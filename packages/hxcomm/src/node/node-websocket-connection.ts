import WebSocket from 'ws';
import type { RemoteOptions } from '../remote-connection.js';
import { FRAME_HEADER_BYTES, DEFAULT_MAX_PAYLOAD_BYTES } from '../frame.js';
import { openWebSocket, WebSocketConnection, type WebSocketConstructor } from '../websocket-connection.js';

/** A served simulator over a WebSocket from Node, with the `ws` package (Node 20 has no global WebSocket). */
export class NodeWebSocketConnection extends WebSocketConnection {}

/** Connects, performs the handshake and resolves with the open connection. */
export function connectNodeWebSocket(url: string, options: RemoteOptions = {}): Promise<NodeWebSocketConnection> {
  const maxPayload = (options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES) + FRAME_HEADER_BYTES;
  // ws compresses by default; instruction words gain little from it and a 32 MiB program would pay dearly.
  class BoundedWebSocket extends WebSocket {
    constructor(address: string) {
      super(address, { maxPayload, perMessageDeflate: false });
    }
  }
  return openWebSocket(
    url,
    { ...options, WebSocket: BoundedWebSocket as unknown as WebSocketConstructor },
    (transport, endpoint, remoteOptions) => new NodeWebSocketConnection(transport, endpoint, 'websocket', remoteOptions),
  );
}
