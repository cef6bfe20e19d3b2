// PyNN objects → the execution layer's network graph and run inputs, in hardware units. Each piece is kept while
// what it is made of is unchanged (parameter, recorder and weight versions), so the executor sees the same
// objects run after run and reuses its routing, calibration and neuron configurations.
import { type GraphPopulation, type InputSource, type NeuronSpec, type RunInputs, mixSeeds } from '@bss2/execution';
import type { Projection as RoutedProjection } from '@bss2/routing';
import { type Realisation, type RoutedPart, realisations, routedParts } from './network.js';
import { neuronSpecs } from './neurons.js';
import type { Population } from './populations.js';
import type { Projection } from './projection.js';
import { type RecordingPlan, recordingPlan } from './recording.js';
import { hzToChipHz, msToChipMicroseconds } from './units.js';

/** The graph of the simulator's network as of now, and how each population is realised. */
export interface BuiltGraph {
  readonly populations: readonly GraphPopulation[];
  readonly projections: readonly RoutedProjection[];
  readonly parts: readonly RoutedPart[];
  readonly how: ReadonlyMap<Population, Realisation>;
  readonly recording: RecordingPlan;
}

export class GraphTranslation {
  readonly #seed: number;
  readonly #onChipPoisson: 'auto' | 'never';
  readonly #nodes = new Map<Population, { key: string; node: GraphPopulation }>();
  readonly #specs = new Map<Population, { version: number; specs: NeuronSpec[] }>();
  readonly #inputs = new Map<Population, { version: number; source: InputSource }>();
  #parts: { key: string; parts: RoutedPart[]; projections: RoutedProjection[] } | undefined;

  constructor(seed: number, onChipPoisson: 'auto' | 'never') {
    this.#seed = seed;
    this.#onChipPoisson = onChipPoisson;
  }

  build(populations: readonly Population[], projections: readonly Projection[]): BuiltGraph {
    const how = realisations(populations, this.#onChipPoisson);
    const nodes = populations.map((p) => this.#node(p, how.get(p)!));
    const partsKey = projections.map((p) => `${p.label}:${p.weightVersion}:${p.size()}`).join('|');
    if (this.#parts?.key !== partsKey) {
      const parts = routedParts(projections);
      this.#parts = {
        key: partsKey,
        parts,
        projections: parts.map((part) => ({ name: part.name, pre: part.pre.label, post: part.post.label, receptor: part.projection.receptorType, connections: part.connections })),
      };
    }
    return { populations: nodes, projections: this.#parts.projections, parts: this.#parts.parts, how, recording: recordingPlan(populations) };
  }

  /** What the external populations send, in chip time; a Poisson train continues while its parameters do. */
  inputs(how: ReadonlyMap<Population, Realisation>): RunInputs {
    const inputs: Record<string, InputSource> = {};
    for (const [p, r] of how) {
      if (r.kind !== 'external') continue;
      let cached = this.#inputs.get(p);
      if (cached === undefined || cached.version !== p.parameterVersion) {
        cached = { version: p.parameterVersion, source: this.#source(p) };
        this.#inputs.set(p, cached);
      }
      inputs[p.label] = cached.source;
    }
    return inputs;
  }

  #source(p: Population): InputSource {
    const each = <T>(f: (i: number) => T) => Array.from({ length: p.size }, (_, i) => f(i));
    const value = (name: string, i: number) => p.parameterValue(name, i) as number;
    if (p.cellType.kind === 'spike-array') {
      return { kind: 'array', times_us: each((i) => (p.parameterValue('spike_times', i) as Float64Array).map(msToChipMicroseconds)) };
    }
    return {
      kind: 'poisson',
      rate_hz: each((i) => hzToChipHz(value('rate', i))),
      start_us: each((i) => msToChipMicroseconds(value('start', i))),
      stop_us: each((i) => msToChipMicroseconds(value('start', i) + value('duration', i))),
      seed: mixSeeds(this.#seed, p.index),
    };
  }

  #node(p: Population, r: Realisation): GraphPopulation {
    const key = `${p.parameterVersion}|${p.recorder.version}|${JSON.stringify(r)}`;
    const cached = this.#nodes.get(p);
    if (cached?.key === key) return cached.node;
    const recordSpikes = Array.from({ length: p.size }, (_, i) => p.recorder.variablesOf(i).has('spikes'));
    let node: GraphPopulation;
    if (r.kind === 'neurons') {
      let specs = this.#specs.get(p);
      if (specs === undefined || specs.version !== p.parameterVersion) {
        specs = { version: p.parameterVersion, specs: neuronSpecs(p) };
        this.#specs.set(p, specs);
      }
      node = { kind: 'neurons', name: p.label, size: p.size, neurons: specs.specs, recordSpikes };
    } else if (r.kind === 'external') node = { kind: 'external', name: p.label, size: p.size, recordSpikes };
    else {
      node = {
        kind: 'background',
        name: p.label,
        size: p.size,
        mode: 'poisson',
        period: r.settings.period_ticks,
        rate: r.settings.rate_setting,
        // The population's own seed, else distinct LFSR seeds per population; never 0 (an LFSR stuck at zero).
        seed: p.cellType.kind === 'poisson-on-chip' ? (p.parameterValue('seed', 0) as number) : ((this.#seed * 7919 + p.index * 104729 + 1) >>> 0) || 1,
        recordSpikes,
      };
    }
    this.#nodes.set(p, { key, node });
    return node;
  }
}
