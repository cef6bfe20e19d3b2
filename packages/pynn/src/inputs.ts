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

/** One run's inputs: the segment interval it covers, and how far ahead it sends inputs. */
export interface InjectionWindow {
  readonly start_ms: number;
  readonly end_ms: number;
  /**
   * Inputs up to here are sent with this run: the next program starts a few cycles after this one ends, so a run
   * that the next one continues sends the inputs due in between ahead of time.
   */
  readonly sendUntil_ms: number;
  /** Timer value of `start_ms`. */
  readonly origin: number;
  /** The timer value of the builder's next instruction if known, else −1. */
  readonly nextInstructionAt: number;
  /** This run continues the previous one on the same clock: what that one sent ahead is on the chip already. */
  readonly continuous: boolean;
  /** Further one-instruction commands at timer `origin + cycle` (CADC reads), merged behind inputs of the same cycle. */
  readonly commands?: readonly { readonly cycle: number; emit(builder: PlaybackProgramBuilder, at: number): void }[];
}

export class InputSchedule {
  readonly #seed: number;
  #segment = 0;
  readonly #poisson = new Map<Population, { version: number; states: PoissonState[] }>();
  /** Inputs before this segment time were sent by earlier runs of the segment. */
  #sentUntil_ms = 0;
  /** Host Poisson times drawn ahead (at or after the last run's end), per population and neuron. */
  #ahead = new Map<Population, { version: number; times: number[][] }>();

  constructor(seed: number) {
    this.#seed = seed;
  }

  newSegment(): void {
    this.#segment++;
    this.#poisson.clear();
    this.#sentUntil_ms = 0;
    this.#ahead.clear();
  }

  /**
   * Times (ms) of neuron `i` of a host source before `to_ms`: a SpikeSourceArray's from `after_ms` on; a Poisson
   * source's next ones (its trains continue from where they stopped; `from_ms` starts new ones).
   */
  #times(p: Population, i: number, from_ms: number, to_ms: number, after_ms: number): ArrayLike<number> {
    if (p.cellType.kind === 'spike-array') {
      const all = p.parameterValue('spike_times', i) as Float64Array;
      return all.filter((t) => t >= after_ms && t < to_ms);
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
   * Writes the input spikes of a run into `builder`: those of [start_ms, sendUntil_ms) not sent before (all of
   * them after a pause, when the chip's state was relaxed), quantised on the segment's cycle grid; records the
   * sources' spikes of [start_ms, end_ms). Returns the timer value of the last input, for the program's end.
   */
  inject(builder: PlaybackProgramBuilder, routed: InjectionContext, w: InjectionWindow): Injection & { readonly lastTimer: number } {
    const events: number[] = []; // pairs (cycle, label) flattened
    const recorded = new Map<number, number[]>();
    const startCycle = msToCycles(w.start_ms);
    const endCycle = msToCycles(w.end_ms) - startCycle;
    const sendFrom_ms = w.continuous ? Math.max(w.start_ms, this.#sentUntil_ms) : w.start_ms;
    const ahead = new Map<Population, { version: number; times: number[][] }>();
    for (const [p, how] of routed.how) {
      if (how.kind !== 'external') continue;
      const labels = routed.result.inputLabels(p.label);
      const drawnAhead: number[][] = [];
      for (let i = 0; i < p.size; i++) {
        // Poisson trains are drawn once: what the last run drew ahead is sent again only after a pause.
        const carried = this.#ahead.get(p);
        const before = p.cellType.kind === 'poisson' && carried?.version === p.parameterVersion ? (carried.times[i] ?? []) : [];
        const times = [...before, ...Array.from(this.#times(p, i, w.start_ms, w.sendUntil_ms, w.start_ms))];
        drawnAhead.push(times.filter((t) => t >= w.end_ms));
        const records = p.recorder.variablesOf(i).has('spikes');
        const label = labels[i];
        for (const t of times) {
          // Quantised on the segment's cycle grid, so cutting a run in two changes nothing.
          const cycle = msToCycles(t) - startCycle;
          if (cycle < 0) continue;
          if (label !== undefined && t >= sendFrom_ms) events.push(cycle, label.value);
          if (records && cycle < endCycle) {
            const id = p.firstId + i;
            const list = recorded.get(id) ?? [];
            list.push(w.start_ms + cyclesToMs(cycle));
            recorded.set(id, list);
          }
        }
      }
      ahead.set(p, { version: p.parameterVersion, times: drawnAhead });
    }
    this.#ahead = ahead;
    this.#sentUntil_ms = w.sendUntil_ms;
    const origin = w.origin;
    const nextInstructionAt = w.nextInstructionAt;
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
    // instruction was at a − 1. The first instruction after the timer reset runs at timer 0. Commands share the
    // one instruction per cycle: one that meets a pack moves to the next free cycle.
    type Item = { cycle: number; pack?: number[]; emit?: (b: PlaybackProgramBuilder, at: number) => void };
    const items: Item[] = [...packs].map(([cycle, pack]) => ({ cycle, pack }));
    for (const c of w.commands ?? []) items.push({ cycle: c.cycle, emit: (b, at) => c.emit(b, at) });
    items.sort((a, b) => a.cycle - b.cycle || (a.pack === undefined ? 1 : 0) - (b.pack === undefined ? 1 : 0));
    let nextInstruction = nextInstructionAt;
    for (const item of items) {
      const at = Math.max(origin + item.cycle, nextInstruction);
      if (at !== nextInstruction) builder.waitUntil(at - 1);
      nextInstruction = at + 1;
      const pack = item.pack;
      if (pack === undefined) item.emit!(builder, at);
      else if (pack.length === 1) builder.write(new SpikePack1ToChipOnDLS(), new SpikePack1ToChip(pack));
      else if (pack.length === 2) builder.write(new SpikePack2ToChipOnDLS(), new SpikePack2ToChip(pack));
      else builder.write(new SpikePack3ToChipOnDLS(), new SpikePack3ToChip(pack));
    }
    return { count: order.length, recorded, lastTimer: nextInstruction - 1 };
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
