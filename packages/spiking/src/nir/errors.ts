import { SpikingError, describeValue, type SpikingErrorDetails } from '../errors.js';

/** Root of the NIR layer's errors, in the package's hierarchy. */
export class NIRError extends SpikingError {
  override name = 'NIRError';

  constructor(message: string, details: SpikingErrorDetails & { cause?: unknown } = {}) {
    super(message, details);
    if (details.cause !== undefined) this.cause = details.cause;
  }
}

/**
 * A NIR file (or a graph about to be written) breaks a rule of the format. `path` is the place inside the
 * HDF5 file (`/node/nodes/lif/tau_mem`, `/node/edges[2][1]`, attributes as `/nodes/lif@__type__`), `value`
 * what was found there, `rule` what the format requires.
 */
export class NIRFormatError extends NIRError {
  override name = 'NIRFormatError';
  readonly path: string;
  declare readonly rule: string;

  constructor(path: string, value: unknown, rule: string, options: { cause?: unknown } = {}) {
    super(`${path}: ${describeValue(value)} — ${rule}`, { value, rule, ...options });
    this.path = path;
  }
}
