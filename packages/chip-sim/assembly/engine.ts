// The neuron engine's hot loops in WebAssembly SIMD, compiled by AssemblyScript (`scripts/build-wasm.mjs`)
// into `src/analog/engine-wasm.generated.ts`:
// - `step`: one step of every single-circuit linear circuit with its exact propagator, two circuits per f64x2
//   vector (the semantics of `createFastPath` in src/analog/fast-path.ts, operation for operation);
// - `deliver`: one synapse row event scattered into the dense per-step accumulators through the exact kernel
//   tables (the semantics of NeuronArray `queueSynapticInputs`).
// Both give bit-identical states to their TypeScript counterparts (tested). The TypeScript engine (NeuronArray)
// does everything else (queued events, the exact general path, spikes) on the same memory through views.
// Memory: per-circuit state as structure of arrays (f64, 512 each) and the per-circuit coefficients
// interleaved per pair of circuits: the 7 a free step reads in 112 contiguous bytes, the rest apart, so that a
// step streams as little as it can (the whole step's data no longer fits L1 when every coefficient is read).

// Where everything lives: byte addresses in the imported memory, set once by `init` from the table the
// TypeScript side (src/analog/wasm-engine.ts, the one home of the layout) writes at address 0.
let MEMBRANE: u32 = 0;
let SYNAPTIC_EXC: u32 = 0;
let SYNAPTIC_INH: u32 = 0;
let PHASE: u32 = 0;
let RESET_END: u32 = 0;
let REFRACTORY_END: u32 = 0;
let NEXT_EVENT: u32 = 0;
let COUPLING: u32 = 0;
let STEP_MEMBRANE: u32 = 0;
/** Step input per target `receptor · 512 + circuit`: excitatory then inhibitory. */
let STEP_INPUT: u32 = 0;
/**
 * One i32 per pair of circuits (see FLAG_*): which lanes need the full branch, whether the pair has step input,
 * whether it sleeps. Kept by both sides: the TypeScript engine sets SPECIAL_* and clears SLEEPING, `deliver`
 * sets HAS_INPUT, `step` clears HAS_INPUT and sets SLEEPING.
 */
let FLAGS: u32 = 0;
/** Per pair of circuits, HOT_COUNT vectors of two lanes: what the free-phase step reads (112 bytes a pair). */
let COEFFICIENTS: u32 = 0;
/** Per pair, COLD_COUNT vectors: what only the full branch reads. */
let COLD_COEFFICIENTS: u32 = 0;
let DEFERRED: u32 = 0;
/** u8 per circuit: 1 where its input is summed into the step accumulators. */
let ACCUMULATES: u32 = 0;
/** Event charge per target (nA per unit amount), 0 where the input is disabled. */
let CHARGE: u32 = 0;
/** Entry `k · 1024 + target`: the membrane response and the integrator decay of an event s = 2k ns before the step end. */
let KERNEL_MEMBRANE: u32 = 0;
let KERNEL_DECAY: u32 = 0;
let KERNEL_SIZE: u32 = 0;
/** The event router's compiled fan-out: u16 target and f32 weight per entry. */
let FAN_TARGET: u32 = 0;
let FAN_WEIGHT: u32 = 0;
/** The step's event log: u16 target, f64 amount, f64 time per event; u32 count at LOG_COUNT. */
let LOG_TARGET: u32 = 0;
let LOG_AMOUNT: u32 = 0;
let LOG_TIME: u32 = 0;
let LOG_COUNT: u32 = 0;
let LOG_CAPACITY: u32 = 0;
/** Fan-out entries `deliver` leaves to the TypeScript side (u32 each). */
let OVERFLOW: u32 = 0;

const CIRCUITS: u32 = 512;
const CIRCUIT_MASK: u32 = CIRCUITS - 1;
const PAIRS: u32 = CIRCUITS / 2;
const ARRAY_BYTES: u32 = CIRCUITS * 8;
const HOT_COUNT: u32 = 7;
const COLD_COUNT: u32 = 6;
const HOT_BYTES: u32 = HOT_COUNT * 16;
const COLD_BYTES: u32 = COLD_COUNT * 16;
/**
 * Bits of a pair's FLAGS: lane 0 / lane 1 needs the full branch (not a fast-path circuit, not in the free
 * phase, or with queued events); the pair has step input; the pair sleeps (exactly at rest, skipped).
 */
const FLAG_SPECIAL: i32 = 3;
const FLAG_HAS_INPUT: i32 = 4;
const FLAG_SLEEPING: i32 = 8;

/** Reads the layout table (u32 words at address 0, in the order of the globals above). */
export function init(): void {
  MEMBRANE = load<u32>(0);
  SYNAPTIC_EXC = load<u32>(4);
  SYNAPTIC_INH = load<u32>(8);
  PHASE = load<u32>(12);
  RESET_END = load<u32>(16);
  REFRACTORY_END = load<u32>(20);
  NEXT_EVENT = load<u32>(24);
  COUPLING = load<u32>(28);
  STEP_MEMBRANE = load<u32>(32);
  STEP_INPUT = load<u32>(36);
  FLAGS = load<u32>(40);
  COEFFICIENTS = load<u32>(44);
  COLD_COEFFICIENTS = load<u32>(48);
  DEFERRED = load<u32>(52);
  ACCUMULATES = load<u32>(56);
  CHARGE = load<u32>(60);
  KERNEL_MEMBRANE = load<u32>(64);
  KERNEL_DECAY = load<u32>(68);
  KERNEL_SIZE = load<u32>(72);
  FAN_TARGET = load<u32>(76);
  FAN_WEIGHT = load<u32>(80);
  LOG_TARGET = load<u32>(84);
  LOG_AMOUNT = load<u32>(88);
  LOG_TIME = load<u32>(92);
  LOG_COUNT = load<u32>(96);
  LOG_CAPACITY = load<u32>(100);
  OVERFLOW = load<u32>(104);
}

// Coefficient slots (byte offsets inside a pair's hot block).
const DECAY: u32 = 0; // e^{−λh}
const DRIVE: u32 = 16; // constant drive over one step (mV)
const KERNEL_EXC: u32 = 32;
const KERNEL_INH: u32 = 48;
const THRESHOLD: u32 = 64;
const DECAY_EXC: u32 = 80;
const DECAY_INH: u32 = 96;
// … and in its cold block.
const COUPLING_GAIN: u32 = 0;
const RESET_DECAY: u32 = 16;
const RESET_DRIVE: u32 = 32;
const RESET_KERNEL_EXC: u32 = 48;
const RESET_KERNEL_INH: u32 = 64;
/** 1 for a fast-path circuit (single-circuit linear node), 0 for the others: never touched here. */
const FAST: u32 = 80;

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
  // Mutable globals are memory loads in the compiled loop: read each once.
  const flagsBase = FLAGS;
  const membrane = MEMBRANE;
  const synapticExc = SYNAPTIC_EXC;
  const synapticInh = SYNAPTIC_INH;
  const stepMembrane = STEP_MEMBRANE;
  const stepInput = STEP_INPUT;
  const hot = COEFFICIENTS;
  const coldBase = COLD_COEFFICIENTS;
  const coupling = COUPLING;
  for (let p: u32 = 0; p < PAIRS; p++) {
    const flagsAt = flagsBase + (p << 2);
    const flags = load<i32>(flagsAt);
    if (sleep != 0 && (flags & FLAG_SLEEPING) != 0) continue;
    const o = p << 4;
    const c = hot + p * HOT_BYTES;
    const cold = coldBase + p * COLD_BYTES;
    const v0 = v128.load(membrane + o);
    const x = v128.load(synapticExc + o);
    const y = v128.load(synapticInh + o);
    // Without input the sums below add +0, which leaves every value as the fast path's product.
    let input = zero;
    let inputExc = zero;
    let inputInh = zero;
    if ((flags & FLAG_HAS_INPUT) != 0) {
      input = v128.load(stepMembrane + o);
      inputExc = v128.load(stepInput + o);
      inputInh = v128.load(stepInput + ARRAY_BYTES + o);
    }
    // Free and refractory phase: V·P + drive + kE·x + kI·y (+ coupling) + step input, in the fast path's order.
    let vFree = f64x2.add(
      f64x2.add(f64x2.add(f64x2.mul(v0, v128.load(c + DECAY)), v128.load(c + DRIVE)), f64x2.mul(v128.load(c + KERNEL_EXC), x)),
      f64x2.mul(v128.load(c + KERNEL_INH), y),
    );
    if (coupled != 0) vFree = f64x2.add(vFree, f64x2.mul(v128.load(cold + COUPLING_GAIN), v128.load(coupling + o)));
    vFree = f64x2.add(vFree, input);
    const x1 = f64x2.add(f64x2.mul(x, v128.load(c + DECAY_EXC)), inputExc);
    const y1 = f64x2.add(f64x2.mul(y, v128.load(c + DECAY_INH)), inputInh);
    let defer = f64x2.ge(vFree, v128.load(c + THRESHOLD));

    if ((flags & FLAG_SPECIAL) == 0 && !v128.any_true(defer)) {
      // The common case: two free fast circuits below threshold.
      const v = f64x2.pmax(f64x2.pmin(vFree, supply), zero);
      v128.store(membrane + o, v);
      v128.store(synapticExc + o, x1);
      v128.store(synapticInh + o, y1);
      let next = flags;
      if ((flags & FLAG_HAS_INPUT) != 0) {
        v128.store(stepMembrane + o, zero);
        v128.store(stepInput + o, zero);
        v128.store(stepInput + ARRAY_BYTES + o, zero);
        next &= ~FLAG_HAS_INPUT;
      }
      if (sleep != 0) {
        const quiet = v128.and(f64x2.eq(v, v0), v128.and(f64x2.eq(x1, zero), f64x2.eq(y1, zero)));
        if (i64x2.all_true(quiet)) next |= FLAG_SLEEPING;
      }
      if (next != flags) store<i32>(flagsAt, next);
      continue;
    }

    // The full branch: phases, queued events, circuits that are not ours.
    const phase = v128.load(PHASE + o);
    const isFree = f64x2.eq(phase, f64x2.splat(FREE));
    const isReset = f64x2.eq(phase, f64x2.splat(RESET));
    const isRefractory = f64x2.eq(phase, f64x2.splat(REFRACTORY));
    const vReset = f64x2.add(
      f64x2.add(f64x2.add(f64x2.mul(v0, v128.load(cold + RESET_DECAY)), v128.load(cold + RESET_DRIVE)), f64x2.mul(v128.load(cold + RESET_KERNEL_EXC), x)),
      f64x2.mul(v128.load(cold + RESET_KERNEL_INH), y),
    );
    defer = v128.and(isFree, defer);
    defer = v128.or(defer, f64x2.lt(v128.load(NEXT_EVENT + o), end));
    defer = v128.or(defer, v128.and(isReset, f64x2.lt(v128.load(RESET_END + o), end)));
    defer = v128.or(defer, v128.and(isRefractory, f64x2.lt(v128.load(REFRACTORY_END + o), end)));
    const fast = f64x2.ne(v128.load(cold + FAST), zero);
    const commit = v128.andnot(fast, defer);
    if (v128.any_true(commit)) {
      const v = f64x2.pmax(f64x2.pmin(v128.bitselect(vReset, vFree, isReset), supply), zero);
      v128.store(membrane + o, v128.bitselect(v, v0, commit));
      v128.store(synapticExc + o, v128.bitselect(x1, x, commit));
      v128.store(synapticInh + o, v128.bitselect(y1, y, commit));
      if ((flags & FLAG_HAS_INPUT) != 0) {
        // A deferred lane keeps its input for the general path (which clears it); the flag stays until then.
        v128.store(stepMembrane + o, v128.bitselect(zero, input, commit));
        v128.store(stepInput + o, v128.bitselect(zero, inputExc, commit));
        v128.store(stepInput + ARRAY_BYTES + o, v128.bitselect(zero, inputInh, commit));
      }
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

/**
 * One synapse row event: fan-out entries [from, to) of the router's table, amount `weight · pulse`, at `time`
 * (ns), `half` = (step end − time) / 2 ns. Each entry whose circuit sums its input is added to the step
 * accumulators through the kernel tables and logged; the others (a circuit that is not a fast one, has queued
 * events or is in its reset phase, or a full log) are written to OVERFLOW for the TypeScript side to queue.
 * The arithmetic is `queueSynapticInputs`' in the same order. Returns the overflow count.
 */
export function deliver(from: u32, to: u32, pulse: f64, half: u32, time: f64): i32 {
  let overflow: u32 = 0;
  let n = load<u32>(LOG_COUNT);
  // Mutable globals are memory loads in the compiled loop: read each once.
  const fanTarget = FAN_TARGET;
  const fanWeight = FAN_WEIGHT;
  const accumulates = ACCUMULATES;
  const nextEvent = NEXT_EVENT;
  const phase = PHASE;
  const overflowAt = OVERFLOW;
  const charge = CHARGE;
  const stepMembrane = STEP_MEMBRANE;
  const stepInput = STEP_INPUT;
  const kernelMembrane = KERNEL_MEMBRANE;
  const kernelDecay = KERNEL_DECAY;
  const flagsBase = FLAGS;
  const logTarget = LOG_TARGET;
  const logAmount = LOG_AMOUNT;
  const logTime = LOG_TIME;
  const capacity = LOG_CAPACITY;

  for (let k = from; k < to; k++) {
    const target = <u32>load<u16>(fanTarget + (k << 1));
    const circuit = target & CIRCUIT_MASK;
    const amount = <f64>load<f32>(fanWeight + (k << 2)) * pulse;
    const co = circuit << 3;
    if (load<u8>(accumulates + circuit) == 0 || load<f64>(nextEvent + co) != Infinity || load<f64>(phase + co) == RESET || n >= capacity) {
      store<u32>(overflowAt + (overflow << 2), k);
      overflow++;
      continue;
    }
    const dx = amount * load<f64>(charge + (target << 3));
    if (dx == 0) continue;
    const at = ((half << 10) + target) << 3;
    store<f64>(stepMembrane + co, load<f64>(stepMembrane + co) + dx * load<f64>(kernelMembrane + at));
    store<f64>(stepInput + (target << 3), load<f64>(stepInput + (target << 3)) + dx * load<f64>(kernelDecay + at));
    const flagsAt = flagsBase + ((circuit >> 1) << 2);
    store<i32>(flagsAt, (load<i32>(flagsAt) | FLAG_HAS_INPUT) & ~FLAG_SLEEPING);
    store<u16>(logTarget + (n << 1), <u16>target);
    store<f64>(logAmount + (n << 3), amount);
    store<f64>(logTime + (n << 3), time);
    n++;
  }
  store<u32>(LOG_COUNT, n);
  return <i32>overflow;
}
