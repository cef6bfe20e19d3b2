// PyNN objects → the execution layer's network graph and run inputs, in hardware units. Each piece is kept while
// what it is made of is unchanged (parameter, recorder and weight versions), so the executor sees the same
// objects run after run and reuses its routing, calibration and neuron configurations.
import { type GraphPopulation, type InputSource, type NeuronSpec, type RunInputs, mixSeeds } from '@bss2/execution';
import type { Projection as RoutedProjection } from '@bss2/routing';
import { type CurrentSource, type OffsetDrive, offsetDrives } from './current-sources.js';
import { type HxBase, type McPlacement, mcSpecs, placeMcPopulations } from './hx-neurons.js';
import { McNeuron } from './multicompartment.js';
import { type Realisation, type RoutedPart, realisations, routedParts } from './network.js';
import { neuronSpecs } from './neurons.js';
import type { Population } from './populations.js';
import type { Projection } from './projection.js';
import { type MemberLayout, type RecordingPlan, recordingPlan } from './recording.js';
import type { SiteOfMember } from './results.js';
import { hzToChipHz, msToChipMicroseconds } from './units.js';

/** The graph of the simulator's network as of now, and how each population is realised. */
export interface BuiltGraph {
  readonly populations: readonly GraphPopulation[];
  readonly projections: readonly RoutedProjection[];
  readonly parts: readonly RoutedPart[];
  readonly how: ReadonlyMap<Population, Realisation>;
  readonly recording: RecordingPlan;
  /** Multi-compartment populations: the neuron and location behind each graph member. */
  readonly sites: ReadonlyMap<Population, SiteOfMember>;
}

/** How the neurons' specs are chosen: HXNeurons' base, the placement order, the current sources and the time. */
export interface TranslationOptions {
  readonly seed: number;
  readonly onChipPoisson: 'auto' | 'never';
  readonly hxBase: HxBase;
  readonly neuronPermutation?: readonly number[] | undefined;
}

/** A multi-compartment population's members: per circuit, placed by pynn (hx-neurons.ts). */
interface McLayout extends MemberLayout {
  readonly placement: McPlacement;
  readonly siteOf: SiteOfMember;
}

function mcLayout(p: Population, placement: McPlacement): McLayout {
  const morphology = (p.cellType as McNeuron).morphology;
  const K = morphology.circuits.length;
  return {
    placement,
    membersOf: (index, location) => morphology.compartmentCircuits[location]!.map((k) => index * K + k),
    circuitOf: (member) => placement.members[member]!.atomicNeurons()[0]!.value,
    siteOf: (member) => ({ index: Math.floor(member / K), location: morphology.circuits[member % K]!.compartment }),
  };
}

export class GraphTranslation {
  readonly #seed: number;
  readonly #onChipPoisson: 'auto' | 'never';
  readonly #hxBase: HxBase;
  readonly #permutation: readonly number[] | undefined;
  readonly #nodes = new Map<Population, { key: string; node: GraphPopulation }>();
  readonly #specs = new Map<Population, { key: string; specs: NeuronSpec[] }>();
  readonly #inputs = new Map<Population, { version: number; source: InputSource }>();
  #parts: { key: string; parts: RoutedPart[]; projections: RoutedProjection[] } | undefined;
  #mc: { populations: readonly Population[]; layouts: Map<Population, McLayout> } | undefined;

  constructor(options: TranslationOptions) {
    this.#seed = options.seed;
    this.#onChipPoisson = options.onChipPoisson;
    this.#hxBase = options.hxBase;
    this.#permutation = options.neuronPermutation;
  }

  /**
   * The graph as of segment time `time_ms`: current sources (`sources`) switch the offset currents they drive
   * as they do at that time.
   */
  build(populations: readonly Population[], projections: readonly Projection[], time_ms = 0, sources: readonly CurrentSource[] = []): BuiltGraph {
    const how = realisations(populations, this.#onChipPoisson);
    const layouts = this.#mcLayouts(populations);
    const nodes = populations.map((p) => this.#node(p, how.get(p)!, layouts.get(p), p.cellType.kind === 'lif' ? offsetDrives(p, sources, time_ms) : undefined));
    const partsKey = projections.map((p) => `${p.label}:${p.weightVersion}:${p.size()}`).join('|');
    if (this.#parts?.key !== partsKey) {
      const parts = routedParts(projections);
      this.#parts = {
        key: partsKey,
        parts,
        projections: parts.map((part) => ({ name: part.name, pre: part.pre.label, post: part.post.label, receptor: part.projection.receptorType, connections: part.connections })),
      };
    }
    const sites = new Map([...layouts].map(([p, layout]) => [p, layout.siteOf]));
    return { populations: nodes, projections: this.#parts.projections, parts: this.#parts.parts, how, recording: recordingPlan(populations, layouts), sites };
  }

  /** The placements of the multi-compartment populations, kept while the populations are the same. */
  #mcLayouts(populations: readonly Population[]): Map<Population, McLayout> {
    const mc = populations.filter((p) => p.cellType instanceof McNeuron);
    if (this.#mc === undefined || this.#mc.populations.length !== mc.length || this.#mc.populations.some((p, i) => p !== mc[i])) {
      const placements = placeMcPopulations(mc, this.#permutation);
      this.#mc = { populations: mc, layouts: new Map([...placements].map(([p, placement]) => [p, mcLayout(p, placement)])) };
    }
    return this.#mc.layouts;
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

  #node(p: Population, r: Realisation, layout: McLayout | undefined, drives: readonly (OffsetDrive | undefined)[] | undefined): GraphPopulation {
    const specsKey = `${p.parameterVersion}|${drives === undefined ? '' : JSON.stringify(drives)}`;
    const key = `${specsKey}|${p.recorder.version}|${JSON.stringify(r)}`;
    const cached = this.#nodes.get(p);
    if (cached?.key === key) return cached.node;
    const recordSpikes = Array.from({ length: p.size }, (_, i) => p.recorder.variablesOf(i).has('spikes'));
    let node: GraphPopulation;
    if (r.kind === 'neurons') {
      let specs = this.#specs.get(p);
      if (specs === undefined || specs.key !== specsKey) {
        specs = { key: specsKey, specs: layout === undefined ? neuronSpecs(p, this.#hxBase, drives) : mcSpecs(p, layout.placement, this.#hxBase) };
        this.#specs.set(p, specs);
      }
      if (layout === undefined) node = { kind: 'neurons', name: p.label, size: p.size, neurons: specs.specs, recordSpikes };
      else {
        // A location's spikes come from the first circuit of its compartment (hardware.md §11.1: spike master 0).
        const morphology = (p.cellType as McNeuron).morphology;
        const K = morphology.circuits.length;
        const members = Array.from({ length: p.size * K }, (_, m) => {
          const { compartment, position } = morphology.circuits[m % K]!;
          return position === 0 && p.recorder.variablesOf(Math.floor(m / K), compartment).has('spikes');
        });
        node = { kind: 'neurons', name: p.label, size: p.size * K, neurons: specs.specs, recordSpikes: members, placement: layout.placement.members };
      }
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
