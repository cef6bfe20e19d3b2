import type { Connection } from './connection.js';
import { type ConnectionSelection } from './env-selection.js';
import { ConnectionConfigError } from './errors.js';
import { connectWebSocket, type WebSocketOptions } from './websocket-connection.js';
import { ZeroMockConnection } from './zero-mock-connection.js';

/**
 * Opens what `selectConnection` chose, with what every platform has: in-process simulator, zero mock,
 * WebSocket. TCP needs Node: `connectFromEnv` of `@bss2/hxcomm/node` handles it. The in-process entry (and with
 * it chip-sim) is imported only when the simulator is chosen, so remote-only users never load it.
 */
export async function connectSelection(selection: ConnectionSelection, options: WebSocketOptions = {}): Promise<Connection> {
  switch (selection.kind) {
    case 'in-process': {
      const { connectInProcess } = await import('./in-process/index.js');
      return connectInProcess(selection.seed === undefined ? {} : { seed: selection.seed });
    }
    case 'zero-mock':
      return new ZeroMockConnection();
    case 'websocket':
      return connectWebSocket(selection.url, options);
    case 'service':
      throw new ConnectionConfigError(selection.source, `tcp://${selection.host}:${selection.port}`, 'the scheduling service is reached over TCP, which needs Node: use connectFromEnv from @bss2/hxcomm/node');
    case 'tcp':
      throw new ConnectionConfigError(selection.source, `tcp://${selection.host}:${selection.port}`, 'TCP connections need Node: use connectFromEnv from @bss2/hxcomm/node, or a ws:// URL');
  }
}
