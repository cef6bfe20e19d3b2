import { NEURON_COUNT } from './variation.js';

/**
 * Pending synaptic input events of the 512 circuits: one time-ordered singly linked list per circuit over a
 * pooled store (typed arrays, doubled when full, so steady operation allocates nothing). Events arrive mostly in
 * time order, so an insert is usually an append at the tail.
 */
export class InputEventQueue {
  // Readable by the engine's superposition loop (NeuronArray); written only here.
  /** @internal Event time (ns) per pooled slot. */
  time_ns = new Float64Array(256);
  /** @internal Event amount per pooled slot. */
  amount = new Float64Array(256);
  /** @internal Event receptor per pooled slot. */
  receptor = new Uint8Array(256);
  /** @internal Next slot of the same circuit, −1 at the tail. */
  next = new Int32Array(256);
  private free = 0;
  /** @internal First slot per circuit, −1 when none. */
  readonly head = new Int32Array(NEURON_COUNT);
  private readonly tail = new Int32Array(NEURON_COUNT);
  /** Time of each circuit's first pending event; Infinity when there is none. */
  readonly firstTime_ns: Float64Array;

  /** `firstTime_ns` may be given (512 entries): the WebAssembly engine reads it from its own memory. */
  constructor(firstTime_ns: Float64Array = new Float64Array(NEURON_COUNT)) {
    this.firstTime_ns = firstTime_ns;
    this.clear();
  }

  /** Drop every pending event. */
  clear(): void {
    this.head.fill(-1);
    this.tail.fill(-1);
    this.firstTime_ns.fill(Infinity);
    this.freeFrom(0, this.time_ns.length);
  }

  push(circuit: number, receptor: number, amount: number, time_ns: number): void {
    if (this.free < 0) this.grow();
    const e = this.free;
    this.free = this.next[e]!;
    this.time_ns[e] = time_ns;
    this.amount[e] = amount;
    this.receptor[e] = receptor;
    const tail = this.tail[circuit]!;
    if (tail < 0 || this.time_ns[tail]! <= time_ns) {
      this.next[e] = -1;
      if (tail < 0) {
        this.head[circuit] = e;
        this.firstTime_ns[circuit] = time_ns;
      } else this.next[tail] = e;
      this.tail[circuit] = e;
      return;
    }
    // Out of order: insert after the last event not later than `time_ns` (equal times keep arrival order).
    let previous = -1;
    let at = this.head[circuit]!;
    while (at >= 0 && this.time_ns[at]! <= time_ns) {
      previous = at;
      at = this.next[at]!;
    }
    this.next[e] = at;
    if (previous < 0) {
      this.head[circuit] = e;
      this.firstTime_ns[circuit] = time_ns;
    } else this.next[previous] = e;
  }

  /** Receptor of the first pending event of `circuit` (call only when `firstTime_ns[circuit]` is finite). */
  firstReceptor(circuit: number): number {
    return this.receptor[this.head[circuit]!]!;
  }

  /** Amount of the first pending event of `circuit`. */
  firstAmount(circuit: number): number {
    return this.amount[this.head[circuit]!]!;
  }

  /** Remove the first pending event of `circuit`. */
  pop(circuit: number): void {
    const e = this.head[circuit]!;
    const next = this.next[e]!;
    this.head[circuit] = next;
    this.firstTime_ns[circuit] = next < 0 ? Infinity : this.time_ns[next]!;
    if (next < 0) this.tail[circuit] = -1;
    this.next[e] = this.free;
    this.free = e;
  }

  /** Remove the first pending events of `circuit` up to and including slot `last` (a slot of its list). */
  popThrough(circuit: number, last: number): void {
    const first = this.head[circuit]!;
    const next = this.next[last]!;
    this.head[circuit] = next;
    this.firstTime_ns[circuit] = next < 0 ? Infinity : this.time_ns[next]!;
    if (next < 0) this.tail[circuit] = -1;
    this.next[last] = this.free;
    this.free = first;
  }

  private grow(): void {
    const size = this.time_ns.length;
    const time = new Float64Array(2 * size);
    time.set(this.time_ns);
    const amount = new Float64Array(2 * size);
    amount.set(this.amount);
    const receptor = new Uint8Array(2 * size);
    receptor.set(this.receptor);
    const next = new Int32Array(2 * size);
    next.set(this.next);
    this.time_ns = time;
    this.amount = amount;
    this.receptor = receptor;
    this.next = next;
    this.freeFrom(size, 2 * size);
  }

  private freeFrom(from: number, size: number): void {
    for (let e = from; e < size; e++) this.next[e] = e + 1 < size ? e + 1 : -1;
    this.free = from < size ? from : -1;
  }
}

/**
 * The synaptic input events of the present step that were summed into the step accumulators, in arrival order,
 * kept so that a circuit leaving the fast path can replay its own exactly (a scan: that is rare, a log entry
 * per event is not). Fixed capacity (`STEP_LOG_CAPACITY` in both engines, so both take the same path); an
 * event beyond it takes the exact queue. The arrays may be views of the WebAssembly engine's memory.
 */
export class StepInputLog {
  constructor(
    /** `receptor · 512 + circuit` per event. */
    readonly target: Uint16Array,
    readonly amount: Float64Array,
    readonly time_ns: Float64Array,
    /** One word: the number of events (shared with the WebAssembly engine). */
    private readonly countWord: Uint32Array,
  ) {}

  static create(capacity: number): StepInputLog {
    return new StepInputLog(new Uint16Array(capacity), new Float64Array(capacity), new Float64Array(capacity), new Uint32Array(1));
  }

  get count(): number {
    return this.countWord[0]!;
  }

  set count(n: number) {
    this.countWord[0] = n;
  }

  get capacity(): number {
    return this.target.length;
  }
}
