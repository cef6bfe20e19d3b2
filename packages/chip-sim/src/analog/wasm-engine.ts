import { engineWasmBase64 } from './engine-wasm.generated.js';

// The WebAssembly API as far as it is used here, typed locally: the package compiles against ES2022 alone
// (no DOM or Node types), and the global exists in every runtime the stack targets.
interface WebAssemblyApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: Record<string, unknown> };
}
const webAssembly = (globalThis as unknown as { WebAssembly?: WebAssemblyApi }).WebAssembly;
const decodeBase64 = (globalThis as unknown as { atob?: (text: string) => string }).atob;

/** Views of one engine instance's memory, named as in assembly/engine.ts. */
export interface WasmEngine {
  readonly step: (t1_ns: number, supply_mV: number, coupled: number, sleep: number) => number;
  readonly membrane_mV: Float64Array;
  readonly synapticExc_nA: Float64Array;
  readonly synapticInh_nA: Float64Array;
  readonly phase: Float64Array;
  readonly resetEnd_ns: Float64Array;
  readonly refractoryEnd_ns: Float64Array;
  readonly nextEvent_ns: Float64Array;
  readonly couplingCurrent_nA: Float64Array;
  readonly stepMembrane_mV: Float64Array;
  readonly stepInput_nA: Float64Array;
  /** 1 where a circuit needs the engine's full branch (see assembly/engine.ts SPECIAL). */
  readonly special: Float64Array;
  /** Per pair of circuits, COEFFICIENT_COUNT vectors of two lanes (see assembly/engine.ts). */
  readonly coefficients: Float64Array;
  readonly coefficientCount: number;
  readonly sleeping: Int32Array;
  readonly deferred: Int32Array;
}

let compiled: object | null | undefined;

/**
 * The compiled engine, or null where this runtime has no WebAssembly SIMD (the TypeScript fast path, tested to
 * give identical results, takes over). Compiled once per process, synchronously: the binary is small (≈ 1.5 kB,
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

/** A fresh engine instance (its own memory), or undefined where WebAssembly SIMD is unavailable. */
export function createWasmEngine(): WasmEngine | undefined {
  const module = engineModule();
  if (module === null) return undefined;
  const exports = new webAssembly!.Instance(module, {}).exports;
  const at = (name: string): number => (exports[name] as { value: number }).value;
  const buffer = (exports.memory as { buffer: ArrayBuffer }).buffer;
  const step = exports.step as WasmEngine['step'];
  const circuits = at('CIRCUITS');
  const f64 = (name: string, length = circuits): Float64Array => new Float64Array(buffer, at(name), length);
  const coefficientCount = at('COEFFICIENT_COUNT');
  return {
    step,
    membrane_mV: f64('MEMBRANE'),
    synapticExc_nA: f64('SYNAPTIC_EXC'),
    synapticInh_nA: f64('SYNAPTIC_INH'),
    phase: f64('PHASE'),
    resetEnd_ns: f64('RESET_END'),
    refractoryEnd_ns: f64('REFRACTORY_END'),
    nextEvent_ns: f64('NEXT_EVENT'),
    couplingCurrent_nA: f64('COUPLING'),
    stepMembrane_mV: f64('STEP_MEMBRANE'),
    stepInput_nA: f64('STEP_INPUT', 2 * circuits),
    special: f64('SPECIAL'),
    coefficients: f64('COEFFICIENTS', coefficientCount * circuits),
    coefficientCount,
    sleeping: new Int32Array(buffer, at('SLEEPING'), circuits / 2),
    deferred: new Int32Array(buffer, at('DEFERRED'), circuits),
  };
}
