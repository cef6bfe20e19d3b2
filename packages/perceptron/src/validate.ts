// Checks at the boundary of every op: integers in their ranges, shapes that fit, options within their rules.
import { PerceptronShapeError, PerceptronValueError } from './errors.js';
import { DEFAULT_WAIT_BETWEEN_EVENTS, INPUT_MAX, NUM_SENDS_MAX, OUTPUT_MAX, OUTPUT_MIN, WAIT_BETWEEN_EVENTS_MAX, WAIT_BETWEEN_EVENTS_MIN, WEIGHT_MAX } from './limits.js';
import type { MacOptions, MacRequest } from './device.js';

export interface IntegerRule {
  readonly min: number;
  readonly max: number;
  readonly rule: string;
  readonly advice?: string;
}

export const INPUT_RULE: IntegerRule = {
  min: 0,
  max: INPUT_MAX,
  rule: `inputs are integers in 0..${INPUT_MAX} (the 5-bit activation of integrator mode, hardware.md §3.6)`,
  advice: 'quantise with quantizeInputs, or feed convertingRelu outputs',
};

export const WEIGHT_RULE: IntegerRule = {
  min: -WEIGHT_MAX,
  max: WEIGHT_MAX,
  rule: `weights are integers in −${WEIGHT_MAX}..${WEIGHT_MAX} (6-bit synapses, signed by an excitatory/inhibitory row pair)`,
  advice: 'quantise with quantizeWeights',
};

export const INT8_RULE: IntegerRule = {
  min: OUTPUT_MIN,
  max: OUTPUT_MAX,
  rule: `values are integers in ${OUTPUT_MIN}..${OUTPUT_MAX} (int8, the MAC's output range)`,
};

/** `name[i, j, …]` of flat index `k` in a row-major array of `shape`. */
export function elementName(name: string, shape: readonly number[], k: number): string {
  if (shape.length === 0) return name;
  const index = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    const size = shape[d]!;
    index[d] = k % size;
    k = Math.floor(k / size);
  }
  return `${name}[${index.join(', ')}]`;
}

/** Every value an integer in the rule's range; the first offender is named with its index. */
export function checkIntegers(op: string, name: string, values: ArrayLike<number>, shape: readonly number[], { min, max, rule, advice }: IntegerRule): void {
  for (let k = 0; k < values.length; k++) {
    const v = values[k]!;
    if (!(Number.isInteger(v) && v >= min && v <= max)) throw new PerceptronValueError(op, elementName(name, shape, k), v, rule, advice);
  }
}

export function checkRank(op: string, name: string, shape: readonly number[], ranks: readonly number[], meaning: string): void {
  if (!ranks.includes(shape.length)) throw new PerceptronShapeError(op, `${name}.shape`, [...shape], `rank ${ranks.join(' or ')}: ${meaning}`);
}

export function checkPositiveDims(op: string, name: string, shape: readonly number[]): void {
  if (shape.some((d) => d < 1)) throw new PerceptronShapeError(op, `${name}.shape`, [...shape], 'every dimension ≥ 1');
}

export interface MacCallOptions {
  /** How often each input vector is sent, an integer in 1..255 (default 1). */
  readonly numSends?: number;
  /** Wait between input events in FPGA cycles, an integer in 1..1000 (default 5, hxtorch's). */
  readonly waitBetweenEvents?: number;
}

export function macOptions(op: string, options: MacCallOptions): MacOptions {
  const numSends = options.numSends ?? 1;
  const waitBetweenEvents = options.waitBetweenEvents ?? DEFAULT_WAIT_BETWEEN_EVENTS;
  if (!(Number.isSafeInteger(numSends) && numSends >= 1 && numSends <= NUM_SENDS_MAX)) {
    throw new PerceptronValueError(op, 'numSends', numSends, `an integer in 1..${NUM_SENDS_MAX} (sends per input vector)`);
  }
  if (!(Number.isSafeInteger(waitBetweenEvents) && waitBetweenEvents >= WAIT_BETWEEN_EVENTS_MIN && waitBetweenEvents <= WAIT_BETWEEN_EVENTS_MAX)) {
    throw new PerceptronValueError(op, 'waitBetweenEvents', waitBetweenEvents, `an integer in ${WAIT_BETWEEN_EVENTS_MIN}..${WAIT_BETWEEN_EVENTS_MAX} (FPGA cycles between input events)`);
  }
  return { numSends, waitBetweenEvents };
}

/** A positive integer option (a stride, a size). */
export function checkCount(op: string, name: string, value: number, rule = 'an integer ≥ 1'): number {
  if (!(Number.isSafeInteger(value) && value >= 1)) throw new PerceptronValueError(op, name, value, rule);
  return value;
}

/** A device request: sizes, array types and lengths, and every value in its range. */
export function checkRequest(op: string, request: MacRequest): void {
  const { inputs, weights, batch, rows, columns } = request;
  for (const [name, value] of [['batch', batch], ['rows', rows], ['columns', columns]] as const) checkCount(op, name, value);
  if (!(inputs instanceof Uint8Array)) throw new PerceptronShapeError(op, 'inputs', inputs, 'a Uint8Array (batch × rows, row-major)');
  if (!(weights instanceof Int8Array)) throw new PerceptronShapeError(op, 'weights', weights, 'an Int8Array (rows × columns, row-major)');
  if (inputs.length !== batch * rows) throw new PerceptronShapeError(op, 'inputs.length', inputs.length, `batch × rows = ${batch} × ${rows} = ${batch * rows}`);
  if (weights.length !== rows * columns) throw new PerceptronShapeError(op, 'weights.length', weights.length, `rows × columns = ${rows} × ${columns} = ${rows * columns}`);
  checkIntegers(op, 'inputs', inputs, [batch, rows], INPUT_RULE);
  checkIntegers(op, 'weights', weights, [rows, columns], WEIGHT_RULE);
}
