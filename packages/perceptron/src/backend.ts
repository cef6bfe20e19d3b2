// Where a MAC runs: on a device (the chip through execution's MacExecutor) or in the mock. Both are a MacDevice
// behind the same summing code; ops take an explicit backend, `mock: true`, or the one set by initHardware.
import { NoBackendError, PerceptronDeviceError, PerceptronValueError } from './errors.js';
import { type MacDevice, type MacOptions, type MacRequest, blockCount } from './device.js';
import { DEFAULT_MOCK_GAIN, OUTPUT_MAX, OUTPUT_MIN } from './limits.js';
import { type MockParameter, mockDevice, mockParameter } from './mock.js';
import { checkRequest, macOptions } from './validate.js';

export interface PerceptronBackend {
  readonly kind: 'chip' | 'mock';
  /** Gain of the linear model gradients flow through (x·W·numSends·gain), output LSB per input·weight LSB. */
  readonly gain: number;
  /** x·W: the device's blocks summed and clamped to int8, batch × columns row-major. `op` names the caller in errors. */
  multiply(request: MacRequest, options: MacOptions, op?: string): Promise<Int8Array>;
}

/** How an op finds its backend: `backend` first, then `mock: true` (the shared mock), then initHardware's. */
export interface BackendOptions {
  readonly backend?: PerceptronBackend;
  readonly mock?: boolean;
}

function backendOf(kind: PerceptronBackend['kind'], device: MacDevice, gain: number): PerceptronBackend {
  return {
    kind,
    gain,
    async multiply(request, options, op = 'multiply') {
      checkRequest(op, request);
      const checked = macOptions(op, options);
      const { blocks } = await device.multiply(request, checked);
      return sumBlocks(op, blocks, request);
    },
  };
}

/** Σ blocks, clamped to int8 (hardware.md §11.2): the sum of two saturated blocks saturates too. */
function sumBlocks(op: string, blocks: unknown, { batch, rows, columns }: MacRequest): Int8Array {
  const expected = blockCount(rows);
  if (!Array.isArray(blocks) || blocks.length !== expected) {
    throw new PerceptronDeviceError(op, 'blocks', blocks, `${expected} block${expected === 1 ? '' : 's'} (one per 128 rows of ${rows})`);
  }
  const size = batch * columns;
  const sums = new Int32Array(size);
  blocks.forEach((block: unknown, k) => {
    if (!(block instanceof Int8Array) || block.length !== size) {
      throw new PerceptronDeviceError(op, `blocks[${k}]`, block, `an Int8Array of batch × columns = ${batch} × ${columns} = ${size}`);
    }
    for (let i = 0; i < size; i++) sums[i]! += block[i]!;
  });
  const out = new Int8Array(size);
  for (let i = 0; i < size; i++) out[i] = Math.min(OUTPUT_MAX, Math.max(OUTPUT_MIN, sums[i]!));
  return out;
}

export interface ChipBackendOptions {
  /** Gain of the gradient model; default the mock's nominal 0.002 (hxtorch uses its mock parameter too). */
  readonly gain?: number;
}

/** The chip (or any MacDevice, e.g. `@bss2/execution`'s MacExecutor) as a backend. */
export function chipBackend(device: MacDevice, { gain = DEFAULT_MOCK_GAIN }: ChipBackendOptions = {}): PerceptronBackend {
  if (typeof (device as Partial<MacDevice> | undefined)?.multiply !== 'function') {
    throw new PerceptronValueError('chipBackend', 'device', device, 'a MacDevice: an object with multiply(request, options)');
  }
  if (!(Number.isFinite(gain) && gain > 0)) throw new PerceptronValueError('chipBackend', 'gain', gain, 'a finite number > 0 (output LSB per input·weight LSB per send)');
  return backendOf('chip', device, gain);
}

/** The mock (hardware.md §11.2): seeded, deterministic per seed and call sequence. */
export function mockBackend(parameter: Partial<MockParameter> = {}): PerceptronBackend {
  const device = mockDevice(mockParameter('mockBackend', parameter));
  return backendOf('mock', device, device.parameter.gain);
}

// hxtorch's process-wide state: the initialised chip and the mock parameter that `mock: true` uses.
let hardware: PerceptronBackend | undefined;
let sharedMock: { parameter: MockParameter; backend: PerceptronBackend } | undefined;

/** Makes `device` the backend of every op called without `backend` or `mock` (hxtorch's `init_hardware`). */
export function initHardware({ device, gain }: { device: MacDevice; gain?: number }): PerceptronBackend {
  hardware = chipBackend(device, gain === undefined ? {} : { gain });
  return hardware;
}

/** Forgets the device of initHardware (hxtorch's `release_hardware`); closing its connection is the caller's. */
export function releaseHardware(): void {
  hardware = undefined;
}

/** Sets the mock that `mock: true` uses (hxtorch's `set_mock_parameter`); it starts afresh from its seed. */
export function setMockParameter(parameter: Partial<MockParameter> = {}): MockParameter {
  const checked = mockParameter('setMockParameter', parameter);
  sharedMock = { parameter: checked, backend: mockBackend(checked) };
  return checked;
}

/** The parameter of the mock `mock: true` uses: gain 0.002, σ 2, seed 0 unless set. */
export function getMockParameter(): MockParameter {
  return sharedMock?.parameter ?? setMockParameter();
}

export function resolveBackend(op: string, { backend, mock }: BackendOptions): PerceptronBackend {
  if (backend !== undefined) return backend;
  if (mock === true) {
    getMockParameter();
    return sharedMock!.backend;
  }
  if (hardware === undefined) throw new NoBackendError(op);
  return hardware;
}
