// `bss2 service worker --redis URL [--chips N]`: chip workers for the experiment queue, on any machine that
// reaches its Redis; each chip runs one job at a time in a thread of its own. Runs until SIGINT/SIGTERM, then
// finishes the running jobs and exits.
import { type ChipWorkerEvent, startChipWorkers } from '@bss2/service/node';

export interface WorkerCommandOptions {
  readonly redis: string;
  readonly chips: number;
  readonly queue?: string;
  readonly chipSeed?: number;
  readonly lockDuration_ms?: number;
  readonly stalledInterval_ms?: number;
  readonly verbose?: boolean;
}

export async function workerCommand(options: WorkerCommandOptions): Promise<void> {
  const log = (event: ChipWorkerEvent) => {
    if (event.kind === 'error') console.error(`bss2 service worker: ${event.message}`);
    else if (event.kind === 'failed') console.error(`bss2 service worker: ${event.jobId} failed: ${event.name}: ${event.message}`);
    else if (options.verbose === true) console.error(`bss2 service worker: ${event.jobId} ${event.kind}`);
  };
  const pool = await startChipWorkers({
    redis: options.redis,
    chips: options.chips,
    onEvent: log,
    ...(options.queue === undefined ? {} : { queueName: options.queue }),
    ...(options.chipSeed === undefined ? {} : { chipSeed: options.chipSeed }),
    ...(options.lockDuration_ms === undefined ? {} : { lockDuration_ms: options.lockDuration_ms }),
    ...(options.stalledInterval_ms === undefined ? {} : { stalledInterval_ms: options.stalledInterval_ms }),
  });
  console.log(`bss2 service worker: ${options.chips} chip(s) taking jobs from ${options.redis}`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      console.error('bss2 service worker: finishing the running job(s), then stopping');
      void pool.close().then(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
