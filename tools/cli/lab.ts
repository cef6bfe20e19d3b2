// `bss2 lab`: serves the built browser lab (packages/lab, dist/site) on a local port until SIGINT/SIGTERM.
import { serveSite } from '@bss2/lab/node';

export interface LabCommandOptions {
  readonly port: number;
  readonly host: string;
}

export async function labCommand(options: LabCommandOptions): Promise<void> {
  const site = await serveSite({ port: options.port, host: options.host });
  // First line: the address alone, so scripts can read it (`--port 0` picks a free port).
  console.log(site.url);
  console.log('the bss2 lab: open the address above in a browser; the whole stack runs in the page (Ctrl-C stops the server)');
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  console.error(`${signal}: stopping the lab server`);
  await site.close();
}
