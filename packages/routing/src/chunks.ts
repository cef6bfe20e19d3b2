import { NeuronEventOutputOnDLS, PADIRowSelectAddress, SynapseLabel } from '@bss2/halco';
import {
  BUSES_PER_HEMISPHERE,
  COLUMNS,
  HEMISPHERE_COUNT,
  columnOfCircuit,
  hemisphereOfCircuit,
} from './bus-load.js';
import type { SynapseList } from './connection-split.js';
import { HEMISPHERES, type BackgroundPopulation } from './network.js';
import type { Placement } from './placement.js';
import { SourceKind, type Sources } from './sources.js';
import type { IndexedNetwork } from './validate.js';

/** Sources sharing one row-select address: at most the 64 values of the 6-bit synapse label (§2.4). */
export const CHUNK_SIZE = SynapseLabel.size;
/** PADIRowSelectAddress 0..31: the label groups one bus index can tell apart. */
export const ROW_SELECTS = PADIRowSelectAddress.size;
/** Neuron event outputs: one per 32 columns, four per backend half (§2.3). */
export const EVENT_OUTPUTS = NeuronEventOutputOnDLS.size;

/**
 * A group of sources sharing one row-select address on PADI bus `bus` of every hemisphere it reaches; member
 * `k` has synapse label `label[k]`. Its demand per hemisphere is the synapse rows it needs there per receptor.
 */
export interface Chunk {
  readonly kind: SourceKind;
  /** PADIBusOnPADIBusBlock: the same bus index in both hemispheres. */
  readonly bus: number;
  readonly members: readonly number[];
  readonly label: readonly number[];
  /** Internal: the event output; background: the population index; external: −1. */
  readonly origin: number;
  /** Per hemisphere: whether its events reach that hemisphere's bus. */
  readonly arrives: boolean[];
  /** Rows per hemisphere and receptor: `rows[2·h + receptor]`. */
  readonly rows: Int32Array;
}

/** Drivers a chunk needs in hemisphere h: two rows per driver (§2.7). */
export function driversNeeded(chunk: Chunk, hemisphere: number): number {
  return Math.ceil((chunk.rows[2 * hemisphere]! + chunk.rows[2 * hemisphere + 1]!) / 2);
}

/**
 * Row-select addresses are chosen for label groups: one chunk, or the chunks of a background population
 * wider than 64 whose row selects differ only in the random label bits (base + j, base aligned to the group).
 */
export interface LabelGroup {
  readonly chunks: readonly number[];
  /** Possible base row-select addresses; chunk j of the group gets base + j. */
  readonly candidates: readonly number[];
  /** 0 internal (4 candidates), 1 background (aligned), 2 external (any): the most constrained are placed first. */
  readonly priority: number;
}

export interface Chunking {
  /** Appended to while the chunks are built (fixed ones first, then the external ones). */
  readonly chunks: Chunk[];
  readonly groups: LabelGroup[];
  /** Per source: chunk id (−1: sends nowhere) and synapse label. */
  readonly chunkOf: Int32Array;
  readonly labelOf: Int32Array;
  /** Per background population index: whether its generator of hemisphere h runs, and which one is recorded. */
  readonly generatorOn: readonly (readonly boolean[] | undefined)[];
  readonly recordedGenerator: readonly (number | undefined)[];
  /** Per source: whether it is recorded (its spikes reach an FPGA link). */
  readonly recordedSource: Uint8Array;
}

/**
 * Every source's synapses (CSR): those of source s are `ids[start[s] .. start[s + 1] − 1]`, ascending, and
 * `slot[k]` is synapse `ids[k]`'s `2 · circuit + receptor` (= `(256 · h + column) · 2 + receptor`), stored in the
 * same order so that the per-source loops read it in sequence rather than all over the synapse list.
 */
export interface SynapsesBySource {
  readonly start: Int32Array;
  readonly ids: Int32Array;
  readonly slot: Uint16Array;
}

export function synapsesBySource(sources: Sources, synapses: SynapseList): SynapsesBySource {
  const start = new Int32Array(sources.count + 1);
  countPerSource(synapses.source, synapses.count, start);
  for (let i = 0; i < sources.count; i++) start[i + 1]! += start[i]!;
  const bySource = { start, ids: new Int32Array(synapses.count), slot: new Uint16Array(synapses.count) };
  fillPerSource(synapses, start.slice(0, sources.count), bySource);
  return bySource;
}

// The loops over every synapse live in functions of their own, with nothing after the loop: V8 compiles a long
// loop on the stack (OSR) before the code after it ever ran, and re-enters that code, which bails out at the
// first statement without type feedback, on every later call.

function countPerSource(source: Int32Array, count: number, start: Int32Array): void {
  for (let s = 0; s < count; s++) start[source[s]! + 1]!++;
}

function fillPerSource(synapses: SynapseList, fill: Int32Array, bySource: SynapsesBySource): void {
  const { count, source, circuit, receptor } = synapses;
  const { ids, slot } = bySource;
  for (let s = 0; s < count; s++) {
    const k = fill[source[s]!]!++;
    ids[k] = s;
    slot[k] = 2 * circuit[s]! + receptor[s]!;
  }
}

/** Appends a chunk and records its members' chunk and label. */
export function addChunk(chunking: Chunking, chunk: Chunk): number {
  chunking.chunks.push(chunk);
  const id = chunking.chunks.length - 1;
  chunk.members.forEach((s, k) => {
    chunking.chunkOf[s] = id;
    chunking.labelOf[s] = chunk.label[k]!;
  });
  return id;
}

const scratch = new Int32Array(HEMISPHERE_COUNT * COLUMNS * 2);

/**
 * A chunk's demand: per hemisphere and receptor the largest number of its synapses onto one column (each
 * needs its own row, and a row serves every column, §2.7); internal and external chunks arrive where they
 * have synapses (background chunks where their generator runs).
 */
export function measureChunk(chunk: Chunk, bySource: SynapsesBySource): void {
  scratch.fill(0);
  chunk.rows.fill(0);
  const reached = countRows(chunk.members, bySource.start, bySource.slot, chunk.rows);
  if (chunk.kind === SourceKind.background) return;
  for (let h = 0; h < HEMISPHERE_COUNT; h++) if ((reached & (1 << h)) !== 0) chunk.arrives[h] = true;
}

/** Per hemisphere and receptor the most synapses of `members` onto one column, into `rows`; returns the hemispheres reached (bit h). */
function countRows(members: readonly number[], start: Int32Array, slot: Uint16Array, rows: Int32Array): number {
  let reached = 0;
  for (let m = 0; m < members.length; m++) {
    const s = members[m]!;
    for (let k = start[s]!; k < start[s + 1]!; k++) {
      const key = slot[k]!;
      const value = ++scratch[key]!;
      const h = hemisphereOfCircuit(key >> 1);
      const r = 2 * h + (key & 1);
      if (value > rows[r]!) rows[r] = value;
      reached |= 1 << h;
    }
  }
  return reached;
}

export function newChunk(kind: SourceKind, bus: number, origin: number, members: number[], label: number[]): Chunk {
  return { kind, bus, members, label, origin, arrives: [false, false], rows: new Int32Array(2 * HEMISPHERE_COUNT) };
}

/**
 * Label groups of the sources whose bus the hardware fixes (steps 2–4 of hardware.md §10.2): internal sources
 * by event output (≤ 64 circuits each, so one chunk per output; a neuron sends if it has synapses or is
 * recorded), background populations by 64. External sources join later (`distributeExternalSources`).
 */
export function buildFixedChunks(
  indexed: IndexedNetwork,
  placement: Placement,
  sources: Sources,
  synapses: SynapseList,
  bySource: SynapsesBySource,
): Chunking {
  const chunks: Chunk[] = [];
  const groups: LabelGroup[] = [];
  const chunkOf = new Int32Array(sources.count).fill(-1);
  const labelOf = new Int32Array(sources.count).fill(-1);
  const recordedSource = new Uint8Array(sources.count);
  const hasSynapses = (s: number) => bySource.start[s + 1]! > bySource.start[s]!;
  const generatorOn: (boolean[] | undefined)[] = indexed.populations.map(() => undefined);
  const recordedGenerator: (number | undefined)[] = indexed.populations.map(() => undefined);
  const chunking: Chunking = { chunks, groups, chunkOf, labelOf, generatorOn, recordedGenerator, recordedSource };
  const add = (chunk: Chunk) => addChunk(chunking, chunk);

  // Internal: the emitting circuits of one event output (sources with synapses, and recorded neurons).
  const byOutput: number[][] = Array.from({ length: EVENT_OUTPUTS }, () => []);
  for (let s = 0; s < sources.count; s++) {
    if (sources.kind[s] !== SourceKind.internal) continue;
    const recorded = indexed.recorded.has(sources.population[s]!);
    if (recorded) recordedSource[s] = 1;
    if (recorded || hasSynapses(s)) byOutput[columnOfCircuit(sources.circuit[s]!) >> 5]!.push(s);
  }
  byOutput.forEach((members, e) => {
    if (members.length === 0) return;
    members.sort((a, b) => sources.circuit[a]! - sources.circuit[b]!);
    const id = add(newChunk(SourceKind.internal, e % BUSES_PER_HEMISPHERE, e, members, members.map((_, k) => k)));
    // §2.4: bits 10..8 of a neuron's label are its event output, so only address_out bits 7..6 are free.
    groups.push({ chunks: [id], candidates: [0, 1, 2, 3].map((x) => 4 * e + x), priority: 0 });
  });

  // Background: source i is the event whose random label bits read i (§3.7, mask = size − 1).
  indexed.populations.forEach((p, pi) => {
    if (p.kind !== 'background') return;
    const bus = placement.backgroundBus[pi]!;
    const first = sources.first[pi]!;
    const ids: number[] = [];
    for (let j = 0; j * CHUNK_SIZE < p.size; j++) {
      const members = Array.from({ length: Math.min(CHUNK_SIZE, p.size - j * CHUNK_SIZE) }, (_, k) => first + j * CHUNK_SIZE + k);
      ids.push(add(newChunk(SourceKind.background, bus, pi, members, members.map((_, k) => k))));
    }
    const width = ids.length;
    groups.push({ chunks: ids, candidates: Array.from({ length: ROW_SELECTS / width }, (_, k) => k * width), priority: 1 });
    const allowed = ((p as BackgroundPopulation).hemispheres ?? HEMISPHERES).map((h) => HEMISPHERES.indexOf(h));
    const on = [false, false];
    for (let s = first; s < first + p.size; s++) {
      for (let k = bySource.start[s]!; k < bySource.start[s + 1]!; k++) on[hemisphereOfCircuit(synapses.circuit[bySource.ids[k]!]!)] = true;
    }
    if (indexed.recorded.has(pi)) {
      // One generator is recorded: both would deliver the same events to the same FPGA link (§2.3).
      if (!on[0] && !on[1]) on[Math.min(...allowed)] = true;
      recordedGenerator[pi] = on[0] ? 0 : 1;
      for (let s = first; s < first + p.size; s++) recordedSource[s] = 1;
    }
    generatorOn[pi] = on;
    for (const id of ids) chunks[id]!.arrives.splice(0, 2, on[0]!, on[1]!);
  });

  for (const chunk of chunks) measureChunk(chunk, bySource);
  return chunking;
}
