// The fast path of the neuron engine in WebAssembly SIMD (f64x2): one call integrates every single-circuit
// linear circuit over one step with its exact propagator, two circuits per vector. Compiled by AssemblyScript
// (`scripts/build-wasm.mjs`) into `src/analog/engine-wasm.generated.ts`; the TypeScript engine (NeuronArray)
// owns the memory layout's meaning and does everything else (events, the exact general path, spikes).
//
// Semantics are those of `createFastPath` (src/analog/fast-path.ts), operation for operation, so both give
// bit-identical states (tested). Memory is laid out once: per-circuit state as structure of arrays (f64, 512
// each, shared with the TypeScript engine through views) and the per-circuit coefficients interleaved per pair
// of circuits, so that one pair's 13 coefficient vectors are 208 contiguous bytes.

// Layout (bytes from BASE). Exported so the TypeScript side reads it from here, not from a copy.
export const BASE: u32 = 65536;
export const CIRCUITS: u32 = 512;
const PAIRS: u32 = CIRCUITS / 2;
const ARRAY_BYTES: u32 = CIRCUITS * 8;
export const MEMBRANE: u32 = BASE;
export const SYNAPTIC_EXC: u32 = BASE + 1 * ARRAY_BYTES;
export const SYNAPTIC_INH: u32 = BASE + 2 * ARRAY_BYTES;
export const PHASE: u32 = BASE + 3 * ARRAY_BYTES;
export const RESET_END: u32 = BASE + 4 * ARRAY_BYTES;
export const REFRACTORY_END: u32 = BASE + 5 * ARRAY_BYTES;
export const NEXT_EVENT: u32 = BASE + 6 * ARRAY_BYTES;
export const COUPLING: u32 = BASE + 7 * ARRAY_BYTES;
export const STEP_MEMBRANE: u32 = BASE + 8 * ARRAY_BYTES;
/** Step input per target `receptor · 512 + circuit`: excitatory then inhibitory, 1024 entries. */
export const STEP_INPUT: u32 = BASE + 9 * ARRAY_BYTES;
/**
 * 1 where a circuit needs the full branch: not a fast-path circuit, not in the free phase, or with queued
 * events (kept by the TypeScript engine); 0 promises a free, fast circuit whose only input is the step input.
 */
export const SPECIAL: u32 = BASE + 11 * ARRAY_BYTES;
export const COEFFICIENTS: u32 = BASE + 12 * ARRAY_BYTES;
/** Coefficient vectors per pair, in this order (each two f64 lanes). */
export const COEFFICIENT_COUNT: u32 = 13;
const PAIR_BYTES: u32 = COEFFICIENT_COUNT * 16;
export const SLEEPING: u32 = COEFFICIENTS + PAIRS * PAIR_BYTES;
export const DEFERRED: u32 = SLEEPING + PAIRS * 4;
export const END: u32 = DEFERRED + CIRCUITS * 4;

// Coefficient slots (byte offsets inside a pair's block).
const DECAY: u32 = 0; // e^{−λh}
const DRIVE: u32 = 16; // constant drive over one step (mV)
const KERNEL_EXC: u32 = 32;
const KERNEL_INH: u32 = 48;
const COUPLING_GAIN: u32 = 64;
const THRESHOLD: u32 = 80;
const DECAY_EXC: u32 = 96;
const DECAY_INH: u32 = 112;
const RESET_DECAY: u32 = 128;
const RESET_DRIVE: u32 = 144;
const RESET_KERNEL_EXC: u32 = 160;
const RESET_KERNEL_INH: u32 = 176;
/** 1 for a fast-path circuit (single-circuit linear node), 0 for the others: never touched here. */
const FAST: u32 = 192;

const FREE: f64 = 0;
const RESET: f64 = 1;
const REFRACTORY: f64 = 2;

/**
 * One step ending at `t1` (ns) for every fast circuit that has no queued event, phase end or threshold
 * crossing in the step; the others are written to DEFERRED (ascending) for the general path, unchanged.
 * `coupled` ≠ 0 adds the coupling currents. `sleep` ≠ 0 lets pairs whose circuits sit exactly at a fixed point
 * (free, no input, state unchanged by the step) be skipped until the TypeScript side wakes them: the skipped
 * step would have changed nothing. Returns the deferred count.
 */
export function step(t1: f64, supply_mV: f64, coupled: i32, sleep: i32): i32 {
  let count: i32 = 0;
  const end = f64x2.splat(t1);
  const supply = f64x2.splat(supply_mV);
  const zero = f64x2.splat(0);
  for (let p: u32 = 0; p < PAIRS; p++) {
    if (sleep != 0 && load<i32>(SLEEPING + (p << 2)) != 0) continue;
    const o = p << 4;
    const c = COEFFICIENTS + p * PAIR_BYTES;
    const v0 = v128.load(MEMBRANE + o);
    const x = v128.load(SYNAPTIC_EXC + o);
    const y = v128.load(SYNAPTIC_INH + o);
    const input = v128.load(STEP_MEMBRANE + o);
    const inputExc = v128.load(STEP_INPUT + o);
    const inputInh = v128.load(STEP_INPUT + ARRAY_BYTES + o);
    // Free and refractory phase: V·P + drive + kE·x + kI·y (+ coupling) + step input, in the fast path's order.
    let vFree = f64x2.add(
      f64x2.add(f64x2.add(f64x2.mul(v0, v128.load(c + DECAY)), v128.load(c + DRIVE)), f64x2.mul(v128.load(c + KERNEL_EXC), x)),
      f64x2.mul(v128.load(c + KERNEL_INH), y),
    );
    if (coupled != 0) vFree = f64x2.add(vFree, f64x2.mul(v128.load(c + COUPLING_GAIN), v128.load(COUPLING + o)));
    vFree = f64x2.add(vFree, input);
    // Without input the sums add +0, which leaves every value as the fast path's product.
    const x1 = f64x2.add(f64x2.mul(x, v128.load(c + DECAY_EXC)), inputExc);
    const y1 = f64x2.add(f64x2.mul(y, v128.load(c + DECAY_INH)), inputInh);
    let defer = f64x2.ge(vFree, v128.load(c + THRESHOLD));
    const special = f64x2.ne(v128.load(SPECIAL + o), zero);

    if (!v128.any_true(v128.or(special, defer))) {
      // The common case: two free fast circuits below threshold.
      const v = f64x2.pmax(f64x2.pmin(vFree, supply), zero);
      v128.store(MEMBRANE + o, v);
      v128.store(SYNAPTIC_EXC + o, x1);
      v128.store(SYNAPTIC_INH + o, y1);
      v128.store(STEP_MEMBRANE + o, zero);
      v128.store(STEP_INPUT + o, zero);
      v128.store(STEP_INPUT + ARRAY_BYTES + o, zero);
      if (sleep != 0) {
        const quiet = v128.and(f64x2.eq(v, v0), v128.and(f64x2.eq(x1, zero), f64x2.eq(y1, zero)));
        if (i64x2.all_true(quiet)) store<i32>(SLEEPING + (p << 2), 1);
      }
      continue;
    }

    // The full branch: phases, queued events, circuits that are not ours.
    const phase = v128.load(PHASE + o);
    const isFree = f64x2.eq(phase, f64x2.splat(FREE));
    const isReset = f64x2.eq(phase, f64x2.splat(RESET));
    const isRefractory = f64x2.eq(phase, f64x2.splat(REFRACTORY));
    const vReset = f64x2.add(
      f64x2.add(f64x2.add(f64x2.mul(v0, v128.load(c + RESET_DECAY)), v128.load(c + RESET_DRIVE)), f64x2.mul(v128.load(c + RESET_KERNEL_EXC), x)),
      f64x2.mul(v128.load(c + RESET_KERNEL_INH), y),
    );
    defer = v128.and(isFree, defer);
    defer = v128.or(defer, f64x2.lt(v128.load(NEXT_EVENT + o), end));
    defer = v128.or(defer, v128.and(isReset, f64x2.lt(v128.load(RESET_END + o), end)));
    defer = v128.or(defer, v128.and(isRefractory, f64x2.lt(v128.load(REFRACTORY_END + o), end)));
    const fast = f64x2.ne(v128.load(c + FAST), zero);
    const commit = v128.andnot(fast, defer);
    if (v128.any_true(commit)) {
      const v = f64x2.pmax(f64x2.pmin(v128.bitselect(vReset, vFree, isReset), supply), zero);
      v128.store(MEMBRANE + o, v128.bitselect(v, v0, commit));
      v128.store(SYNAPTIC_EXC + o, v128.bitselect(x1, x, commit));
      v128.store(SYNAPTIC_INH + o, v128.bitselect(y1, y, commit));
      v128.store(STEP_MEMBRANE + o, v128.bitselect(zero, input, commit));
      v128.store(STEP_INPUT + o, v128.bitselect(zero, inputExc, commit));
      v128.store(STEP_INPUT + ARRAY_BYTES + o, v128.bitselect(zero, inputInh, commit));
    }
    const deferred = v128.and(fast, defer);
    if (v128.any_true(deferred)) {
      if (i64x2.extract_lane(deferred, 0) != 0) {
        store<i32>(DEFERRED + (<u32>count << 2), <i32>(2 * p));
        count++;
      }
      if (i64x2.extract_lane(deferred, 1) != 0) {
        store<i32>(DEFERRED + (<u32>count << 2), <i32>(2 * p + 1));
        count++;
      }
    }
  }
  return count;
}
