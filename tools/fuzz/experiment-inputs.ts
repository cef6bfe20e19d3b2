// Inputs of the experiment fuzzer: mutated experiment documents (from the valid files of
// test-fixtures/experiments and from random valid-looking ones) and random PyNN API call sequences, all drawn
// from one seeded generator per case so that a finding is reproduced by its case seed alone.
import * as pynn from '@bss2/pynn';
import { cellTypeNames, type CellType, type CellTypeName } from '@bss2/pynn';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Random } from './fuzz-inputs.js';

/** Longest run of one case, ms biological: keeps a case to milliseconds of simulation. */
export const MAX_RUN_MS = 5;

/**
 * Bounds of the edge values. `bounded` (the default, and what CI runs) stays inside the sizes the stack is
 * expected to refuse or handle quickly; `extreme` adds the sizes whose limits are still being added
 * (Population(1e9), 10^6 spike times, nesting thousands deep), so it finds what those limits must catch.
 */
export type Profile = 'bounded' | 'extreme';

interface Bounds {
  hugeNumbers: readonly number[];
  longArray: number;
  depth: number;
}

const BOUNDS: Record<Profile, Bounds> = {
  bounded: { hugeNumbers: [2 ** 10, 2 ** 16, 2 ** 20], longArray: 4096, depth: 64 },
  extreme: { hugeNumbers: [2 ** 20, 2 ** 31, 1e9, 2 ** 53, 1e308], longArray: 1_000_000, depth: 20_000 },
};

const FIXTURE_DIR = fileURLToPath(new URL('../../test-fixtures/experiments/', import.meta.url));
/** The valid example files; the invalid ones are test material for the parser's messages, not seeds. */
const FIXTURE_FILES = ['single-neuron.json', 'balanced-network.json'];

let fixtures: readonly unknown[] | undefined;

/** The valid fixture documents, bounded: nominal calibration, an ideal chip and a run of at most MAX_RUN_MS. */
export function fixtureDocuments(): readonly unknown[] {
  fixtures ??= FIXTURE_FILES.map((file) => {
    const document = JSON.parse(readFileSync(FIXTURE_DIR + file, 'utf8')) as Record<string, unknown>;
    const setup = (document.setup ?? {}) as Record<string, unknown>;
    return { ...document, setup: { ...setup, calibration: 'nominal', idealChip: true }, duration_ms: Math.min(Number(document.duration_ms), MAX_RUN_MS) };
  });
  return fixtures;
}

/** Strings a number parser turns into NaN or Infinity, or that look numeric to a person. */
const NUMBER_STRINGS = ['NaN', 'abc', '', ' 5 ', '1e999', '-Infinity', '0x10', '5ms', 'null'];
const UNKNOWN_KEYS = ['foo', '__proto__', 'constructor', 'toString', 'Size', 'label ', 'prototype'];

/** One edge value: NaN-producing strings, negative, zero, fractional, huge (per profile), wrong types. */
export function edgeValue(random: Random, profile: Profile): unknown {
  const bounds = BOUNDS[profile];
  switch (random.below(9)) {
    case 0:
      return random.pick(NUMBER_STRINGS);
    case 1:
      return random.pick([-1, -0.5, -(2 ** 31), -1e-9, -0]);
    case 2:
      return random.pick([0, 0.5, 1, 1.5, 1e-12, 255, 256, 511, 512, 513]);
    case 3:
      return random.pick(bounds.hugeNumbers);
    // JSON.parse('1e999') is Infinity: a reader of an experiment file can meet it.
    case 4:
      return random.pick([Infinity, -Infinity, Number.MAX_SAFE_INTEGER + 2, Number.EPSILON]);
    case 5:
      return random.pick([true, false, null, {}, [], [[]], 'IF_curr_exp', 'spikes']);
    case 6:
      return longArray(random, profile);
    case 7:
      return deepValue(random, profile);
    default:
      return random.pick([[0, 1], [1, 0], [0, 0], [-1, 2], [0, 2 ** 20]]);
  }
}

/** An array of up to the profile's length: numbers, sorted or not, or repeats of one small value. */
export function longArray(random: Random, profile: Profile): unknown[] {
  const length = random.below(BOUNDS[profile].longArray + 1);
  switch (random.below(3)) {
    case 0:
      return Array.from({ length }, (_, i) => i * 0.01);
    case 1:
      return Array.from({ length }, () => random.next() * 10);
    default:
      return Array.from({ length }, () => random.pick([0, true, 'v', null]));
  }
}

/** Arrays or objects nested up to the profile's depth, a number at the bottom. */
export function deepValue(random: Random, profile: Profile): unknown {
  const depth = 1 + random.below(BOUNDS[profile].depth);
  let value: unknown = random.below(10);
  for (let i = 0; i < depth; i++) value = random.below(2) === 0 ? [value] : { a: value };
  return value;
}

type Container = Record<string, unknown> | unknown[];

/** Every container of `document` with the path to it; a budget keeps long arrays from dominating. */
function containers(document: unknown, budget = 2000): { path: (string | number)[]; value: Container }[] {
  const found: { path: (string | number)[]; value: Container }[] = [];
  const stack: { path: (string | number)[]; value: unknown }[] = [{ path: [], value: document }];
  while (stack.length > 0 && found.length < budget) {
    const { path, value } = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    found.push({ path, value: value as Container });
    for (const [key, child] of Object.entries(value)) stack.push({ path: [...path, Array.isArray(value) ? Number(key) : key], value: child });
  }
  return found;
}

/** Sets an own property even for '__proto__' (as JSON.parse does), so unknown keys reach the parser as data. */
function put(target: Container, key: string | number, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Wrong-typed twin of a value: a number as a string, a string as a number, a list as an object, and so on. */
function wrongType(random: Random, value: unknown): unknown {
  if (typeof value === 'number') return random.pick([String(value), [value], { value }, value !== 0]);
  if (typeof value === 'string') return random.pick([value.length, [value], { [value]: 1 }, Number(value)]);
  if (typeof value === 'boolean') return random.pick([Number(value), String(value)]);
  if (Array.isArray(value)) return random.pick([{ ...value }, value.length, value[0]]);
  if (value !== null && typeof value === 'object') return random.pick([Object.values(value), Object.keys(value), JSON.stringify(value)]);
  return random.pick([0, '', [], {}]);
}

/** Applies 1–4 edits to a deep copy: delete, duplicate, edge value, wrong type, unknown key, swap, nudge. */
export function mutateDocument(random: Random, document: unknown, profile: Profile): unknown {
  const root = { document: structuredClone(document) } as Record<string, unknown>;
  const edits = 1 + random.below(4);
  for (let e = 0; e < edits; e++) {
    const nodes = containers(root);
    const { value: node } = random.pick(nodes.length > 1 ? nodes.slice(1) : nodes);
    const keys = Object.keys(node);
    const key = keys.length === 0 ? undefined : random.pick(keys);
    const slot = Array.isArray(node) ? Number(key) : key;
    switch (random.below(8)) {
      case 0:
        if (slot === undefined) break;
        if (Array.isArray(node)) node.splice(slot as number, 1);
        else delete node[slot as string];
        break;
      case 1:
        // Duplicate: an array element twice (repeated labels, steps) or a key's value under a sibling key.
        if (slot === undefined) break;
        if (Array.isArray(node)) node.splice(slot as number, 0, structuredClone(node[slot as number]));
        else if (keys.length > 1) put(node, random.pick(keys), structuredClone(node[slot as string]));
        break;
      case 2:
      case 3:
        if (slot !== undefined) put(node, slot, edgeValue(random, profile));
        break;
      case 4:
        if (slot !== undefined) put(node, slot, wrongType(random, (node as Record<string | number, unknown>)[slot]));
        break;
      case 5:
        if (Array.isArray(node)) node.push(edgeValue(random, profile));
        else put(node, random.pick(UNKNOWN_KEYS), random.pick([1, 'x', {}, null]));
        break;
      case 6: {
        // Swap two values anywhere in the document (a label where a size belongs, a step where a population does).
        const other = random.pick(nodes);
        const otherKeys = Object.keys(other.value);
        if (slot === undefined || otherKeys.length === 0) break;
        const otherKey = random.pick(otherKeys);
        const otherSlot = Array.isArray(other.value) ? Number(otherKey) : otherKey;
        const a = (node as Record<string | number, unknown>)[slot];
        put(node, slot, (other.value as Record<string | number, unknown>)[otherSlot]);
        put(other.value, otherSlot, a);
        break;
      }
      default: {
        if (slot === undefined) break;
        const value = (node as Record<string | number, unknown>)[slot];
        if (typeof value === 'number') put(node, slot, random.pick([value + 1, value - 1, value * 2, -value, value / 3, Math.floor(value / 2)]));
        else put(node, slot, edgeValue(random, profile));
      }
    }
  }
  return root.document;
}

const NEURON_TYPES: readonly CellTypeName[] = ['IF_curr_exp', 'IF_cond_exp', 'EIF_cond_exp_isfa_ista', 'HXNeuron'];
const CONNECTOR_TYPES = ['AllToAll', 'OneToOne', 'FixedProbability', 'FixedNumberPre', 'FixedNumberPost', 'FixedTotalNumber', 'FromList', 'Array'] as const;

const defaultsOf = new Map<CellTypeName, Record<string, unknown>>();

/** Parameter names and defaults of a cell type, from the cell type itself. */
export function cellDefaults(cellType: CellTypeName): Record<string, unknown> {
  let defaults = defaultsOf.get(cellType);
  if (defaults === undefined) {
    defaults = new (pynn[cellType] as new () => CellType)().defaults;
    defaultsOf.set(cellType, defaults);
  }
  return defaults;
}

/** A parameter value near its default: scaled numbers, the same flags, spike times within the run. */
function nearDefault(random: Random, name: string, value: unknown, size: number): unknown {
  if (name === 'spike_times') {
    const times = () => Array.from({ length: random.below(8) }, () => Math.round(random.next() * MAX_RUN_MS * 1000) / 1000).sort((a, b) => a - b);
    return random.below(3) === 0 ? Array.from({ length: size }, times) : times();
  }
  if (typeof value === 'number') {
    const scaled = value === 0 ? random.next() * 10 : value * (0.5 + random.next());
    return random.below(4) === 0 ? Array.from({ length: size }, () => scaled) : Math.round(scaled * 1000) / 1000;
  }
  return value;
}

/** Random parameters of a cell type: a few of its own, near their defaults. */
export function randomParameters(random: Random, cellType: CellTypeName, size: number): Record<string, unknown> {
  const defaults = Object.entries(cellDefaults(cellType));
  const parameters: Record<string, unknown> = {};
  const count = random.below(Math.min(4, defaults.length) + 1);
  for (let i = 0; i < count; i++) {
    const [name, value] = random.pick(defaults);
    parameters[name] = nearDefault(random, name, value, size);
  }
  return parameters;
}

/** A random connector as an experiment file spells it, for pre and post groups of the given sizes. */
export function randomConnector(random: Random, preSize: number, postSize: number): Record<string, unknown> {
  const type = random.pick(CONNECTOR_TYPES);
  const seed = random.below(2) === 0 ? { seed: random.below(1000) } : {};
  switch (type) {
    case 'AllToAll':
      return { type, ...(random.below(2) === 0 ? { allowSelfConnections: random.below(2) === 0 } : {}) };
    case 'OneToOne':
      return { type };
    case 'FixedProbability':
      return { type, p: Math.round(random.next() * 100) / 100, ...seed };
    case 'FixedNumberPre':
      return { type, n: random.below(preSize + 1), ...seed };
    case 'FixedNumberPost':
      return { type, n: random.below(postSize + 1), ...seed };
    case 'FixedTotalNumber':
      return { type, n: random.below(preSize * postSize + 1), withReplacement: random.below(2) === 0, ...seed };
    case 'FromList':
      return { type, connections: Array.from({ length: random.below(6) }, () => [random.below(preSize), random.below(postSize), ...(random.below(2) === 0 ? [random.below(64)] : [])]) };
    default:
      return { type, matrix: Array.from({ length: preSize }, () => Array.from({ length: postSize }, () => random.below(2) === 0)) };
  }
}

/** A small valid-looking experiment document: 1–4 populations, 0–4 projections, a schedule of at most 3 runs. */
export function randomDocument(random: Random): Record<string, unknown> {
  const populations = Array.from({ length: 1 + random.below(4) }, (_, i) => {
    const cellType = random.below(2) === 0 ? random.pick(NEURON_TYPES) : random.pick(cellTypeNames);
    const size = 1 + random.below(random.below(4) === 0 ? 64 : 8);
    const recordables = cellType.startsWith('SpikeSource') ? ['spikes'] : cellType === 'EIF_cond_exp_isfa_ista' ? ['spikes', 'v', 'w'] : ['spikes', 'v'];
    const record = random.below(2) === 0 ? [] : [random.below(3) === 0 ? { variables: [random.pick(recordables)], indices: [random.below(size)] } : 'spikes'];
    return { label: `p${i}`, size, cellType, parameters: randomParameters(random, cellType, size), ...(record.length > 0 ? { record } : {}) };
  });
  const neurons = populations.filter((p) => !p.cellType.startsWith('SpikeSource'));
  const projections = neurons.length === 0 ? [] : Array.from({ length: random.below(5) }, () => {
    const pre = random.pick(populations);
    const post = random.pick(neurons);
    const inhibitory = random.below(4) === 0;
    return {
      pre: pre.label,
      post: post.label,
      connector: randomConnector(random, pre.size, post.size),
      synapse: { weight: (inhibitory ? -1 : 1) * random.below(64) },
      ...(inhibitory ? { receptorType: 'inhibitory' } : {}),
    };
  });
  const schedule: Record<string, unknown>[] = [];
  const runs = 1 + random.below(3);
  for (let r = 0; r < runs; r++) {
    if (r > 0 && random.below(3) === 0) schedule.push({ reset: true });
    if (neurons.length > 0 && random.below(4) === 0) {
      const target = random.pick(neurons);
      schedule.push({ set: { population: target.label, parameters: randomParameters(random, target.cellType, target.size) } });
    }
    schedule.push({ run: Math.round((0.1 + random.next() * (MAX_RUN_MS / runs - 0.1)) * 1000) / 1000 });
  }
  return {
    name: 'fuzz',
    setup: { calibration: 'nominal', idealChip: true, chipSeed: random.below(4), seed: random.below(100) },
    populations,
    ...(projections.length > 0 ? { projections } : {}),
    schedule,
  };
}
