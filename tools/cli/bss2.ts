#!/usr/bin/env -S npx tsx
// The `bss2` command line: `npx tsx tools/cli/bss2.ts <command>` from the repository root.
import { DEFAULT_CHIP_SEED } from '@bss2/chip-sim/options';
import { Command, InvalidArgumentError, Option } from 'commander';
import { calibrate, defaultCachePaths } from './calibrate.js';
import { inventory } from './inventory.js';
import { labCommand } from './lab.js';
import { registerServiceCommands } from './service.js';
import { serve } from './sim-serve.js';
import type { TrainYinYangCommandOptions } from './train.js';

/** commander parser for a whole number in [min, max] (no upper limit but the exact integers by default). */
function integer(name: string, min: number, max = Number.MAX_SAFE_INTEGER): (value: string) => number {
  return (value) => {
    const parsed = /^\d+$/.test(value) ? Number(value) : NaN;
    if (!(parsed >= min && parsed <= max)) throw new InvalidArgumentError(`${name} must be an integer ${max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `in ${min}..${max}`}.`);
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
  .option('--seed <s>', 'chip seed', integer('seed', 0, 0xffff_ffff), DEFAULT_CHIP_SEED)
  .option('--verbose', 'log every client connection and rejection to stderr')
  .option('--idle-timeout <s>', 'close connections idle this many seconds (default 300)', integer('idle timeout', 1, 2_147_483))
  .option('--max-connections <n>', 'open connections allowed (default 1024)', integer('max connections', 1, 32_768))
  .option('--allow-origin <origin>', 'a WebSocket Origin allowed (repeatable; * allows all; default: none, non-browser clients only)', (value: string, previous: string[] = []) => [...previous, value])
  .action(async (options: { port: number; host: string; ws?: boolean; seed: number; verbose?: boolean; idleTimeout?: number; maxConnections?: number; allowOrigin?: string[] }) => {
    await serve({
      port: options.port,
      host: options.host,
      transport: options.ws === true ? 'ws' : 'tcp',
      seed: options.seed,
      verbose: options.verbose === true,
      ...(options.idleTimeout === undefined ? {} : { idleTimeout_ms: options.idleTimeout * 1000 }),
      ...(options.maxConnections === undefined ? {} : { maxConnections: options.maxConnections }),
      ...(options.allowOrigin === undefined ? {} : { allowedOrigins: options.allowOrigin }),
    });
  });

const service = registerServiceCommands(program);

program
  .command('calibrate')
  .description('calibrate a chip: its neurons to a LIF target, or integrator (MAC) mode (hardware.md §9); cached by chip and target')
  .addOption(new Option('--mode <mode>', 'lif (spiking neurons) or mac (the matrix-multiply mode: drivers, column gains, baselines)').choices(['lif', 'mac']).default('lif'))
  .option('--preset <name>', 'LIF target preset: spiking or spiking2 (hardware.md §9.3)', 'spiking')
  .option('--target <file>', 'JSON with LIFCalibrationTarget fields overriding the preset (--mode mac: MacCalibrationTarget fields)')
  .option('--seed <s>', 'calibrate an in-process chip with this seed (default: the connection from the environment)', integer('seed', 0, 0xffff_ffff))
  .option('--cache <dirs>', 'cache directories, colon-separated (default: $BSS2_CALIBRATION_CACHE or ~/.cache/bss2/calibration)')
  .option('--no-cache', 'neither read nor write cached results')
  .option('--read-only', 'read cached results, never write them')
  .option('--out <file>', 'write the result as JSON')
  .option('--plot <file>', 'SVG of the before/after distributions', 'calibration.svg')
  .action(async (options: { mode: 'lif' | 'mac'; preset: string; target?: string; seed?: number; cache: string | boolean; readOnly?: boolean; out?: string; plot: string }) => {
    const cache = options.cache === false ? [] : typeof options.cache === 'string' ? options.cache.split(':').filter((d) => d !== '') : defaultCachePaths();
    await calibrate({
      mode: options.mode,
      preset: options.preset,
      cache,
      readOnly: options.readOnly === true,
      plot: options.plot,
      ...(options.target === undefined ? {} : { target: options.target }),
      ...(options.seed === undefined ? {} : { seed: options.seed }),
      ...(options.out === undefined ? {} : { out: options.out }),
    });
  });

program
  .command('run')
  .description('run an experiment file (JSON, test-fixtures/experiments/) on the simulated chip; write results.json, raster.svg, traces.svg')
  .argument('<file>', 'the experiment file')
  .option('--out <dir>', 'directory for the results and plots', '.')
  .addOption(new Option('--calibration <mode>', "override setup.calibration: nominal, or calibrate (measured, disk-cached as for bss2 calibrate)").choices(['nominal', 'calibrate']))
  .option('--seed <n>', 'override setup.seed (Poisson sources, random connectors)', integer('seed', 0, Number.MAX_SAFE_INTEGER))
  .option('--chip-seed <n>', 'override setup.chipSeed (the simulated chip)', integer('chip seed', 0, 0xffff_ffff))
  .action(async (file: string, options: { out: string; calibration?: 'nominal' | 'calibrate'; seed?: number; chipSeed?: number }) => {
    // Loaded on demand: the other commands do not need pynn (and start faster without it).
    const { runCommand } = await import('./run.js');
    process.exitCode = await runCommand({ file, ...options });
  });

const train = program.command('train').description('train spiking networks with the chip in the loop (@bss2/spiking, hardware.md §11.2)');
train
  .command('yinyang')
  .description('train the Yin-Yang classifier; a line per epoch, DIR/yinyang-training.svg of loss and test accuracy per epoch')
  .option('--mock', 'software only: no chip, no calibration')
  .option('--epochs <n>', 'training epochs', integer('epochs', 1), 20)
  .option('--train-samples <n>', 'training samples per epoch (default: the whole training set)', integer('train samples', 1))
  .option('--test-samples <n>', 'test samples evaluated after each epoch (default: the whole test set)', integer('test samples', 1))
  .option('--batch-size <n>', "samples per batch (default: @bss2/spiking's)", integer('batch size', 1))
  .option('--seed <n>', 'weight initialisation and training randomness', integer('seed', 0))
  .addOption(new Option('--chip-seed <n>', 'the simulated chip').argParser(integer('chip seed', 0, 0xffff_ffff)).default(DEFAULT_CHIP_SEED).conflicts('mock'))
  .addOption(new Option('--calibration <mode>', 'calibrate (measured, disk-cached as for bss2 calibrate) or nominal').choices(['calibrate', 'nominal']).default('calibrate').conflicts('mock'))
  .option('--out <dir>', 'directory for yinyang-training.svg', '.')
  .action(async (options: Omit<TrainYinYangCommandOptions, 'mock'> & { mock?: boolean }, command: Command) => {
    // Loaded on demand: tfjs and its wasm backend take a while to load and only this command needs them.
    const { sampleCountIssue, trainYinYangCommand } = await import('./train.js');
    const trainOptions = { ...options, mock: options.mock === true };
    // The data sets' sizes are known once @bss2/spiking is loaded.
    const issue = sampleCountIssue(trainOptions);
    if (issue !== undefined) command.error(`error: ${issue}`);
    process.exitCode = await trainYinYangCommand(trainOptions);
  });

program
  .command('lab')
  .description('serve the browser lab (packages/lab): tutorials and the experiment editor, the whole stack in the page; prints its address first')
  .option('--port <n>', 'port to listen on (0: any free port)', integer('port', 0, 65535), 0)
  .option('--host <host>', 'interface to listen on', '127.0.0.1')
  .action(async (options: { port: number; host: string }) => {
    await labCommand(options);
  });

program
  .command('submit')
  .description('submit an experiment file to a running service (its jobs API), wait, and write the results as bss2 run does')
  .argument('<file>', 'the experiment file')
  .requiredOption('--server <url>', 'the jobs API, e.g. http://127.0.0.1:8080')
  .option('--token <token>', 'a service token (default: $BSS2_SERVICE_TOKEN)')
  .option('--out <dir>', 'directory for the results and plots', '.')
  .action(async (file: string, options: { server: string; token?: string; out: string }) => {
    const { submitCommand } = await import('./submit.js');
    process.exitCode = await submitCommand({ file, ...options });
  });

program
  .command('sweep')
  .description('run an experiment file over a parameter grid: one job per point through the jobs API (or an sbatch job array with --slurm); results per point, summary.json, table and plot')
  .argument('<file>', 'the experiment file')
  .requiredOption('--grid <path=v1,v2,...>', "a grid axis, e.g. 'populations[0].cellParams.tau_m=5,10,20'; repeat for a cartesian product", (value: string, previous: string[] = []) => [...previous, value])
  .option('--server <url>', 'the jobs API, e.g. http://127.0.0.1:8080')
  .option('--token <token>', 'a service token (default: $BSS2_SERVICE_TOKEN)')
  .option('--out <dir>', 'directory for point-N/ folders, summary.json and summary.svg', '.')
  .option('--slurm', 'write point-N.json files and sweep.sbatch (a job array running bss2 run per point) instead of enqueueing')
  .option('--bss2-command <cmd>', 'with --slurm: the bss2 command the array tasks run (default: this checkout\'s CLI)')
  .action(async (file: string, options: { grid: string[]; server?: string; token?: string; out: string; slurm?: boolean; bss2Command?: string }) => {
    const { sweepCommand } = await import('./sweep.js');
    process.exitCode = await sweepCommand({ file, ...options });
  });

service
  .command('worker')
  .description('chip workers for the batch-job queue on Redis (one job at a time per chip, each in its own thread) until SIGINT/SIGTERM')
  .requiredOption('--redis <url>', 'the queue\'s Redis, e.g. redis://127.0.0.1:6379')
  .option('--chips <n>', 'simulated chips in this process', integer('chips', 1, 64), 1)
  .option('--chip-seed <s>', "run every job on a chip of this seed (default: each file's setup.chipSeed)", integer('chip seed', 0, 0xffff_ffff))
  .option('--queue <name>', 'queue name (default: bss2-experiments)')
  .option('--lock-duration-ms <ms>', 'job lock, renewed while a job runs; a dead worker\'s job is retried after it (default 5000)', integer('lock duration', 100, 3_600_000))
  .option('--stalled-interval-ms <ms>', 'how often workers look for jobs of dead workers (default 2500)', integer('stalled interval', 100, 3_600_000))
  .option('--verbose', 'log every job started and finished to stderr')
  .action(async (options: { redis: string; chips: number; chipSeed?: number; queue?: string; lockDurationMs?: number; stalledIntervalMs?: number; verbose?: boolean }) => {
    const { workerCommand } = await import('./worker.js');
    const { lockDurationMs, stalledIntervalMs, ...rest } = options;
    await workerCommand({ ...rest, ...(lockDurationMs === undefined ? {} : { lockDuration_ms: lockDurationMs }), ...(stalledIntervalMs === undefined ? {} : { stalledInterval_ms: stalledIntervalMs }) });
  });

program
  .command('inventory')
  .description('coordinate and container counts of the chip (halco, lola)')
  .action(() => inventory());

await program.parseAsync();
