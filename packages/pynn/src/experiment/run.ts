// runExperiment: a parsed experiment through the pynn module API (setup → populations → projections →
// schedule → getData → end), returning plain JSON-ready results.
import type { Connection } from '@bss2/hxcomm';
import { end, getBackendStatistics, reset, run, setup } from '../api.js';
import { AllToAllConnector, ArrayConnector, type Connector, FixedNumberPostConnector, FixedNumberPreConnector, FixedProbabilityConnector, FixedTotalNumberConnector, FromListConnector, OneToOneConnector } from '../connectors.js';
import type { Block } from '../data.js';
import { Assembly, type BasePopulation, Population } from '../populations.js';
import { Projection, StaticSynapse } from '../projection.js';
import { NumpyRNG } from '../random.js';
import { BUILT_IN_CHIP_OPTIONS, type SetupOptions } from '../setup-options.js';
import { cellTypeClasses } from './cell-types.js';
import type { Experiment, ExperimentPopulation, ExperimentProjection, ExperimentSetup } from './parse.js';
import type { ExperimentResults, JsonValue, PopulationResults, SegmentResults } from './results.js';

export interface RunExperimentOptions {
  /** A chip connection (e.g. from the environment); then the setup's built-in chip options are not used. */
  readonly connection?: Connection;
  /** Overrides `setup.calibration`: a mode, a CalibrationResult, or a provider (e.g. a disk cache). */
  readonly calibration?: SetupOptions['calibration'];
  /** Called as the experiment proceeds: what is happening and the fraction of the scheduled run time done. */
  readonly onProgress?: (step: string, fraction: number) => void;
}

type ViewReference = { readonly population: string; readonly indices?: readonly number[] | undefined; readonly slice?: readonly [number, number] | undefined };
type GroupReference = string | ViewReference | readonly string[];

const now = (): number => (globalThis as { performance?: { now(): number } }).performance?.now() ?? Date.now();

/** The setup as it runs: the file's, less the built-in chip options when the caller brings a connection. */
function effectiveSetup(experiment: Experiment, options: RunExperimentOptions): ExperimentSetup {
  const setup: Record<string, unknown> = { ...experiment.setup };
  if (options.connection !== undefined) for (const key of BUILT_IN_CHIP_OPTIONS) delete setup[key];
  return setup as ExperimentSetup;
}

function setupOptions(setup: ExperimentSetup, options: RunExperimentOptions): SetupOptions {
  const calibration = options.calibration ?? setup.calibration;
  return {
    ...setup,
    ...(calibration === undefined ? {} : { calibration }),
    ...(options.connection === undefined ? {} : { connection: options.connection }),
  };
}

function connectorOf(spec: ExperimentProjection['connector']): Connector {
  const rng = 'seed' in spec && spec.seed !== undefined ? { rng: new NumpyRNG({ seed: spec.seed }) } : {};
  const self = 'allowSelfConnections' in spec && spec.allowSelfConnections !== undefined ? { allowSelfConnections: spec.allowSelfConnections } : {};
  const replacement = 'withReplacement' in spec && spec.withReplacement !== undefined ? { withReplacement: spec.withReplacement } : {};
  switch (spec.type) {
    case 'AllToAll':
      return new AllToAllConnector(self);
    case 'OneToOne':
      return new OneToOneConnector();
    case 'FixedProbability':
      return new FixedProbabilityConnector(spec.p, { ...self, ...rng });
    case 'FixedNumberPre':
      return new FixedNumberPreConnector(spec.n, { ...self, ...replacement, ...rng });
    case 'FixedNumberPost':
      return new FixedNumberPostConnector(spec.n, { ...self, ...replacement, ...rng });
    case 'FixedTotalNumber':
      return new FixedTotalNumberConnector(spec.n, { ...self, ...replacement, ...rng });
    case 'FromList':
      return new FromListConnector(spec.connections.map((entry) => entry.filter((x): x is number => x !== undefined)));
    case 'Array':
      return new ArrayConnector(spec.matrix);
  }
}

class Network {
  readonly populations = new Map<string, Population>();
  readonly projections = new Map<string, Projection>();

  group(ref: GroupReference): BasePopulation {
    if (typeof ref === 'string') return this.populations.get(ref)!;
    if (Array.isArray(ref)) return new Assembly(...ref.map((label) => this.populations.get(label)!));
    const view = ref as ViewReference;
    const population = this.populations.get(view.population)!;
    return view.slice !== undefined ? population.slice(view.slice[0], view.slice[1]) : population.view(view.indices!);
  }

  addPopulation(spec: ExperimentPopulation): void {
    const cellType = new cellTypeClasses[spec.cellType](spec.parameters ?? {});
    const population = new Population(spec.size, cellType, { label: spec.label });
    this.populations.set(spec.label, population);
    const recordOptions = spec.samplingInterval === undefined ? {} : { samplingInterval: spec.samplingInterval };
    for (const entry of spec.record ?? []) {
      if (typeof entry === 'string') population.record(entry, recordOptions);
      else {
        const options = {
          ...recordOptions,
          ...(entry.device === undefined ? {} : { device: entry.device }),
          ...(entry.samplingInterval === undefined ? {} : { samplingInterval: entry.samplingInterval }),
        };
        if (entry.indices === undefined && entry.slice === undefined) population.record(entry.variables, options);
        else this.group({ population: spec.label, indices: entry.indices, slice: entry.slice }).record(entry.variables, options);
      }
    }
  }

  addProjection(spec: ExperimentProjection): void {
    const synapse = new StaticSynapse({ ...(spec.synapse?.weight === undefined ? {} : { weight: spec.synapse.weight }), ...(spec.synapse?.delay === undefined ? {} : { delay: spec.synapse.delay }) });
    this.projections.set(spec.label, new Projection(this.group(spec.pre), this.group(spec.post), connectorOf(spec.connector), synapse, spec.receptorType, { label: spec.label }));
  }
}

/** Times in ms to 1e-6 ms (1 ps of chip time, far below the 8 ns clock): drops binary noise such as 10.472000000000001. */
const roundTime = (t: number) => Math.round(t * 1e6) / 1e6;
/** Float32 samples with 9 significant digits: exact for float32, short in JSON. */
const roundSample = (v: number) => Number(v.toPrecision(9));

/** The recorded data of one population, per segment. */
function populationResults(spec: ExperimentPopulation, block: Block): PopulationResults[] {
  const recordsSpikes = (spec.record ?? []).some((entry) => (typeof entry === 'string' ? entry === 'spikes' : entry.variables.includes('spikes')));
  return block.segments.map((segment) => {
    const spikes = recordsSpikes ? Array.from({ length: spec.size }, (): number[] => []) : undefined;
    if (spikes !== undefined) for (const train of segment.spiketrains) spikes[train.annotations.source_index] = Array.from(train.times, roundTime);
    const signals = segment.analogsignals.map((signal) => ({
      variable: signal.name,
      units: signal.units,
      index: signal.annotations.source_index,
      times: Array.from(signal.times, roundTime),
      values: Array.from(signal.values, roundSample),
      sampling_period: signal.sampling_period,
      device: signal.annotations.device,
    }));
    return spikes === undefined ? { signals } : { spikes, signals };
  });
}

/** Plain JSON of a value made of objects, arrays and typed arrays (undefined fields dropped). */
function toJsonValue(value: unknown): JsonValue {
  return JSON.parse(JSON.stringify(value, (_key, v: unknown) => (ArrayBuffer.isView(v) && !(v instanceof DataView) ? Array.from(v as unknown as ArrayLike<number>) : v)) ?? 'null') as JsonValue;
}

/**
 * Runs `experiment` on a new simulator (the built-in simulated chip per its setup, or `options.connection`) and
 * returns its results. The simulator is ended afterwards, also on error; pynn errors pass through unchanged.
 */
export async function runExperiment(experiment: Experiment, options: RunExperimentOptions = {}): Promise<ExperimentResults> {
  const progress = options.onProgress ?? (() => undefined);
  const t0 = now();
  const runSetup = effectiveSetup(experiment, options);
  const simulator = setup(setupOptions(runSetup, options));
  try {
    progress('building the network', 0);
    const network = new Network();
    for (const population of experiment.populations) network.addPopulation(population);
    for (const projection of experiment.projections) network.addProjection(projection);
    const t1 = now();

    const total_ms = experiment.schedule.reduce((sum, step) => sum + ('run' in step ? step.run : 0), 0);
    let done_ms = 0;
    for (const [k, step] of experiment.schedule.entries()) {
      const where = `step ${k + 1}/${experiment.schedule.length}`;
      if ('run' in step) {
        progress(`${where}: run ${step.run} ms`, done_ms / total_ms);
        await run(step.run);
        done_ms += step.run;
      } else if ('reset' in step) {
        progress(`${where}: reset`, done_ms / total_ms);
        reset();
      } else if ('set' in step) {
        network.group(step.set.population).set(step.set.parameters);
      } else {
        network.projections.get(step.setWeights.projection)!.set({ weight: step.setWeights.weight });
      }
    }
    const t2 = now();

    progress('reading the data', 1);
    const recorded = experiment.populations.filter((p) => (p.record ?? []).length > 0);
    const perPopulation = recorded.map((spec) => [spec.label, populationResults(spec, network.populations.get(spec.label)!.getData())] as const);
    // Every segment with its times, whether or not anything was recorded: the block of no variables.
    const segments: SegmentResults[] = network.populations
      .get(experiment.populations[0]!.label)!
      .getData([])
      .segments.map((segment) => ({
        index: segment.index,
        t_start: segment.t_start,
        t_stop: segment.t_stop,
        populations: Object.fromEntries(perPopulation.map(([label, list]) => [label, list[segment.index]!])),
      }));
    const statistics = toJsonValue(getBackendStatistics());
    const chip = toJsonValue(simulator.connection.identity);
    const t3 = now();
    const seconds = (ms: number) => Math.round(ms) / 1000;
    return {
      experiment: experiment.name ?? 'experiment',
      setup: { ...runSetup, calibration: calibrationName(options.calibration ?? runSetup.calibration) },
      chip,
      populations: experiment.populations.map((p) => ({ label: p.label, size: p.size, cellType: p.cellType })),
      segments,
      statistics,
      durations: { build_s: seconds(t1 - t0), schedule_s: seconds(t2 - t1), data_s: seconds(t3 - t2), total_s: seconds(t3 - t0) },
    };
  } finally {
    await end();
  }
}

function calibrationName(calibration: SetupOptions['calibration']): 'calibrate' | 'nominal' {
  // A provider or a given result still calibrates (measured, cached or precomputed) rather than using nominal transfers.
  return calibration === 'nominal' ? 'nominal' : 'calibrate';
}

/** The results as JSON text (`indent` spaces, default none). */
export function resultsToJSON(results: ExperimentResults, indent?: number): string {
  return JSON.stringify(results, null, indent);
}
