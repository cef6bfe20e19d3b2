// Errors of batch jobs and sweeps. Each names the offending value, the rule it breaks and where it came from.

/** Base class of the batch-job errors. */
export class JobError extends Error {
  override name = 'JobError';
}

/** A sweep grid that cannot be applied: a malformed `path=v1,v2` spec, a path missing from the experiment, or a value the experiment schema refuses. */
export class SweepGridError extends JobError {
  override name = 'SweepGridError';
  constructor(
    message: string,
    /** The grid path at fault (`populations[0].parameters.tau_m`), or the spec text when it does not parse. */
    readonly path: string,
  ) {
    super(message);
  }
}

/** No job, result or sweep with this id exists on the queue. */
export class JobNotFoundError extends JobError {
  override name = 'JobNotFoundError';
  constructor(
    readonly id: string,
    what: 'experiment' | 'sweep' = 'experiment',
  ) {
    super(`no ${what} job '${id}' on this queue (never submitted, or its data was removed)`);
  }
}

/** A job ended as a final failure: `failureName` and `failureMessage` are the typed error the run raised (ExperimentError, SetupError, …). */
export class JobFailedError extends JobError {
  override name = 'JobFailedError';
  constructor(
    readonly id: string,
    readonly failureName: string,
    readonly failureMessage: string,
  ) {
    super(`job '${id}' failed: ${failureName}: ${failureMessage}`);
  }
}

/** A wait that ran out before the job finished (the job itself goes on). */
export class JobTimeoutError extends JobError {
  override name = 'JobTimeoutError';
  constructor(
    readonly id: string,
    readonly timeout_ms: number,
  ) {
    super(`job '${id}' has not finished within ${timeout_ms} ms; it stays queued — wait again or check its status`);
  }
}

/** Options of the queue, the workers or a client out of their range (names the option and its source). */
export class JobOptionError extends JobError {
  override name = 'JobOptionError';
}
