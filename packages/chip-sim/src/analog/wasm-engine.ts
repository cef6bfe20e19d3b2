import { nominal } from '@bss2/lola';
import { ChipSimArgumentError } from '../errors.js';
import { engineWasmBase64 } from './engine-wasm.generated.js';
import type { FastPathState } from './fast-path.js';
import { NEURON_COUNT } from './variation.js';

// The WebAssembly API as far as it is used here, typed locally: the package compiles against ES2022 alone
// (no DOM or Node types), and the global exists in every runtime the stack targets.
interface WebAssemblyApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number; maximum: number }) => { readonly buffer: ArrayBuffer };
}
const webAssembly = (globalThis as unknown as { WebAssembly?: WebAssemblyApi }).WebAssembly;
const decodeBase64 = (globalThis as unknown as { atob?: (text: string) => string }).atob;

const CIRCUITS = NEURON_COUNT;
/** Coefficient vectors per pair of circuits that a free step reads, and the others (assembly/engine.ts, slot order). */
export const HOT_COEFFICIENTS = 7;
export const COLD_COEFFICIENTS = 6;
/** Bits of a pair's flags word (assembly/engine.ts FLAG_*). */
export const PairFlag = Object.freeze({ special: 3, hasInput: 4, sleeping: 8 });
/** Fan-out entries of the event router: every synapse (512 rows × 256 columns) × 2 receptors. */
export const FAN_OUT_ENTRIES = 2 * nominal.synapseCount;
/** Events one step can sum before further ones take the exact queue (both engines use the same bound). */
export const STEP_LOG_CAPACITY = 1 << 16;
const PAGE_BYTES = 65536;

/** What an engine instance is made for. */
export interface WasmEngineShape {
  /** Entries per kernel table (step / 2 ns + 1), 0 for an engine that takes no input through the accumulators. */
  readonly kernelSize: number;
  /** Whether the memory holds the event router's fan-out table (the chip's main engine). */
  readonly fanOut: boolean;
}

/**
 * One engine instance: its two functions and views of its memory, named as in assembly/engine.ts; the state
 * the fast path works on is the TypeScript fast path's (`FastPathState`).
 */
export interface WasmEngine extends FastPathState {
  readonly step: (t1_ns: number, supply_mV: number, coupled: number, sleep: number) => number;
  readonly deliver: (from: number, to: number, pulse: number, half: number, time_ns: number) => number;
  /** One word per pair of circuits (PairFlag bits). */
  readonly flags: Int32Array;
  readonly coefficients: Float64Array;
  readonly coldCoefficients: Float64Array;
  readonly accumulates: Uint8Array;
  readonly charge_nA: Float64Array;
  readonly kernelMembrane: Float64Array;
  readonly kernelDecay: Float64Array;
  readonly kernelSize: number;
  /** Present when the shape asked for it: the router compiles its fan-out into these. */
  readonly fanTarget: Uint16Array | undefined;
  readonly fanWeight: Float32Array | undefined;
  readonly logTarget: Uint16Array;
  readonly logAmount: Float64Array;
  readonly logTime_ns: Float64Array;
  /** The log's event count, one word shared with the engine. */
  readonly logCount: Uint32Array;
  readonly overflow: Uint32Array;
}

let compiled: object | null | undefined;

/**
 * The compiled engine, or null where this runtime has no WebAssembly SIMD (the TypeScript engine, tested to
 * give identical results, takes over). Compiled once per process, synchronously: the binary is small (≈ 3 kB,
 * within what browsers compile synchronously on any thread).
 */
function engineModule(): object | null {
  if (compiled !== undefined) return compiled;
  compiled = null;
  if (webAssembly === undefined || decodeBase64 === undefined) return compiled;
  const text = decodeBase64(engineWasmBase64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  // validate() is false where SIMD (or any feature the binary uses) is missing.
  if (webAssembly.validate(bytes)) compiled = new webAssembly.Module(bytes);
  return compiled;
}

/** Whether the WebAssembly engine can run here. */
export function wasmEngineAvailable(): boolean {
  return engineModule() !== null;
}

/**
 * The memory layout (the one home of it; assembly/engine.ts reads this table at address 0): region name →
 * [byte offset, element count], every region 16-byte aligned.
 */
function layout(shape: WasmEngineShape): { regions: Map<string, [number, number]>; bytes: number } {
  const regions = new Map<string, [number, number]>();
  let at = 1024;
  const region = (name: string, count: number, elementBytes: number): void => {
    regions.set(name, [at, count]);
    at += Math.ceil((count * elementBytes) / 16) * 16;
  };
  for (const name of ['MEMBRANE', 'SYNAPTIC_EXC', 'SYNAPTIC_INH', 'PHASE', 'RESET_END', 'REFRACTORY_END', 'NEXT_EVENT', 'COUPLING', 'STEP_MEMBRANE']) {
    region(name, CIRCUITS, 8);
  }
  region('STEP_INPUT', 2 * CIRCUITS, 8);
  region('FLAGS', CIRCUITS / 2, 4);
  region('COEFFICIENTS', HOT_COEFFICIENTS * CIRCUITS, 8);
  region('COLD_COEFFICIENTS', COLD_COEFFICIENTS * CIRCUITS, 8);
  region('DEFERRED', CIRCUITS, 4);
  region('ACCUMULATES', CIRCUITS, 1);
  region('CHARGE', 2 * CIRCUITS, 8);
  region('KERNEL_MEMBRANE', 2 * CIRCUITS * shape.kernelSize, 8);
  region('KERNEL_DECAY', 2 * CIRCUITS * shape.kernelSize, 8);
  region('FAN_TARGET', shape.fanOut ? FAN_OUT_ENTRIES : 0, 2);
  region('FAN_WEIGHT', shape.fanOut ? FAN_OUT_ENTRIES : 0, 4);
  const log = shape.kernelSize > 0 ? STEP_LOG_CAPACITY : 0;
  region('LOG_TARGET', log, 2);
  region('LOG_AMOUNT', log, 8);
  region('LOG_TIME', log, 8);
  region('LOG_COUNT', 1, 4);
  region('OVERFLOW', 2 * 256, 4);
  return { regions, bytes: at };
}

/** The order of the table `init` reads (assembly/engine.ts): region addresses, with two plain numbers among them. */
const TABLE = [
  'MEMBRANE', 'SYNAPTIC_EXC', 'SYNAPTIC_INH', 'PHASE', 'RESET_END', 'REFRACTORY_END', 'NEXT_EVENT', 'COUPLING',
  'STEP_MEMBRANE', 'STEP_INPUT', 'FLAGS', 'COEFFICIENTS', 'COLD_COEFFICIENTS', 'DEFERRED', 'ACCUMULATES', 'CHARGE',
  'KERNEL_MEMBRANE', 'KERNEL_DECAY', '#KERNEL_SIZE', 'FAN_TARGET', 'FAN_WEIGHT', 'LOG_TARGET', 'LOG_AMOUNT',
  'LOG_TIME', 'LOG_COUNT', '#LOG_CAPACITY', 'OVERFLOW',
] as const;

/**
 * The engine an option `choice` asks for: a fresh instance, or undefined for the TypeScript engine (asked for,
 * or `'auto'` where WebAssembly SIMD is missing); `'wasm'` without SIMD is refused.
 */
export function engineFor(choice: 'auto' | 'wasm' | 'typescript', shape: WasmEngineShape): WasmEngine | undefined {
  if (choice !== 'auto' && choice !== 'wasm' && choice !== 'typescript') {
    throw new ChipSimArgumentError('engine', choice, "'auto', 'wasm' or 'typescript'");
  }
  const engine = choice === 'typescript' ? undefined : createWasmEngine(shape);
  if (choice === 'wasm' && engine === undefined) throw new ChipSimArgumentError('engine', choice, 'a runtime with WebAssembly SIMD (this one has none)');
  return engine;
}

/** A fresh engine instance with its own memory, or undefined where WebAssembly SIMD is unavailable. */
export function createWasmEngine(shape: WasmEngineShape): WasmEngine | undefined {
  const module = engineModule();
  if (module === null) return undefined;
  const { regions, bytes } = layout(shape);
  const pages = Math.ceil(bytes / PAGE_BYTES);
  const memory = new webAssembly!.Memory({ initial: pages, maximum: pages });
  const buffer = memory.buffer;
  const table = new Uint32Array(buffer, 0, TABLE.length);
  TABLE.forEach((name, i) => {
    if (name === '#KERNEL_SIZE') table[i] = shape.kernelSize;
    else if (name === '#LOG_CAPACITY') table[i] = regions.get('LOG_TARGET')![1];
    else table[i] = regions.get(name)![0];
  });
  const exports = new webAssembly!.Instance(module, { env: { memory } }).exports;
  (exports.init as () => void)();
  const view = <T>(name: string, make: new (buffer: ArrayBuffer, offset: number, length: number) => T): T => {
    const [offset, count] = regions.get(name)!;
    return new make(buffer, offset, count);
  };
  const f64 = (name: string): Float64Array => view(name, Float64Array);
  return {
    step: exports.step as WasmEngine['step'],
    deliver: exports.deliver as WasmEngine['deliver'],
    membrane_mV: f64('MEMBRANE'),
    synapticExc_nA: f64('SYNAPTIC_EXC'),
    synapticInh_nA: f64('SYNAPTIC_INH'),
    phase: f64('PHASE'),
    resetEnd_ns: f64('RESET_END'),
    refractoryEnd_ns: f64('REFRACTORY_END'),
    nextEvent_ns: f64('NEXT_EVENT'),
    couplingCurrent_nA: f64('COUPLING'),
    stepMembrane_mV: f64('STEP_MEMBRANE'),
    stepInput_nA: f64('STEP_INPUT'),
    flags: view('FLAGS', Int32Array),
    coefficients: f64('COEFFICIENTS'),
    coldCoefficients: f64('COLD_COEFFICIENTS'),
    deferred: view('DEFERRED', Int32Array),
    accumulates: view('ACCUMULATES', Uint8Array),
    charge_nA: f64('CHARGE'),
    kernelMembrane: f64('KERNEL_MEMBRANE'),
    kernelDecay: f64('KERNEL_DECAY'),
    kernelSize: shape.kernelSize,
    fanTarget: shape.fanOut ? view('FAN_TARGET', Uint16Array) : undefined,
    fanWeight: shape.fanOut ? view('FAN_WEIGHT', Float32Array) : undefined,
    logTarget: view('LOG_TARGET', Uint16Array),
    logAmount: f64('LOG_AMOUNT'),
    logTime_ns: f64('LOG_TIME'),
    logCount: view('LOG_COUNT', Uint32Array),
    overflow: view('OVERFLOW', Uint32Array),
  };
}
