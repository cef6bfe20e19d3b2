// Spikes from the host into the chip: given spike times and host-drawn Poisson trains, cut per run, quantised to
// the FPGA cycle on the segment's grid, and written as spike packs of up to three labels per cycle, no more per
// cycle than a PADI bus takes.
import { SpikeLabel, SpikePack1ToChipOnDLS, SpikePack2ToChipOnDLS, SpikePack3ToChipOnDLS } from '@bss2/halco';
import { SpikePack1ToChip, SpikePack2ToChip, SpikePack3ToChip, nominal } from '@bss2/lola';
import type { PlaybackProgramBuilder } from '@bss2/stadls';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { InputSource, RunInputs } from './graph.js';
import { INPUT_LINKS as LINKS, SPIKE_PACK_SIZE as PACK_SIZE } from './limits.js';
import { cyclesToUs, usToCycles } from './timing.js';

/** Events a PADI bus takes per FPGA cycle (one per 250 MHz clock). */
const busEventsPerCycle = nominal.padiBusEventsPerFpgaCycle;

type Generator = ReturnType<typeof xoroshiro128plus>;

/** Host Poisson state of one source: its generator and its next spike (µs); memoryless, so runs cut anywhere. */
interface PoissonState {
  readonly rng: Generator;
  next_us: number;
}

/** An external population as the schedule needs it: its labels (undefined: nothing to inject) and recording. */
export interface InjectedPopulation {
  readonly name: string;
  readonly size: number;
  readonly labels: readonly (SpikeLabel | undefined)[];
  readonly recorded: (index: number) => boolean;
}

/** One run's inputs: the segment interval it covers, and how far ahead it sends inputs. */
export interface InjectionWindow {
  readonly start_us: number;
  readonly end_us: number;
  /** Inputs up to here are sent with this run (the next program starts a few cycles after this one ends). */
  readonly sendUntil_us: number;
  /** Timer value of `start_us`. */
  readonly origin: number;
  /** The timer value of the builder's next instruction if known, else −1. */
  readonly nextInstructionAt: number;
  /** This run continues the previous one on the same clock: what that one sent ahead is on the chip already. */
  readonly continuous: boolean;
  /** Further one-instruction commands at timer `origin + cycle` (CADC reads), merged behind inputs of the same cycle. */
  readonly commands?: readonly { readonly cycle: number; emit(builder: PlaybackProgramBuilder, at: number): void }[];
}

/** Spikes the host sent: per recorded external population, member index and time (µs from the segment start). */
export interface SentSpikes {
  readonly index: number[];
  readonly time_us: number[];
}

export interface Injection {
  /** Spikes written to the chip. */
  readonly count: number;
  readonly recorded: Map<string, SentSpikes>;
  /** The timer value of the last instruction written. */
  readonly lastTimer: number;
}

export class InputSchedule {
  #segment = 0;
  readonly #poisson = new Map<string, { source: InputSource; states: PoissonState[] }>();
  /** Inputs before this segment time were sent by earlier runs of the segment. */
  #sentUntil_us = 0;
  /** Poisson times drawn ahead (at or after the last run's end), per population and member. */
  #ahead = new Map<string, { source: InputSource; times: number[][] }>();

  newSegment(): void {
    this.#segment++;
    this.#poisson.clear();
    this.#sentUntil_us = 0;
    this.#ahead.clear();
  }

  /** Times of member `i` before `to_us`: given ones from `after_us` on; a Poisson train's next ones. */
  #times(name: string, source: InputSource, i: number, from_us: number, to_us: number, after_us: number): ArrayLike<number> {
    if (source.kind === 'array') {
      const all = source.times_us[i]!;
      const out: number[] = [];
      for (let k = 0; k < all.length; k++) {
        const t = all[k]!;
        if (t >= after_us && t < to_us) out.push(t);
      }
      return out;
    }
    let entry = this.#poisson.get(name);
    if (entry === undefined || entry.source !== source) {
      // A new source object (or first use): fresh trains from here on; seeds per segment and member.
      const states = source.rate_hz.map((rate, k) => {
        const rng = xoroshiro128plus(mix(source.seed, this.#segment, k) | 0);
        return { rng, next_us: Math.max(from_us, source.start_us[k]!) + exponential(rng, 1e6 / Math.max(Number.MIN_VALUE, rate)) };
      });
      entry = { source, states };
      this.#poisson.set(name, entry);
    }
    const state = entry.states[i]!;
    const rate = source.rate_hz[i]!;
    const stop = Math.min(to_us, source.stop_us[i]!);
    const out: number[] = [];
    if (rate <= 0) return out;
    while (state.next_us < stop) {
      out.push(state.next_us);
      state.next_us += exponential(state.rng, 1e6 / rate);
    }
    return out;
  }

  /**
   * Writes the input spikes of a run into `builder`: those of [start, sendUntil) not sent before (all of them
   * after a pause, when the chip's state was relaxed), quantised on the segment's cycle grid; records the sources'
   * spikes of [start, end).
   */
  inject(builder: PlaybackProgramBuilder, populations: readonly InjectedPopulation[], inputs: RunInputs, w: InjectionWindow): Injection {
    const events: number[] = []; // pairs (cycle, label) flattened
    const recorded = new Map<string, SentSpikes>();
    const startCycle = usToCycles(w.start_us);
    const endCycle = usToCycles(w.end_us) - startCycle;
    const sendFrom_us = w.continuous ? Math.max(w.start_us, this.#sentUntil_us) : w.start_us;
    const ahead = new Map<string, { source: InputSource; times: number[][] }>();
    for (const p of populations) {
      const source = inputs[p.name];
      if (source === undefined) continue;
      const drawnAhead: number[][] = [];
      const carried = this.#ahead.get(p.name);
      let sent: SentSpikes | undefined;
      for (let i = 0; i < p.size; i++) {
        // Poisson trains are drawn once: what the last run drew ahead is sent again only after a pause.
        const before = source.kind === 'poisson' && carried?.source === source ? (carried.times[i] ?? []) : [];
        const drawn = this.#times(p.name, source, i, w.start_us, w.sendUntil_us, w.start_us);
        const times = before.length === 0 ? drawn : [...before, ...Array.from(drawn)];
        if (source.kind === 'poisson') drawnAhead.push(Array.from(times).filter((t) => t >= w.end_us));
        const records = p.recorded(i);
        const label = p.labels[i];
        for (let k = 0; k < times.length; k++) {
          const t = times[k]!;
          // Quantised on the segment's cycle grid, so cutting a run in two changes nothing.
          const cycle = usToCycles(t) - startCycle;
          if (cycle < 0) continue;
          if (label !== undefined && t >= sendFrom_us) events.push(cycle, label.value);
          if (records && cycle < endCycle) {
            sent ??= { index: [], time_us: [] };
            sent.index.push(i);
            sent.time_us.push(w.start_us + cyclesToUs(cycle));
          }
        }
      }
      if (sent !== undefined) recorded.set(p.name, sent);
      if (source.kind === 'poisson') ahead.set(p.name, { source, times: drawnAhead });
    }
    this.#ahead = ahead;
    this.#sentUntil_us = w.sendUntil_us;
    const lastTimer = writeEvents(builder, events, w);
    return { count: events.length / 2, recorded, lastTimer };
  }
}

/**
 * Writes (cycle, label) events and the window's commands in time order. One pack instruction per cycle carries
 * up to three labels, but a PADI bus takes only two events per cycle (the simulated chip drops a third:
 * chip-sim event-router.ts, "bus capacity"), and FPGA link k feeds bus k of each hemisphere (@bss2/routing
 * README, "External labels"): labels beyond either limit move to the next cycle with room. Returns the timer
 * value of the last instruction.
 */
function writeEvents(builder: PlaybackProgramBuilder, events: number[], w: InjectionWindow): number {
  const count = events.length / 2;
  const order = new Uint32Array(count);
  for (let k = 0; k < count; k++) order[k] = k;
  order.sort((a, b) => events[2 * a]! - events[2 * b]! || events[2 * a + 1]! - events[2 * b + 1]!);
  const packs = new Map<number, number[]>();
  const linkEvents = new Map<number, number>();
  for (const k of order) {
    const label = events[2 * k + 1]!;
    const link = new SpikeLabel(label).spl1Address.value;
    let cycle = events[2 * k]!;
    while ((packs.get(cycle)?.length ?? 0) === PACK_SIZE || (linkEvents.get(cycle * LINKS + link) ?? 0) === busEventsPerCycle) cycle++;
    const pack = packs.get(cycle);
    if (pack === undefined) packs.set(cycle, [label]);
    else pack.push(label);
    linkEvents.set(cycle * LINKS + link, (linkEvents.get(cycle * LINKS + link) ?? 0) + 1);
  }
  // WaitUntil(v) itself takes a cycle, so a pack at timer `a` follows WaitUntil(a − 1), unless the previous
  // instruction was at a − 1. Commands share the one instruction per cycle: one that meets a pack moves on.
  type Item = { cycle: number; pack?: number[]; emit?: (b: PlaybackProgramBuilder, at: number) => void };
  const items: Item[] = [];
  for (const [cycle, pack] of packs) items.push({ cycle, pack });
  for (const c of w.commands ?? []) items.push({ cycle: c.cycle, emit: (b, at) => c.emit(b, at) });
  items.sort((a, b) => a.cycle - b.cycle || (a.pack === undefined ? 1 : 0) - (b.pack === undefined ? 1 : 0));
  let nextInstruction = w.nextInstructionAt;
  for (const item of items) {
    const at = Math.max(w.origin + item.cycle, nextInstruction);
    if (at !== nextInstruction) builder.waitUntil(at - 1);
    nextInstruction = at + 1;
    const pack = item.pack;
    if (pack === undefined) item.emit!(builder, at);
    else if (pack.length === 1) builder.write(new SpikePack1ToChipOnDLS(), new SpikePack1ToChip(pack));
    else if (pack.length === 2) builder.write(new SpikePack2ToChipOnDLS(), new SpikePack2ToChip(pack));
    else builder.write(new SpikePack3ToChipOnDLS(), new SpikePack3ToChip(pack));
  }
  return nextInstruction - 1;
}

/** Exponentially distributed with the given mean. */
function exponential(rng: Generator, mean: number): number {
  return -mean * Math.log(1 - uniformFloat64(rng));
}

/** A 32-bit seed from several integers (splitmix-style mixing): one stream per segment, population, member. */
export function mix(...values: number[]): number {
  let h = 0x9e3779b9;
  for (const v of values) {
    h = Math.imul(h ^ (v >>> 0), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}
