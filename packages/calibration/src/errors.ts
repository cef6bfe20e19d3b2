// The error hierarchy of calix (hardware.md §9.2): CalibError → CalibNotSuccessful, CalibNotSupported,
// TooFewSamplesError; AlgorithmError → ExcessiveNoiseError; HardwareError. Plus the target checks of §9.3 and
// the result format, which calix leaves to Python's pickling.

/** Root of every error thrown by `@bss2/calibration`. */
export class CalibrationError extends Error {
  override name = 'CalibrationError';
}

/** A closed range with its unit, for messages: `50..160 CADC LSB`. */
export interface AchievableRange {
  readonly min: number;
  readonly max: number;
  readonly unit: string;
}

/**
 * A target the chip cannot reach (hardware.md §9.3), thrown before any measurement. Names the parameter, the
 * value given and the achievable range, or the rule broken (`rule`) when the value is in range but
 * inconsistent with another target.
 */
export class CalibrationTargetError extends CalibrationError {
  override name = 'CalibrationTargetError';
  constructor(
    readonly parameter: string,
    readonly value: unknown,
    readonly range: AchievableRange | undefined,
    readonly rule?: string,
    readonly neuron?: number,
  ) {
    const where = neuron === undefined ? '' : ` (neuron ${neuron})`;
    const shown = typeof value === 'number' ? String(value) : JSON.stringify(value) ?? String(value);
    const expected =
      rule ?? (range === undefined ? 'a valid value' : `a value in ${range.min}..${range.max} ${range.unit} (hardware.md §9.3)`);
    super(`calibration target ${parameter}${where} = ${shown} is not achievable: expected ${expected}`);
  }
}

/** Some instances ended at a range boundary or far from their target (calix CalibNotSuccessful). */
export class CalibrationNotSuccessfulError extends CalibrationError {
  override name = 'CalibrationNotSuccessfulError';
  constructor(
    readonly parameter: string,
    readonly failed: readonly number[],
  ) {
    const shown = failed.slice(0, 16).join(', ') + (failed.length > 16 ? `, … (${failed.length} in all)` : '');
    super(`calibration of ${parameter} failed for ${failed.length} circuit(s): ${shown}`);
  }
}

/** An option combination the calibration does not implement (calix CalibNotSupported). */
export class CalibrationNotSupportedError extends CalibrationError {
  override name = 'CalibrationNotSupportedError';
}

/** A fit or statistic was given fewer samples than it needs (calix TooFewSamplesError). */
export class TooFewSamplesError extends CalibrationError {
  override name = 'TooFewSamplesError';
  constructor(
    readonly what: string,
    readonly given: number,
    readonly needed: number,
  ) {
    super(`${what}: ${given} sample(s) given, at least ${needed} needed`);
  }
}

/** A search or fit was set up wrongly or could not proceed (calix AlgorithmError). */
export class AlgorithmError extends CalibrationError {
  override name = 'AlgorithmError';
}

/** Repeated measurements of the same setting disagree by more than the algorithm tolerates. */
export class ExcessiveNoiseError extends AlgorithmError {
  override name = 'ExcessiveNoiseError';
}

/**
 * The chip answered with data no working circuit produces (calix HardwareError), e.g. every CADC channel
 * reading 0 because the readout is not modelled or not connected.
 */
export class CalibrationHardwareError extends CalibrationError {
  override name = 'CalibrationHardwareError';
}

/** A serialised calibration result (JSON or msgpack) that is malformed or of another format version. */
export class CalibrationResultFormatError extends CalibrationError {
  override name = 'CalibrationResultFormatError';
}
