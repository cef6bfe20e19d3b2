// Spikes from the host into the chip: SpikeSourceArray times and host-generated Poisson trains, cut per run,
// quantised to the FPGA cycle, and written as spike packs of up to three labels per cycle.
import { SpikeLabel, SpikePack1ToChipOnDLS, SpikePack2ToChipOnDLS, SpikePack3ToChipOnDLS } from '@bss2/halco';
import { SpikePack1ToChip, SpikePack2ToChip, SpikePack3ToChip } from '@bss2/lola';
import type { RoutingResult } from '@bss2/routing';
import type { PlaybackProgramBuilder } from '@bss2/stadls';
import type { Realisation } from './network.js';
import type { Population } from './populations.js';
import { NumpyRNG } from './random.js';
import { cyclesToMs, msToCycles } from './units.js';

/** The routed state the injection needs. */
export interface InjectionContext {
  readonly result: RoutingResult;
  readonly how: ReadonlyMap<Population, Realisation>;
}

/** Host Poisson state of one neuron: its generator and its next spike (ms); memoryless, so runs can be cut anywhere. */
interface PoissonState {
  readonly rng: NumpyRNG;
  next_ms: number;
}

export interface Injection {
  /** Spikes written to the chip. */
  readonly count: number;
  /** Global id → injected times (ms, on the cycle grid) of sources that record spikes. */
  readonly recorded: Map<number, number[]>;
}

/** How many labels one spike-pack instruction carries (hardware.md §5.2). */
const PACK_SIZE = 3;
/** Events a PADI bus takes per FPGA cycle (chip-sim's choice, hardware.md is silent: one per 250 MHz clock). */
const BUS_EVENTS_PER_CYCLE = 2;
/** FPGA links (SPL1 addresses). */
const LINKS = 4;

export class InputSchedule {
  readonly #seed: number;
  #segment = 0;
  readonly #poisson = new Map<Population, { version: number; states: PoissonState[] }>();

  constructor(seed: number) {
    this.#seed = seed;
  }

  newSegment(): void {
    this.#segment++;
    this.#poisson.clear();
  }

  /** Times (ms) of neuron `i` of a host source in [from_ms, to_ms). */
  #times(p: Population, i: number, from_ms: number, to_ms: number): ArrayLike<number> {
    if (p.cellType.kind === 'spike-array') {
      const all = p.parameterValue('spike_times', i) as Float64Array;
      return all.filter((t) => t >= from_ms && t < to_ms);
    }
    let entry = this.#poisson.get(p);
    if (entry === undefined || entry.version !== p.parameterVersion) {
      // Parameters changed (or first use): fresh trains from here on; seeds per segment, population and neuron.
      const states = Array.from({ length: p.size }, (_, k) => {
        const rng = new NumpyRNG({ seed: mix(this.#seed, this.#segment, p.index, k) });
        return { rng, next_ms: Math.max(from_ms, p.parameterValue('start', k) as number) + rng.exponential(1000 / Math.max(Number.MIN_VALUE, p.parameterValue('rate', k) as number)) };
      });
      entry = { version: p.parameterVersion, states };
      this.#poisson.set(p, entry);
    }
    const state = entry.states[i]!;
    const rate = p.parameterValue('rate', i) as number;
    const stop = Math.min(to_ms, (p.parameterValue('start', i) as number) + (p.parameterValue('duration', i) as number));
    const out: number[] = [];
    if (rate <= 0) return out;
    while (state.next_ms < stop) {
      out.push(state.next_ms);
      state.next_ms += state.rng.exponential(1000 / rate);
    }
    return out;
  }

  /**
   * Writes the input spikes of [start_ms, start_ms + duration_ms) into `builder`, timer `origin` being start_ms;
   * `nextInstructionAt` is the timer value of the builder's next instruction if known, else −1.
   */
  inject(builder: PlaybackProgramBuilder, routed: InjectionContext, start_ms: number, duration_ms: number, origin: number, cycles: number, nextInstructionAt: number): Injection {
    const events: number[] = []; // pairs (cycle, label) flattened
    const recorded = new Map<number, number[]>();
    const startCycle = msToCycles(start_ms);
    for (const [p, how] of routed.how) {
      if (how.kind !== 'external') continue;
      const labels = routed.result.inputLabels(p.label);
      for (let i = 0; i < p.size; i++) {
        const times = this.#times(p, i, start_ms, start_ms + duration_ms);
        const records = p.recorder.variablesOf(i).has('spikes');
        const label = labels[i];
        for (let k = 0; k < times.length; k++) {
          // Quantised on the absolute cycle grid, so cutting a run in two changes nothing.
          const cycle = msToCycles(times[k]!) - startCycle;
          if (cycle < 0 || cycle >= cycles) continue;
          if (label !== undefined) events.push(cycle, label.value);
          if (records) {
            const id = p.firstId + i;
            const list = recorded.get(id) ?? [];
            list.push(start_ms + cyclesToMs(cycle));
            recorded.set(id, list);
          }
        }
      }
    }
    const order = Array.from({ length: events.length / 2 }, (_, k) => k).sort((a, b) => events[2 * a]! - events[2 * b]! || events[2 * a + 1]! - events[2 * b + 1]!);
    // One pack instruction per cycle carries up to three labels, but a PADI bus takes only two events per cycle
    // (the simulated chip drops a third: chip-sim event-router.ts, "bus capacity"), and FPGA link k feeds bus k
    // of each hemisphere (@bss2/routing README, "External labels"). Labels beyond either limit move to the next
    // cycle with room.
    const packs = new Map<number, number[]>();
    const linkEvents = new Map<number, number>();
    for (const k of order) {
      const label = events[2 * k + 1]!;
      const link = new SpikeLabel(label).spl1Address.value;
      let cycle = events[2 * k]!;
      while ((packs.get(cycle)?.length ?? 0) === PACK_SIZE || (linkEvents.get(cycle * LINKS + link) ?? 0) === BUS_EVENTS_PER_CYCLE) cycle++;
      const pack = packs.get(cycle) ?? [];
      pack.push(label);
      packs.set(cycle, pack);
      linkEvents.set(cycle * LINKS + link, (linkEvents.get(cycle * LINKS + link) ?? 0) + 1);
    }
    // WaitUntil(v) itself takes a cycle, so a pack at timer `a` follows WaitUntil(a − 1), unless the previous
    // pack was at a − 1. The first instruction after the timer reset runs at timer 0.
    let nextInstruction = nextInstructionAt;
    for (const cycle of [...packs.keys()].sort((a, b) => a - b)) {
      const pack = packs.get(cycle)!;
      const at = origin + cycle;
      if (at !== nextInstruction) builder.waitUntil(at - 1);
      nextInstruction = at + 1;
      if (pack.length === 1) builder.write(new SpikePack1ToChipOnDLS(), new SpikePack1ToChip(pack));
      else if (pack.length === 2) builder.write(new SpikePack2ToChipOnDLS(), new SpikePack2ToChip(pack));
      else builder.write(new SpikePack3ToChipOnDLS(), new SpikePack3ToChip(pack));
    }
    return { count: order.length, recorded };
  }
}

/** A 32-bit seed from several integers (splitmix-style mixing). */
function mix(...values: number[]): number {
  let h = 0x9e3779b9;
  for (const v of values) {
    h = Math.imul(h ^ (v >>> 0), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}
