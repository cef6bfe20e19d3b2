// How PyNN populations and projections are realised: neuron populations, external sources (spike arrays and
// host-generated Poisson trains), on-chip background generators for Poisson populations that fit them, and one
// routed projection per (pre population, post population) pair of each PyNN projection.
import { nominal } from '@bss2/lola';
import { type Connection, MAX_BACKGROUND_SIZE } from '@bss2/routing';
import type { Population } from './populations.js';
import type { Projection } from './projection.js';
import { ParameterError } from './errors.js';
import { McNeuron } from './multicompartment.js';
import { hzToChipHz } from './units.js';

/** Generator ticks per second (hardware.md §3.7). */
const TICKS_PER_SECOND = nominal.backgroundSpikeSourceClock_hz;
/** Spike probability per period, in 1/255 (hardware.md §3.7). */
const RATE_STEPS = nominal.backgroundRateSteps;
/**
 * The highest per-period spike probability used for Poisson sources: the generator draws one Bernoulli trial per
 * period, which approximates a Poisson process only while the probability is small.
 */
export const MAX_POISSON_RATE_SETTING = 25;
/** Relative rate error up to which a Poisson population runs on a generator (else its trains come from the host). */
export const ON_CHIP_RATE_TOLERANCE = 0.01;
const MAX_PERIOD = nominal.backgroundPeriodMax_ticks;
/** One generator pair per PADI bus index (hardware.md §3.7). */
const MAX_BACKGROUND_POPULATIONS = nominal.padiBusesPerHemisphere;

/** Generator settings for a Poisson population on chip. */
export interface BackgroundSettings {
  readonly period_ticks: number;
  readonly rate_setting: number;
  /** Per-source rate the settings give, Hz (biological). */
  readonly achievedRate_hz: number;
}

/**
 * The generator settings realising `rate_hz` per source for `size` sources (each event picks one source), or
 * the reason why none do: `size` not a power of two ≤ 256, or no (period, rate) within 1 % of the rate.
 */
export function backgroundSettings(rate_hz: number, size: number): BackgroundSettings | string {
  if (size > MAX_BACKGROUND_SIZE || (size & (size - 1)) !== 0) return `size ${size} is not a power of two ≤ ${MAX_BACKGROUND_SIZE}`;
  if (!(rate_hz > 0)) return 'the rate is 0';
  const events_per_tick = (hzToChipHz(rate_hz) * size) / TICKS_PER_SECOND;
  let best: BackgroundSettings | undefined;
  let bestError = Infinity;
  for (let r = 1; r <= MAX_POISSON_RATE_SETTING; r++) {
    const period = Math.round(r / (RATE_STEPS * events_per_tick));
    if (period < 1 || period > MAX_PERIOD) continue;
    const achieved = r / (RATE_STEPS * period);
    const error = Math.abs(achieved - events_per_tick) / events_per_tick;
    if (error < bestError) {
      bestError = error;
      best = { period_ticks: period, rate_setting: r, achievedRate_hz: (rate_hz * achieved) / events_per_tick };
    }
  }
  if (best === undefined || bestError > ON_CHIP_RATE_TOLERANCE) {
    return `no generator setting gives ${rate_hz} Hz per source for ${size} sources within ${ON_CHIP_RATE_TOLERANCE * 100} % (at most ${((MAX_POISSON_RATE_SETTING / RATE_STEPS) * TICKS_PER_SECOND) / size / 1000} Hz per source)`;
  }
  return best;
}

/** How each population is realised. */
export type Realisation = { readonly kind: 'neurons' } | { readonly kind: 'external' } | { readonly kind: 'background'; readonly settings: BackgroundSettings };

/**
 * Decides which Poisson populations run on the chip's generators: every SpikeSourcePoissonOnChip (an error if
 * they need more than the 4 buses), then, with the buses left, SpikeSourcePoisson populations that are
 * homogeneous, start at 0 ms, never end and have a feasible rate (`onChipPoisson: 'auto'`).
 */
export function realisations(populations: readonly Population[], onChipPoisson: 'auto' | 'never'): Map<Population, Realisation> {
  const explicit = populations.filter((p) => p.cellType.kind === 'poisson-on-chip');
  if (explicit.length > MAX_BACKGROUND_POPULATIONS) {
    throw new ParameterError(
      `${explicit.length} SpikeSourcePoissonOnChip populations (${explicit.map((p) => `'${p.label}'`).join(', ')}); the chip has ${MAX_BACKGROUND_POPULATIONS} background buses`,
      { population: explicit[MAX_BACKGROUND_POPULATIONS]!.label, value: explicit.length },
    );
  }
  const out = new Map<Population, Realisation>();
  let background = explicit.length;
  for (const p of populations) {
    const kind = p.cellType.kind;
    if (p.cellType.isNeuron) out.set(p, { kind: 'neurons' });
    else if (kind === 'spike-array') out.set(p, { kind: 'external' });
    else if (kind === 'poisson-on-chip') out.set(p, { kind: 'background', settings: requiredOnChipSettings(p) });
    else {
      const settings = onChipPoisson === 'auto' && background < MAX_BACKGROUND_POPULATIONS ? onChipSettings(p) : undefined;
      if (settings === undefined) out.set(p, { kind: 'external' });
      else {
        background++;
        out.set(p, { kind: 'background', settings });
      }
    }
  }
  return out;
}

function requiredOnChipSettings(p: Population): BackgroundSettings {
  const rates = p.values('rate') as number[];
  const rate = rates[0]!;
  if (!rates.every((r) => r === rate)) throw new ParameterError(`SpikeSourcePoissonOnChip population '${p.label}': one generator gives one rate, got ${[...new Set(rates)].join(', ')} Hz`, { population: p.label, parameter: 'rate' });
  if (!(p.values('seed') as number[]).every((x) => x === p.parameterValue('seed', 0))) throw new ParameterError(`SpikeSourcePoissonOnChip population '${p.label}': one generator has one seed`, { population: p.label, parameter: 'seed' });
  const settings = backgroundSettings(rate, p.size);
  if (typeof settings === 'string') throw new ParameterError(`SpikeSourcePoissonOnChip population '${p.label}' (rate ${rate} Hz, size ${p.size}): ${settings}`, { population: p.label, parameter: 'rate', value: rate });
  return settings;
}

function onChipSettings(p: Population): BackgroundSettings | undefined {
  const rates = p.values('rate') as number[];
  const starts = p.values('start') as number[];
  const durations = p.values('duration') as number[];
  const rate = rates[0]!;
  if (!rates.every((r) => r === rate) || !starts.every((s) => s === 0) || !durations.every((d) => d >= 1e9)) return undefined;
  const settings = backgroundSettings(rate, p.size);
  return typeof settings === 'string' ? undefined : settings;
}

/** A routed projection and the PyNN connections (indices into the projection's list) it carries, merged by pair. */
export interface RoutedPart {
  readonly projection: Projection;
  readonly name: string;
  readonly pre: Population;
  readonly post: Population;
  readonly connections: readonly Connection[];
  /** The PyNN connection indices routed connection `r` sums (one, unless the pair repeats). */
  sourcesOf(r: number): readonly number[];
}

/** The chip weight of a PyNN weight: its magnitude, rounded (hardware.md §11.1). */
export function chipWeight(weight: number): number {
  return Math.round(Math.abs(weight));
}

/**
 * Splits every projection by (pre population, post population) and merges repeated pairs (their weights add).
 * Multi-compartment populations are graph members per circuit (hx-neurons.ts): a pre neuron sends from the
 * first circuit of its projection's source compartment, a post neuron's connections go round-robin to the
 * circuits of the target compartment (as routing spreads a compartment's in-degree).
 */
export function routedParts(projections: readonly Projection[]): RoutedPart[] {
  const parts: RoutedPart[] = [];
  for (const projection of projections) {
    const pre = projection.pre.populations();
    const post = projection.post.populations();
    const direct = pre.length === 1 && post.length === 1 ? directPart(projection, pre[0]!, post[0]!) : undefined;
    for (const part of direct === undefined ? groupedParts(projection) : [direct]) parts.push(onCircuits(part));
  }
  return parts;
}

/** A part with its multi-compartment sides mapped onto their circuit members. */
function onCircuits(part: RoutedPart): RoutedPart {
  const preMc = part.pre.cellType instanceof McNeuron ? part.pre.cellType.morphology : undefined;
  const postMc = part.post.cellType instanceof McNeuron ? part.post.cellType.morphology : undefined;
  if (preMc === undefined && postMc === undefined) return part;
  const preOffset = preMc?.compartmentCircuits[part.projection.preCompartment]![0] ?? 0;
  const targets = postMc?.compartmentCircuits[part.projection.postCompartment];
  const next = new Map<number, number>();
  const connections = part.connections.map((c) => {
    let post = c.post;
    if (postMc !== undefined) {
      const r = next.get(c.post) ?? 0;
      next.set(c.post, r + 1);
      post = c.post * postMc.circuits.length + targets![r % targets!.length]!;
    }
    return { pre: preMc === undefined ? c.pre : c.pre * preMc.circuits.length + preOffset, post, weight: c.weight };
  });
  return { ...part, connections };
}

/** Pairs a bitset may track: beyond this (pre × post members), the general path's map does. */
const MAX_BITSET_PAIRS = 2 ** 24;

/**
 * The common case, one population on each side: one part, connections in their order, unless a (pre, post) pair
 * repeats (then undefined, for the general path).
 */
function directPart(projection: Projection, pre: Population, post: Population): RoutedPart | undefined {
  if (pre.size * post.size > MAX_BITSET_PAIRS) return undefined;
  const preIndex = Int32Array.from(projection.pre.members(), (m) => m.index);
  const postIndex = Int32Array.from(projection.post.members(), (m) => m.index);
  const seen = new Uint8Array(pre.size * post.size);
  const source = projection.connections;
  const connections = new Array<Connection>(source.length);
  for (let k = 0; k < source.length; k++) {
    const c = source[k]!;
    const i = preIndex[c.pre]!;
    const j = postIndex[c.post]!;
    const pair = i * post.size + j;
    if (seen[pair] === 1) return undefined;
    seen[pair] = 1;
    connections[k] = { pre: i, post: j, weight: chipWeight(c.weight) };
  }
  return { projection, name: projection.label, pre, post, connections, sourcesOf: (r) => [r] };
}

/** Any projection: split by population pair (views, assemblies), repeated pairs merged. */
function groupedParts(projection: Projection): RoutedPart[] {
  const parts: RoutedPart[] = [];
  const preMembers = projection.pre.members();
  const postMembers = projection.post.members();
  // Numeric keys: population pairs, then neuron pairs (indices < 2^20, populations < 2^12). A pair's first
  // connection is its source; repeats are listed apart.
  type Group = { pre: Population; post: Population; index: Map<number, number>; first: number[]; repeats: Map<number, number[]>; connections: Connection[]; weights: number[] };
  const groups = new Map<number, Group>();
  const connections = projection.connections;
  for (let k = 0; k < connections.length; k++) {
    const c = connections[k]!;
    const pre = preMembers[c.pre]!;
    const post = postMembers[c.post]!;
    const key = pre.population.index * 4096 + post.population.index;
    let group = groups.get(key);
    if (group === undefined) {
      group = { pre: pre.population, post: post.population, index: new Map(), first: [], repeats: new Map(), connections: [], weights: [] };
      groups.set(key, group);
    }
    const pairKey = pre.index * 1048576 + post.index;
    const r = group.index.get(pairKey);
    if (r === undefined) {
      group.index.set(pairKey, group.first.length);
      group.first.push(k);
      group.weights.push(c.weight);
      group.connections.push({ pre: pre.index, post: post.index, weight: 0 });
    } else {
      group.weights[r]! += c.weight;
      const list = group.repeats.get(r);
      if (list === undefined) group.repeats.set(r, [k]);
      else list.push(k);
    }
  }
  const single = groups.size === 1;
  for (const group of groups.values()) {
    parts.push({
      projection,
      name: single ? projection.label : `${projection.label} (${group.pre.label} → ${group.post.label})`,
      pre: group.pre,
      post: group.post,
      connections: group.connections.map((c, r) => ({ pre: c.pre, post: c.post, weight: chipWeight(group.weights[r]!) })),
      sourcesOf: (r) => [group.first[r]!, ...(group.repeats.get(r) ?? [])],
    });
  }
  return parts;
}
