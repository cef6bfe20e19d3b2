// The lab's errors: every one names the value, the rule it breaks and where it came from (page, control).

/** Base of the lab's errors. */
export class LabError extends Error {
  override name = 'LabError';
}

/** A control value outside its range or choices, or a control the page does not have. */
export class LabParameterError extends LabError {
  override name = 'LabParameterError';
  constructor(
    readonly page: string,
    readonly control: string,
    readonly value: unknown,
    readonly rule: string,
  ) {
    super(`page '${page}', control '${control}': ${JSON.stringify(value) ?? String(value)} — ${rule}`);
  }
}

/** A request the worker cannot serve (unknown message type, malformed experiment description). */
export class LabRequestError extends LabError {
  override name = 'LabRequestError';
}
