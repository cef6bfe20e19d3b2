// `bss2 sim serve`: one simulated chip for every client, until SIGINT/SIGTERM.
import { serveSimulator } from '@bss2/hxcomm/node';

export interface ServeCommandOptions {
  port: number;
  host: string;
  transport: 'tcp' | 'ws';
  seed: number;
  verbose: boolean;
  idleTimeout_ms?: number;
  maxConnections?: number;
  allowedOrigins?: string[];
}

export async function serve(options: ServeCommandOptions): Promise<void> {
  const server = await serveSimulator({
    host: options.host,
    port: options.port,
    transport: options.transport,
    seed: options.seed,
    ...(options.idleTimeout_ms === undefined ? {} : { idleTimeout_ms: options.idleTimeout_ms }),
    ...(options.maxConnections === undefined ? {} : { maxConnections: options.maxConnections }),
    ...(options.allowedOrigins === undefined ? {} : { allowedOrigins: options.allowedOrigins }),
    // Warnings (a non-loopback host) always; client events with --verbose.
    log: (line: string) => {
      if (options.verbose || line.startsWith('warning:')) console.error(line);
    },
  });
  const { chipSeed, simulatorVersion, protocolVersion } = server.chip.identity;
  // First line: the address alone, so scripts can read it (`--port 0` picks a free port).
  console.log(server.address.url);
  console.log(`serving simulated chip seed ${chipSeed} (simulator ${simulatorVersion}, protocol ${protocolVersion})`);
  console.log(`clients: BSS2_CONNECTION=${server.address.url}`);
  await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  }).then(async (signal) => {
    const { programs, rejectedClients, connections } = server.statistics;
    console.error(`${signal}: stopping after ${programs} programs over ${connections} connections (${rejectedClients} clients rejected)`);
    await server.close();
  });
}
