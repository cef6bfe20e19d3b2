// Batch jobs and sweeps on BullMQ/Redis: the client (ExperimentQueue), chip workers, grids.
export { JobError, JobFailedError, JobNotFoundError, JobOptionError, JobTimeoutError, SweepGridError } from './errors.js';
export { ExperimentQueue, type ExperimentQueueOptions, type JobState, type JobStatus, type SubmitOptions, type SubmittedSweep, type SweepPointInfo, type SweepProgress, type WaitOptions } from './experiment-queue.js';
export { ChipWorker, startChipWorkers, type ChipJobOutcome, type ChipWorkerEvent, type ChipWorkerOptions, type ChipWorkerPool } from './chip-worker.js';
export { DEFAULT_QUEUE_NAME, WORKER_DEFAULTS, type ExperimentJobData, type JobFailure } from './queue-options.js';
export { MAX_SWEEP_POINTS, parseGridPath, parseGridSpec, sweepPoints, type GridAxis, type SweepPoint } from './sweep.js';
export { REDIS_SERVER, RedisServer, freeLoopbackPort, redisServerAvailable } from './redis-server.js';
