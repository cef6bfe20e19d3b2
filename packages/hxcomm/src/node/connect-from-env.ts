import type { Connection } from '../connection.js';
import { connectSelection } from '../connect-selection.js';
import { selectConnection, type Environment } from '../env-selection.js';
import type { RemoteOptions } from '../remote-connection.js';
import { connectNodeWebSocket } from './node-websocket-connection.js';
import { connectTcp } from './tcp-connection.js';

/**
 * Opens the connection the environment selects (hardware.md §6.3 as adapted by `selectConnection`): by
 * default a new in-process simulator; `BSS2_CONNECTION=tcp://…` or `FLANGE_SIMULATION_RCF_PORT` a served
 * simulator over TCP, `QUIGGELDY_ENABLED` the scheduling service over TCP (user and token in the hello),
 * `BSS2_CONNECTION=ws://…` one over a WebSocket, `HXCOMM_ENABLE_ZERO_MOCK` the zero mock.
 * Invalid or unavailable choices throw `ConnectionConfigError` naming the variable.
 */
export async function connectFromEnv(env: Environment = process.env, options: RemoteOptions = {}): Promise<Connection> {
  const selection = selectConnection(env);
  switch (selection.kind) {
    case 'tcp':
      return connectTcp(selection.host, selection.port, options);
    case 'service':
      // The service authenticates the hello: user and token travel in it (hardware.md §6.4).
      return connectTcp(selection.host, selection.port, {
        ...options,
        ...(selection.user === undefined ? {} : { user: selection.user }),
        ...(selection.token === undefined ? {} : { token: selection.token }),
      });
    case 'websocket':
      return connectNodeWebSocket(selection.url, options);
    default:
      return connectSelection(selection);
  }
}
