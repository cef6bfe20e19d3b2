import {
  CADC_READS_PER_SWEEP,
  CadcNeuronReadout,
  MAC_ACTIVATION_MAX,
  MAC_COLUMNS,
  MAC_ROWS,
  MAC_WEIGHT_MAX,
  MacCalibrationResult,
  ChipSession,
  appendMacVector,
  macWeightBlock,
  resetProgramTimer,
  waitUntilCycle,
  writeMacWeights,
  type MacTiming,
} from '@bss2/calibration';
import type { Connection } from '@bss2/hxcomm';
import { nominal } from '@bss2/lola';
import { MAX_PROGRAM_SIZE, PlaybackProgramBuilder, generateSystemInit, run } from '@bss2/stadls';
import { CalibrationMismatchError, ExecutorClosedError, RunRequestError } from './errors.js';


/** A matrix multiply on the chip: `inputs` (batch × rows, row-major) times `weights` (rows × columns). */
export interface MacRequest {
  /** 0..31 per entry (5-bit activations, hardware.md §3.6). */
  readonly inputs: Uint8Array;
  /** −63..63 per entry (6-bit magnitude, sign by excitatory / inhibitory row, §11.2). */
  readonly weights: Int8Array;
  readonly batch: number;
  readonly rows: number;
  readonly columns: number;
}

export interface MacRunOptions {
  /** How often each input vector is sent (§11.2 `num_sends`): results scale with it. Default 1. */
  readonly numSends?: number;
  /** FPGA cycles between consecutive events of one block (`wait_between_events`). Default 5 (hxtorch's). */
  readonly waitBetweenEvents?: number;
}

export interface MacResult {
  /** One per 128-row block: batch × columns int8 results of that block (`CADC code − baseline`, clamped). */
  readonly blocks: Int8Array[];
  /** Programs run and wall time spent. */
  readonly programs: number;
  readonly wall_ms: number;
}

export interface MacExecutorOptions {
  readonly connection: Connection;
  /** A MAC calibration of this chip (`calibrateMAC`): integrator mode does not work on an uncalibrated chip. */
  readonly calibration: MacCalibrationResult;
}

/** What `multiply` accepts and gives (the matrix-multiply front end checks the same, so its mock refuses alike). */
export const MAC_NUM_SENDS_MAX = 255;
export const MAC_WAIT_BETWEEN_EVENTS_MIN = 1;
export const MAC_WAIT_BETWEEN_EVENTS_MAX = 1000;
/** hxtorch's default wait between two input events (`wait_between_events`), FPGA cycles. */
export const MAC_DEFAULT_WAIT_BETWEEN_EVENTS = 5;
/** Results are int8: `CADC code − baseline`, clamped. */
export const MAC_OUTPUT_MIN = -128;
export const MAC_OUTPUT_MAX = 127;
/**
 * Instructions one multiply can take at most (reset writes, timer, ≤ 2 per event and send, the CADC sweep), for
 * cutting a batch into programs below the program size limit.
 */
function instructionsPerVector(numSends: number): number {
  return 2 * 128 + 4 + 2 * MAC_ROWS * numSends + 2 * CADC_READS_PER_SWEEP;
}

/**
 * The matrix-multiply mode on one chip (hxtorch.perceptron's hardware path): integrator-mode configuration from
 * a MAC calibration, weights written per 128 × 256 block (two blocks per program, one per hemisphere; only the
 * synapse quads that change), input vectors one multiply each — reset, events, CADC sweep — and results as
 * `code − baseline`. Matrices of any size are cut into 128-row blocks and 256-column passes; the caller sums the
 * blocks (hardware.md §11.2).
 */
export class MacExecutor {
  readonly connection: Connection;
  readonly calibration: MacCalibrationResult;
  private configured = false;
  private closed = false;
  private readonly weights: [Int8Array | undefined, Int8Array | undefined] = [undefined, undefined];

  constructor(options: MacExecutorOptions) {
    const { connection, calibration } = options;
    if (!(calibration instanceof MacCalibrationResult)) {
      throw new CalibrationMismatchError(
        `MacExecutor: calibration = ${describe(calibration)}: integrator mode needs a MAC calibration of this chip (calibrateMAC from @bss2/calibration; a LIF calibration does not configure the drivers' hagen mode)`,
        { parameter: 'calibration', value: describe(calibration) },
      );
    }
    const id = connection.identity;
    const own = calibration.identity;
    if (id.chipSeed !== own.chipSeed || id.simulatorVersion !== own.simulatorVersion) {
      throw new CalibrationMismatchError(
        `MacExecutor: the MAC calibration is of chip seed ${own.chipSeed} (simulator ${own.simulatorVersion}), the connection reaches chip seed ${id.chipSeed} (simulator ${id.simulatorVersion})`,
        { parameter: 'calibration.identity', value: own },
      );
    }
    this.connection = connection;
    this.calibration = calibration;
  }

  /** Multiplies `request.inputs` by `request.weights` block by block; see MacResult. */
  async multiply(request: MacRequest, options: MacRunOptions = {}): Promise<MacResult> {
    if (this.closed) throw new ExecutorClosedError('MacExecutor.multiply');
    const started = now();
    const { batch, rows, columns } = checkRequest(request);
    const numSends = checkInteger('numSends', options.numSends ?? 1, 1, MAC_NUM_SENDS_MAX);
    const waitBetweenEvents = checkInteger('waitBetweenEvents', options.waitBetweenEvents ?? MAC_DEFAULT_WAIT_BETWEEN_EVENTS, MAC_WAIT_BETWEEN_EVENTS_MIN, MAC_WAIT_BETWEEN_EVENTS_MAX);
    const timing: MacTiming = { ...this.calibration.timing, numSends, waitBetweenEvents };
    const blockCount = Math.ceil(rows / MAC_ROWS);
    const passCount = Math.ceil(columns / MAC_COLUMNS);
    const blocks = Array.from({ length: blockCount }, () => new Int8Array(batch * columns));
    // Work units (block, pass), two at a time: one per hemisphere.
    const units: { block: number; pass: number }[] = [];
    for (let block = 0; block < blockCount; block++) for (let pass = 0; pass < passCount; pass++) units.push({ block, pass });
    const perProgram = Math.max(1, Math.floor((MAX_PROGRAM_SIZE - 4096) / instructionsPerVector(numSends)));
    let programs = 0;
    const baseline = this.calibration.target.baseline_lsb;
    for (let u = 0; u < units.length; u += 2) {
      const pair = units.slice(u, u + 2);
      const part = pair.map(({ block, pass }) => {
        const blockRows = Math.min(MAC_ROWS, rows - block * MAC_ROWS);
        const passColumns = Math.min(MAC_COLUMNS, columns - pass * MAC_COLUMNS);
        return { block, pass, blockRows, passColumns, weights: macWeightBlock(request.weights, columns, block * MAC_ROWS, blockRows, pass * MAC_COLUMNS, passColumns) };
      });
      for (let from = 0; from < batch; from += perProgram) {
        const to = Math.min(batch, from + perProgram);
        const builder = this.prepare(part.map((p) => p.weights));
        const tickets = [];
        for (let b = from; b < to; b++) {
          const activations = part.map((p) => request.inputs.subarray(b * rows + p.block * MAC_ROWS, b * rows + p.block * MAC_ROWS + p.blockRows));
          tickets.push(appendMacVector(builder, activations, timing, waitUntilCycle, resetProgramTimer));
        }
        await run(this.connection, builder.done());
        programs++;
        for (let k = 0; k < tickets.length; k++) {
          const codes = CadcNeuronReadout.decode(tickets[k]!);
          const b = from + k;
          part.forEach((p, hemisphere) => {
            const out = blocks[p.block]!;
            const offset = b * columns + p.pass * MAC_COLUMNS;
            for (let c = 0; c < p.passColumns; c++) {
              const value = codes[hemisphere * MAC_COLUMNS + c]! - baseline;
              out[offset + c] = value < MAC_OUTPUT_MIN ? MAC_OUTPUT_MIN : value > MAC_OUTPUT_MAX ? MAC_OUTPUT_MAX : value;
            }
          });
        }
      }
    }
    return { blocks, programs, wall_ms: now() - started };
  }

  /** The executor no longer runs programs (the connection stays the caller's). */
  close(): void {
    this.closed = true;
  }

  /** A builder with what the chip still needs: the integrator-mode configuration once, then changed weights. */
  private prepare(weights: readonly Int8Array[]): PlaybackProgramBuilder {
    const builder = this.configured ? new PlaybackProgramBuilder() : generateSystemInit();
    if (!this.configured) this.calibration.apply(builder);
    for (let hemisphere = 0; hemisphere < 2; hemisphere++) {
      const next = weights[hemisphere] ?? new Int8Array(MAC_ROWS * MAC_COLUMNS);
      writeMacWeights(builder, hemisphere, next, this.weights[hemisphere]);
      this.weights[hemisphere] = next;
    }
    if (!this.configured) ChipSession.wait(builder, nominal.capMemSettle_us);
    this.configured = true;
    return builder;
  }
}

function describe(value: unknown): string {
  if (value === undefined || value === null) return String(value);
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'an object';
  return JSON.stringify(value);
}

function checkInteger(parameter: string, value: number, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new RunRequestError(`MacExecutor.multiply: ${parameter} = ${String(value)}: expected an integer in ${min}..${max}`, { parameter, value, limit: max });
  }
  return value;
}

function checkRequest(request: MacRequest): { batch: number; rows: number; columns: number } {
  const batch = checkInteger('batch', request.batch, 1, Number.MAX_SAFE_INTEGER);
  const rows = checkInteger('rows', request.rows, 1, Number.MAX_SAFE_INTEGER);
  const columns = checkInteger('columns', request.columns, 1, Number.MAX_SAFE_INTEGER);
  if (!(request.inputs instanceof Uint8Array) || request.inputs.length !== batch * rows) {
    throw new RunRequestError(`MacExecutor.multiply: inputs: expected a Uint8Array of batch · rows = ${batch * rows} activations, got ${describeArray(request.inputs)}`, { parameter: 'inputs', value: describeArray(request.inputs) });
  }
  if (!(request.weights instanceof Int8Array) || request.weights.length !== rows * columns) {
    throw new RunRequestError(`MacExecutor.multiply: weights: expected an Int8Array of rows · columns = ${rows * columns} weights, got ${describeArray(request.weights)}`, { parameter: 'weights', value: describeArray(request.weights) });
  }
  for (let k = 0; k < request.inputs.length; k++) {
    const a = request.inputs[k]!;
    if (a > MAC_ACTIVATION_MAX) {
      throw new RunRequestError(`MacExecutor.multiply: inputs[${k}] (entry ${Math.floor(k / rows)}, row ${k % rows}) = ${a}: expected an activation in 0..${MAC_ACTIVATION_MAX} (5 bit, hardware.md §3.6)`, { parameter: 'inputs', index: k, entry: Math.floor(k / rows), value: a, limit: MAC_ACTIVATION_MAX });
    }
  }
  for (let k = 0; k < request.weights.length; k++) {
    const w = request.weights[k]!;
    if (w < -MAC_WEIGHT_MAX || w > MAC_WEIGHT_MAX) {
      throw new RunRequestError(`MacExecutor.multiply: weights[${k}] (row ${Math.floor(k / columns)}, column ${k % columns}) = ${w}: expected a weight in −${MAC_WEIGHT_MAX}..${MAC_WEIGHT_MAX} (6 bit and a sign, hardware.md §11.2)`, { parameter: 'weights', index: k, value: w, limit: MAC_WEIGHT_MAX });
    }
  }
  return { batch, rows, columns };
}

function describeArray(value: unknown): string {
  if (value === undefined || value === null) return String(value);
  const length = (value as { length?: unknown }).length;
  return `${(value as object).constructor?.name ?? typeof value}${typeof length === 'number' ? ` of ${length}` : ''}`;
}

const clock = (globalThis as { performance?: { now(): number } }).performance;
function now(): number {
  return clock === undefined ? Date.now() : clock.now();
}
