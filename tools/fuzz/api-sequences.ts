// Random PyNN API call sequences for the experiment fuzzer: setup options, populations, projections with
// connectors, record, run, set, reset and end, with mostly sensible and sometimes edge arguments. A sequence is
// plain data (shown in a finding) and `playSequence` makes the calls.
import * as pynn from '@bss2/pynn';
import { cellTypeNames, type BasePopulation, type CellType, type CellTypeName, type Connector } from '@bss2/pynn';
import { MAX_RUN_MS, cellDefaults, edgeValue, randomParameters, type Profile } from './experiment-inputs.js';
import type { Random } from './fuzz-inputs.js';

export type ApiStep =
  | { op: 'setup'; options: Record<string, unknown> }
  | { op: 'population'; size: unknown; cellType: CellTypeName; parameters: Record<string, unknown> }
  | { op: 'projection'; pre: number; post: number; view?: [number, number]; connector: Record<string, unknown>; weight: unknown; receptorType: unknown }
  | { op: 'record'; population: number; variables: unknown; options: Record<string, unknown> }
  | { op: 'set'; population: number; parameters: Record<string, unknown> }
  | { op: 'setWeights'; projection: number; weight: unknown }
  | { op: 'run'; ms: unknown }
  | { op: 'reset' }
  | { op: 'getData'; population: number }
  | { op: 'end' };

/** One in `EDGE` arguments is an edge value; the rest are valid, so sequences get past setup and reach a run. */
const EDGE = 8;

function maybeEdge<T>(random: Random, profile: Profile, valid: T): T | unknown {
  return random.below(EDGE) === 0 ? edgeValue(random, profile) : valid;
}

function setupOptions(random: Random, profile: Profile): Record<string, unknown> {
  const options: Record<string, unknown> = { calibration: 'nominal', idealChip: true, chipSeed: random.below(4) };
  if (random.below(2) === 0) options.seed = random.below(1000);
  if (random.below(4) === 0) options.onChipPoisson = random.pick(['auto', 'never']);
  if (random.below(6) === 0) options.neuronPermutation = Array.from({ length: random.below(16) }, () => random.below(512));
  if (random.below(EDGE) === 0) options[random.pick(Object.keys(options).concat(['analogStep_ns', 'temporalNoise', 'colour']))] = edgeValue(random, profile);
  return options;
}

const FIXED_NUMBER_OPTIONS = ['allowSelfConnections', 'withReplacement', 'rng'];
const CONNECTOR_OPTIONS: Readonly<Record<string, readonly string[]>> = {
  AllToAll: ['allowSelfConnections'],
  OneToOne: [],
  FixedProbability: ['allowSelfConnections', 'rng'],
  FixedNumberPre: FIXED_NUMBER_OPTIONS,
  FixedNumberPost: FIXED_NUMBER_OPTIONS,
  FixedTotalNumber: FIXED_NUMBER_OPTIONS,
  FromList: [],
  Array: [],
};

function connectorSpec(random: Random, profile: Profile): Record<string, unknown> {
  const type = random.pick(['AllToAll', 'OneToOne', 'FixedProbability', 'FixedNumberPre', 'FixedNumberPost', 'FixedTotalNumber', 'FromList', 'Array']);
  const args: unknown[] = [];
  if (type === 'FixedProbability') args.push(maybeEdge(random, profile, random.next()));
  if (type.startsWith('FixedNumber') || type === 'FixedTotalNumber') args.push(maybeEdge(random, profile, random.below(6)));
  if (type === 'FromList') args.push(Array.from({ length: random.below(6) }, () => [random.below(8), random.below(8), maybeEdge(random, profile, random.below(64))]));
  if (type === 'Array') args.push(Array.from({ length: 1 + random.below(8) }, () => Array.from({ length: 1 + random.below(8) }, () => random.below(2) === 0)));
  // The options each connector takes (pynn refuses any other key by name); now and then one it does not take.
  const accepted = CONNECTOR_OPTIONS[type]!;
  const options: Record<string, unknown> = {};
  if (accepted.includes('allowSelfConnections') && random.below(2) === 0) options.allowSelfConnections = random.below(2) === 0;
  if (accepted.includes('withReplacement') && random.below(3) === 0) options.withReplacement = random.below(2) === 0;
  if (accepted.includes('rng') && random.below(3) === 0) options.rng = random.below(1000);
  if (random.below(EDGE) === 0) options[random.pick(['allowSelfConnections', 'withReplacement', 'rng', 'safe', 'callback'])] = random.below(2) === 0;
  return { type, args, options };
}

/** A sequence of 3–16 calls that usually starts with setup, builds a few populations and runs at most MAX_RUN_MS each. */
export function randomSequence(random: Random, profile: Profile): ApiStep[] {
  const steps: ApiStep[] = [];
  if (random.below(16) !== 0) steps.push({ op: 'setup', options: setupOptions(random, profile) });
  const length = 3 + random.below(14);
  let populations = 0;
  let projections = 0;
  for (let i = 0; i < length; i++) {
    const choice = populations === 0 ? 0 : random.below(12);
    if (choice <= 2) {
      const cellType = random.pick(cellTypeNames);
      const size = 1 + random.below(random.below(4) === 0 ? 64 : 8);
      steps.push({ op: 'population', size: maybeEdge(random, profile, size), cellType, parameters: randomParameters(random, cellType, size) });
      populations++;
    } else if (choice <= 4) {
      const view = random.below(4) === 0 ? ([random.below(4), 1 + random.below(8)] as [number, number]) : undefined;
      const weight = maybeEdge(random, profile, random.below(64));
      const inhibitory = random.below(4) === 0;
      steps.push({
        op: 'projection',
        pre: random.below(populations),
        post: random.below(populations),
        ...(view === undefined ? {} : { view }),
        connector: connectorSpec(random, profile),
        weight: inhibitory && typeof weight === 'number' ? -weight : weight,
        receptorType: maybeEdge(random, profile, inhibitory ? 'inhibitory' : 'excitatory'),
      });
      projections++;
    } else if (choice === 5) {
      const options: Record<string, unknown> = random.below(3) === 0 ? { device: random.pick(['madc', 'cadc']) } : {};
      if (random.below(4) === 0) options.samplingInterval = maybeEdge(random, profile, 0.01 + random.next());
      steps.push({ op: 'record', population: random.below(populations), variables: maybeEdge(random, profile, random.pick(['spikes', 'v', ['spikes', 'v'], 'w', null])), options });
    } else if (choice <= 7) {
      steps.push({ op: 'run', ms: maybeEdge(random, profile, Math.round((0.05 + random.next() * (MAX_RUN_MS - 0.05)) * 1000) / 1000) });
    } else if (choice === 8) {
      const cellType = random.pick(cellTypeNames);
      const parameters = randomParameters(random, cellType, 1);
      const name = Object.keys(cellDefaults(cellType))[0]!;
      if (random.below(EDGE) === 0) parameters[name] = edgeValue(random, profile);
      steps.push({ op: 'set', population: random.below(populations), parameters });
    } else if (choice === 9 && projections > 0) {
      steps.push({ op: 'setWeights', projection: random.below(projections), weight: maybeEdge(random, profile, random.below(64)) });
    } else if (choice === 10) {
      steps.push(random.below(2) === 0 ? { op: 'reset' } : { op: 'getData', population: random.below(populations) });
    } else {
      steps.push(random.below(6) === 0 ? { op: 'end' } : { op: 'run', ms: Math.round(random.next() * MAX_RUN_MS * 1000) / 1000 + 0.01 });
    }
  }
  return steps;
}

function connectorOf(spec: Record<string, unknown>): Connector {
  const { type, args, options } = spec as { type: string; args: unknown[]; options: Record<string, unknown> };
  const withRng = options.rng === undefined ? options : { ...options, rng: new pynn.NumpyRNG({ seed: options.rng as number }) };
  const Class = (pynn as unknown as Record<string, new (...a: unknown[]) => Connector>)[`${type}Connector`]!;
  return new Class(...args, withRng);
}

/**
 * Makes the calls of `steps` through the module API; the first throw ends the sequence and is rethrown. The
 * simulator is always ended, so the next case starts from nothing.
 */
export async function playSequence(steps: readonly ApiStep[]): Promise<void> {
  const populations: pynn.Population[] = [];
  const projections: pynn.Projection[] = [];
  // Indices past the end pick the last one: the sequence was drawn without knowing which calls throw.
  const population = (i: number) => populations[Math.min(i, populations.length - 1)];
  try {
    for (const step of steps) {
      switch (step.op) {
        case 'setup':
          // Short runs warn that they may be hardware times (pynn's port guide); the fuzzer's are meant as they are.
          pynn.setup(typeof step.options === 'object' && step.options !== null ? { onWarning: () => {}, ...step.options } : step.options);
          break;
        case 'population':
          populations.push(new pynn.Population(step.size as number, new (pynn[step.cellType] as new (p: Record<string, unknown>) => CellType)(step.parameters), { label: `p${populations.length}` }));
          break;
        case 'projection': {
          const pre = population(step.pre);
          const post = population(step.post);
          if (pre === undefined || post === undefined) break;
          const preGroup: BasePopulation = step.view === undefined ? pre : pre.slice(step.view[0], step.view[1]);
          const synapse = new pynn.StaticSynapse({ weight: step.weight as number });
          projections.push(new pynn.Projection(preGroup, post, connectorOf(step.connector), synapse, step.receptorType as string));
          break;
        }
        case 'record':
          population(step.population)?.record(step.variables as string, step.options);
          break;
        case 'set':
          population(step.population)?.set(step.parameters);
          break;
        case 'setWeights':
          projections[Math.min(step.projection, projections.length - 1)]?.set({ weight: step.weight as number });
          break;
        case 'run':
          await pynn.run(step.ms as number);
          break;
        case 'reset':
          pynn.reset();
          break;
        case 'getData':
          population(step.population)?.getData();
          break;
        default:
          await pynn.end();
      }
    }
  } finally {
    await pynn.end();
  }
}
