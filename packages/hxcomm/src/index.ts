export * from './errors.js';
export {
  DEFAULT_TIMEOUT_MS,
  type Connection,
  type ConnectionIdentity,
  type ConnectionKind,
  type ExecuteOptions,
} from './connection.js';
export {
  DEFAULT_MAX_PAYLOAD_BYTES,
  MAX_CONTROL_PAYLOAD_BYTES,
  MAX_ERROR_PAYLOAD_BYTES,
  FRAME_HEADER_BYTES,
  FrameDecoder,
  FrameKind,
  MAX_INSTRUCTION_PAYLOAD_BYTES,
  decodeFrames,
  encodeFrame,
  encodeFrameHeader,
  frameKindName,
  type Frame,
  type FrameDecoderOptions,
} from './frame.js';
export { MAX_TOKEN_CHARS, MAX_USER_CHARS, decodeControl, encodeControl, type ControlMessage, type ControlType } from './control.js';
export { ZeroMockConnection } from './zero-mock-connection.js';
export { RemoteConnection, type ByteTransport, type RemoteOptions, type TransportReceiver } from './remote-connection.js';
export {
  WebSocketConnection,
  connectWebSocket,
  type WebSocketConstructor,
  type WebSocketEventLike,
  type WebSocketLike,
  type WebSocketOptions,
} from './websocket-connection.js';
export { selectConnection, type ConnectionSelection, type Environment } from './env-selection.js';
export { connectSelection } from './connect-selection.js';
