import {
  AtomicNeuronOnLogicalNeuron,
  NeuronColumnOnLogicalNeuron,
  NeuronRowOnLogicalNeuron,
} from '@bss2/halco';
import { LogicalNeuronCompartments, LogicalNeuronOnDLS, nominal } from '@bss2/lola';
import { NetworkError, NetworkRule } from './errors.js';
import {
  HEMISPHERES,
  RECEPTORS,
  type BackgroundPopulation,
  type Network,
  type NeuronPopulation,
  type Population,
  type Projection,
  type Receptor,
} from './network.js';

/** A single neuron circuit: the default shape of a neuron (§10.1). */
export const SINGLE_CIRCUIT = new LogicalNeuronCompartments([
  [new AtomicNeuronOnLogicalNeuron(new NeuronColumnOnLogicalNeuron(0), new NeuronRowOnLogicalNeuron(0))],
]);

/** Background sources: the random mask is 8 bits wide (§3.7), so at most 2^8 sources per population. */
export const MAX_BACKGROUND_SIZE = nominal.backgroundRandomLabelCount;
const MAX_PERIOD = nominal.backgroundPeriodMax_ticks;
const MAX_RATE = nominal.backgroundRateSteps;
const MAX_SEED = nominal.backgroundSeedMax;

/** A validated network with its lookup tables. */
export interface IndexedNetwork {
  readonly network: Network;
  readonly populations: readonly Population[];
  readonly populationIndex: ReadonlyMap<string, number>;
  readonly projectionIndex: ReadonlyMap<string, number>;
  /** Population indices of each projection's pre and post. */
  readonly projectionPre: readonly number[];
  readonly projectionPost: readonly number[];
  readonly recorded: ReadonlySet<number>;
}

/** The shape of neuron `index` of a neuron population. */
export function shapeOf(population: NeuronPopulation, index: number): LogicalNeuronCompartments {
  return population.placement?.[index]?.compartments ?? population.shape ?? SINGLE_CIRCUIT;
}

/** Whether the circuit at `position` of `compartment` carries `receptor` (default: every circuit carries both). */
export function carriesReceptor(population: NeuronPopulation, compartment: number, position: number, receptor: Receptor): boolean {
  const given = population.receptors?.[compartment]?.[position];
  return given === undefined ? true : given.includes(receptor);
}

function isSafeCount(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= min && value <= max;
}

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

function checkName(kind: string, name: unknown): string {
  if (typeof name !== 'string' || name.length === 0) {
    throw new NetworkError(NetworkRule.invalidName, `a ${kind} needs a non-empty name, got ${describe(name)}`);
  }
  return name;
}

function checkNeuronPopulation(p: NeuronPopulation): void {
  const details = { population: p.name };
  if (p.shape !== undefined && !(p.shape instanceof LogicalNeuronCompartments)) {
    throw new NetworkError(NetworkRule.invalidPlacement, `population '${p.name}': shape must be LogicalNeuronCompartments (Morphology.done().compartments)`, details);
  }
  if (p.placement !== undefined) {
    if (!Array.isArray(p.placement) || p.placement.length !== p.size) {
      throw new NetworkError(
        NetworkRule.invalidPlacement,
        `population '${p.name}' has ${p.size} neurons but its explicit placement lists ${Array.isArray(p.placement) ? p.placement.length : describe(p.placement)}`,
        { ...details, limit: p.size, value: Array.isArray(p.placement) ? p.placement.length : undefined },
      );
    }
    p.placement.forEach((placed, i) => {
      if (!(placed instanceof LogicalNeuronOnDLS)) {
        throw new NetworkError(NetworkRule.invalidPlacement, `population '${p.name}': placement[${i}] is not a LogicalNeuronOnDLS`, details);
      }
    });
  }
  if (p.receptors === undefined) return;
  for (let i = 0; i < p.size; i++) {
    const shape = shapeOf(p, i).toArray();
    const fail = (what: string) => {
      throw new NetworkError(NetworkRule.invalidReceptors, `population '${p.name}', neuron ${i}: receptors ${what}`, details);
    };
    if (!Array.isArray(p.receptors) || p.receptors.length !== shape.length) fail(`must list ${shape.length} compartment(s)`);
    shape.forEach((members, c) => {
      const perCircuit = p.receptors![c];
      if (!Array.isArray(perCircuit) || perCircuit.length !== members.length) fail(`of compartment ${c} must list ${members.length} circuit(s)`);
      perCircuit!.forEach((list, k) => {
        if (!Array.isArray(list) || list.some((r) => !RECEPTORS.includes(r))) fail(`of compartment ${c}, circuit ${k} must be a list of 'excitatory' / 'inhibitory'`);
      });
    });
    if (p.placement === undefined) break; // one shape for all neurons: checked once
  }
}

function checkBackgroundPopulation(p: BackgroundPopulation): void {
  const details = { population: p.name };
  const mode = p.mode ?? 'poisson';
  const fail = (message: string, limit?: number, value?: number): never => {
    throw new NetworkError(NetworkRule.invalidBackground, `background population '${p.name}': ${message}`, { ...details, limit, value });
  };
  if (mode !== 'poisson' && mode !== 'regular') fail(`mode must be 'poisson' or 'regular', got ${describe(mode)}`);
  if (mode === 'regular' && p.size !== 1) fail(`a regular generator emits one label, so the size must be 1, got ${p.size}`, 1, p.size);
  // §3.7: the random mask replaces label bits, so a Poisson population spans a power of two of labels.
  if (mode === 'poisson' && ((p.size & (p.size - 1)) !== 0 || p.size > MAX_BACKGROUND_SIZE)) {
    fail(`a Poisson generator draws its source from random label bits, so the size must be a power of two up to ${MAX_BACKGROUND_SIZE}, got ${p.size}`, MAX_BACKGROUND_SIZE, p.size);
  }
  if (!isSafeCount(p.period, 1, MAX_PERIOD)) fail(`period must be an integer in 1..${MAX_PERIOD} (125 MHz ticks), got ${describe(p.period)}`);
  if (p.rate !== undefined && !isSafeCount(p.rate, 0, MAX_RATE)) fail(`rate must be an integer in 0..${MAX_RATE} (1/255 per period), got ${describe(p.rate)}`);
  if (p.seed !== undefined && !isSafeCount(p.seed, 0, MAX_SEED)) fail(`seed must be a 32-bit unsigned integer, got ${describe(p.seed)}`);
  if (p.hemispheres !== undefined) {
    const h = p.hemispheres;
    if (!Array.isArray(h) || h.length === 0 || h.some((x) => !HEMISPHERES.includes(x)) || new Set(h).size !== h.length) {
      fail(`hemispheres must be a non-empty list of distinct 'top' / 'bottom', got ${JSON.stringify(h)}`);
    }
  }
}

/** Below this many words a bitset of (pre, post) is cheaper than sorting, whatever the connection count. */
const BITSET_MIN_WORDS = 2048;
/** Keys stay below 2^31, so `key >>> 5` indexes the bitset. */
const BITSET_MAX_WORDS = 2 ** 26;

function checkProjection(projection: Projection, pre: Population, post: Population): void {
  const details = { projection: projection.name, population: post.name };
  if (post.kind !== 'neurons') {
    throw new NetworkError(
      NetworkRule.offChipTarget,
      `projection '${projection.name}' targets '${post.name}', a${post.kind === 'external' ? 'n external' : ' background'} population: only neurons on the chip receive synapses`,
      details,
    );
  }
  if (!RECEPTORS.includes(projection.receptor)) {
    throw new NetworkError(NetworkRule.invalidReceptors, `projection '${projection.name}': receptor must be 'excitatory' or 'inhibitory', got ${describe(projection.receptor)}`, details);
  }
  const compartment = projection.postCompartment ?? 0;
  if (!isSafeCount(compartment, 0, Number.MAX_SAFE_INTEGER)) {
    throw new NetworkError(NetworkRule.invalidCompartment, `projection '${projection.name}': postCompartment must be a non-negative integer, got ${describe(compartment)}`, details);
  }
  for (let i = 0; i < post.size; i++) {
    const compartments = shapeOf(post, i).size;
    if (compartment >= compartments) {
      throw new NetworkError(
        NetworkRule.invalidCompartment,
        `projection '${projection.name}' targets compartment ${compartment}, but neuron ${i} of '${post.name}' has ${compartments} compartment(s)`,
        { ...details, limit: compartments - 1, value: compartment },
      );
    }
    if (post.placement === undefined) break;
  }
  if (!Array.isArray(projection.connections)) {
    throw new NetworkError(NetworkRule.invalidWeight, `projection '${projection.name}': connections must be an array`, details);
  }
  const connections = projection.connections;
  const count = connections.length;
  const preSize = pre.size;
  const postSize = post.size;
  // Duplicates: a bitset over (pre, post) when it is small next to the connection list (a full chip's 512 × 512),
  // else a typed sort of the keys; either way the report comes from the sort, so it names the same connections.
  const cells = preSize * postSize;
  const seen = cells <= 32 * Math.min(Math.max(count, BITSET_MIN_WORDS), BITSET_MAX_WORDS) ? new Int32Array(Math.ceil(cells / 32)) : undefined;
  const keys = seen === undefined ? new Float64Array(count) : undefined;
  let duplicate = false;
  for (let k = 0; k < count; k++) {
    const c = connections[k]!;
    const cPre = c.pre;
    const cPost = c.post;
    const weight = c.weight;
    if (!isSafeCount(cPre, 0, preSize - 1)) throw indexError(projection, k, 'pre', cPre, pre, details);
    if (!isSafeCount(cPost, 0, postSize - 1)) throw indexError(projection, k, 'post', cPost, post, details);
    if (!isSafeCount(weight, 0, Number.MAX_SAFE_INTEGER)) {
      throw new NetworkError(NetworkRule.invalidWeight, `projection '${projection.name}', connection ${k}: weight ${describe(weight)} must be a non-negative integer in hardware units`, details);
    }
    const key = cPre * postSize + cPost;
    if (keys !== undefined) {
      keys[k] = key;
      continue;
    }
    const word = key >>> 5;
    const bit = 1 << (key & 31);
    if ((seen![word]! & bit) !== 0) duplicate = true;
    seen![word]! |= bit;
  }
  if (keys !== undefined) reportDuplicate(projection, keys, details);
  else if (duplicate) reportDuplicate(projection, Float64Array.from(connections, (c) => c.pre * postSize + c.post), details);
}

function indexError(projection: Projection, k: number, role: 'pre' | 'post', value: unknown, population: Population, details: { projection: string; population: string }): NetworkError {
  return new NetworkError(
    NetworkRule.indexOutOfRange,
    `projection '${projection.name}', connection ${k}: ${role} index ${describe(value)} is outside '${population.name}' (0..${population.size - 1})`,
    {
      ...details,
      ...(role === 'pre' ? { population: population.name } : {}),
      limit: population.size - 1,
      value: typeof value === 'number' ? value : undefined,
    },
  );
}

/** Throws for the first duplicate key in sorted order (a typed sort beats a Set for the ~10^5 connections of a full chip). */
function reportDuplicate(projection: Projection, keys: Float64Array, details: { projection: string; population: string }): void {
  const sorted = keys.slice().sort();
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i] !== sorted[i - 1]) continue;
    const k = keys.indexOf(sorted[i]!);
    const c = projection.connections[k]!;
    throw new NetworkError(
      NetworkRule.duplicateConnection,
      `projection '${projection.name}', connection ${keys.indexOf(sorted[i]!, k + 1)}: (pre ${c.pre}, post ${c.post}, ${projection.receptor}) is connected twice (first at connection ${k}); merge the weights into one connection`,
      details,
    );
  }
}

/** Checks every "rejected before routing" rule of hardware.md §10.2 that concerns routing. */
export function validateNetwork(network: Network): IndexedNetwork {
  if (network === null || typeof network !== 'object' || !Array.isArray(network.populations) || !Array.isArray(network.projections)) {
    throw new NetworkError(NetworkRule.invalidName, 'a network needs populations and projections arrays');
  }
  const populationIndex = new Map<string, number>();
  network.populations.forEach((p, i) => {
    const name = checkName('population', p?.name);
    if (populationIndex.has(name)) throw new NetworkError(NetworkRule.duplicateName, `population name '${name}' is used twice`, { population: name });
    populationIndex.set(name, i);
    if (p.kind !== 'neurons' && p.kind !== 'external' && p.kind !== 'background') {
      throw new NetworkError(NetworkRule.invalidName, `population '${name}': kind must be 'neurons', 'external' or 'background', got ${describe((p as { kind: unknown }).kind)}`, { population: name });
    }
    if (!isSafeCount(p.size, 1, Number.MAX_SAFE_INTEGER)) {
      throw new NetworkError(NetworkRule.invalidSize, `population '${name}': size must be a positive integer, got ${describe(p.size)}`, { population: name });
    }
    if (p.kind === 'neurons') checkNeuronPopulation(p);
    if (p.kind === 'background') checkBackgroundPopulation(p);
  });
  const projectionIndex = new Map<string, number>();
  const projectionPre: number[] = [];
  const projectionPost: number[] = [];
  network.projections.forEach((projection, i) => {
    const name = checkName('projection', projection?.name);
    if (projectionIndex.has(name)) throw new NetworkError(NetworkRule.duplicateName, `projection name '${name}' is used twice`, { projection: name });
    projectionIndex.set(name, i);
    const pre = populationIndex.get(projection.pre);
    const post = populationIndex.get(projection.post);
    for (const [role, ref, index] of [['pre', projection.pre, pre], ['post', projection.post, post]] as const) {
      if (index === undefined) {
        throw new NetworkError(NetworkRule.unknownPopulation, `projection '${name}': ${role} population ${describe(ref)} does not exist`, { projection: name });
      }
    }
    checkProjection(projection, network.populations[pre!]!, network.populations[post!]!);
    projectionPre.push(pre!);
    projectionPost.push(post!);
  });
  const recorded = new Set<number>();
  for (const name of network.recorded ?? []) {
    const index = populationIndex.get(name);
    if (index === undefined) throw new NetworkError(NetworkRule.unknownPopulation, `recorded population ${describe(name)} does not exist`, { population: String(name) });
    if (network.populations[index]!.kind === 'external') {
      throw new NetworkError(NetworkRule.invalidRecording, `population '${name}' is external: its spikes never enter the chip's crossbar, so the chip cannot record them`, { population: name });
    }
    recorded.add(index);
  }
  return { network, populations: network.populations, populationIndex, projectionIndex, projectionPre, projectionPost, recorded };
}
