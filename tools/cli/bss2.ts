#!/usr/bin/env -S npx tsx
// The `bss2` command line: `npx tsx tools/cli/bss2.ts <command>` from the repository root.
import { Command, InvalidArgumentError } from 'commander';
import { inventory } from './inventory.js';
import { serve } from './sim-serve.js';

/** commander parser for a whole number in [min, max]. */
function integer(name: string, min: number, max: number): (value: string) => number {
  return (value) => {
    const parsed = /^\d+$/.test(value) ? Number(value) : NaN;
    if (!(parsed >= min && parsed <= max)) throw new InvalidArgumentError(`${name} must be an integer in ${min}..${max}.`);
    return parsed;
  };
}

const program = new Command('bss2').description('tools for the simulated BrainScaleS-2 chip').showHelpAfterError();

const sim = program.command('sim').description('the simulated chip');
sim
  .command('serve')
  .description('serve a simulated chip over TCP (or WebSocket) until SIGINT/SIGTERM (hardware.md §6.2)')
  .requiredOption('--port <n>', 'port to listen on (0: any free port)', integer('port', 0, 65535))
  .option('--host <host>', 'interface to listen on', '127.0.0.1')
  .option('--ws', 'serve WebSocket instead of plain TCP')
  .option('--seed <s>', 'chip seed', integer('seed', 0, 0xffff_ffff), 0)
  .option('--verbose', 'log every client connection and rejection to stderr')
  .action(async (options: { port: number; host: string; ws?: boolean; seed: number; verbose?: boolean }) => {
    await serve({ port: options.port, host: options.host, transport: options.ws === true ? 'ws' : 'tcp', seed: options.seed, verbose: options.verbose === true });
  });

program
  .command('inventory')
  .description('coordinate and container counts of the chip (halco, lola)')
  .action(() => inventory());

await program.parseAsync();
