// Node entry (`@bss2/hxcomm/node`): everything of the platform-neutral core plus what needs Node's sockets.
export * from '../index.js';
export { TcpConnection, connectTcp } from './tcp-connection.js';
export { NodeWebSocketConnection, connectNodeWebSocket } from './node-websocket-connection.js';
export { serveSimulator, type ServeOptions, type ServerAddress, type ServerStatistics, type SimulatorServer } from './serve.js';
export { connectFromEnv } from './connect-from-env.js';
export {
  DEFAULT_HANDSHAKE_TIMEOUT_MS,
  DEFAULT_IDLE_TIMEOUT_MS,
  DEFAULT_MAX_CONNECTIONS,
  MAX_CONNECTIONS_LIMIT,
  isLoopbackHost,
  listenFramed,
  listenerSettings,
  type Listener,
  type ListenerOptions,
  type ListenerSettings,
  type ServedSession,
  type SessionTransport,
} from './listener.js';
