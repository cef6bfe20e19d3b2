import { SimulatedChip } from '@bss2/chip-sim';
import { RemoteConnection, type ByteTransport } from '../src/index.js';
import { SimulatorSession, type SessionEvents } from '../src/node/simulator-session.js';
import { MAX_INSTRUCTION_PAYLOAD_BYTES } from '../src/frame.js';

/** Delivers on a later microtask, as a socket would, so that no call re-enters its caller. */
function later(fn: () => void): void {
  queueMicrotask(fn);
}

/**
 * A client connection wired to a server session in memory, without sockets: the protocol on both ends,
 * nothing else. `serverWrites` records every chunk the session sent.
 */
export function memoryPair(chip = new SimulatedChip({ seed: 0 }), options: { timeoutMs?: number } = {}) {
  const rejected: Error[] = [];
  const serverWrites: Uint8Array[] = [];
  let serverOpen = true;
  let clientOpen = true;
  const events: SessionEvents = { served: () => {}, rejected: (_c, e) => rejected.push(e) };
  const session = new SimulatorSession(
    chip,
    {
      write(chunks) {
        if (!serverOpen) return;
        for (const c of chunks) {
          const copy = c.slice();
          serverWrites.push(copy);
          later(() => clientOpen && connection.receiver.data(copy));
        }
      },
      end() {
        serverOpen = false;
        later(() => {
          if (clientOpen) connection.receiver.closed('server ended');
          clientOpen = false;
        });
      },
    },
    'memory',
    MAX_INSTRUCTION_PAYLOAD_BYTES,
    events,
  );
  const transport: ByteTransport = {
    write(chunks) {
      if (!clientOpen) return;
      for (const c of chunks) {
        const copy = c.slice();
        later(() => serverOpen && session.data(copy));
      }
    },
    async end() {
      clientOpen = false;
      later(() => session.ended());
    },
    destroy() {
      clientOpen = false;
      later(() => session.closed());
    },
  };
  const connection: RemoteConnection = new RemoteConnection(transport, 'memory://server', 'tcp', options);
  return { connection, session, chip, rejected, serverWrites };
}

/** A client whose server is a script: `answer` sees each chunk the client sends and may reply. */
export function scriptedServer(answer: (chunk: Uint8Array, reply: (bytes: Uint8Array) => void) => void, options: { timeoutMs?: number } = {}) {
  const state = { destroyed: false, ended: false };
  const reply = (bytes: Uint8Array) => later(() => connection.receiver.data(bytes));
  const transport: ByteTransport = {
    write(chunks) {
      for (const c of chunks) answer(c.slice(), reply);
    },
    async end() {
      state.ended = true;
    },
    destroy() {
      state.destroyed = true;
    },
  };
  const connection: RemoteConnection = new RemoteConnection(transport, 'memory://scripted', 'tcp', options);
  return { connection, state };
}
