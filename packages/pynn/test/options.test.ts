// Nothing silently ignored: every constructor and method that takes PyNN's keyword arguments as an options
// object accepts exactly the keys listed here (each with a valid value), refuses the PyNN keys this backend
// does not offer with a NotSupportedError naming the key and the reason, and refuses any other key with its
// own error naming the key and the accepted ones. Also: cellparams, initialValues, getParameterNames.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as pynn from '../src/index.js';
import { setupOptionsSchema } from '../src/setup-options.js';
import { IDEAL, thrown } from './support/network.js';

type ErrorClass = abstract new (...args: never[]) => pynn.PyNNError;

interface Case {
  readonly name: string;
  /** Calls the constructor or method with `options`. */
  readonly call: (options: Record<string, unknown>) => unknown;
  /** Every accepted key with a valid value. */
  readonly accepted: Readonly<Record<string, unknown>>;
  /** PyNN's keys this backend refuses. */
  readonly refused: readonly string[];
  readonly Unknown: ErrorClass;
  /** The accepted keys only work together (each alone is incomplete). */
  readonly together?: boolean;
}

let pre: pynn.Population;
let post: pynn.Population;
let chain: pynn.Population;
let projection: pynn.Projection;

beforeEach(() => {
  pynn.setup(IDEAL);
  pre = new pynn.Population(2, new pynn.SpikeSourceArray({ spike_times: [1] }), { label: 'pre' });
  post = new pynn.Population(2, new pynn.IF_curr_exp(), { label: 'post' });
  const Mc = pynn.createMcNeuron('Mc', { compartments: [new pynn.PlacedCompartment({ positions: [0], label: 'soma' })] });
  chain = new pynn.Population(1, new Mc(), { label: 'mc' });
  projection = new pynn.Projection(pre, post, new pynn.AllToAllConnector(), new pynn.StaticSynapse({ weight: 1 }));
});
afterEach(() => pynn.end());

const location = { locationSelector: 'soma', sourceLocationSelector: 'soma' };
/** A connector's options are checked at construction; the selectors again when it is used (onto `mc`). */
const connectorCase = (name: string, make: (options: Record<string, unknown>) => pynn.Connector, own: Record<string, unknown>): Case => ({
  name,
  call: (options) => new pynn.Projection(chain, chain, make(options)),
  accepted: { ...own, ...location },
  refused: ['safe', 'callback', 'columnNames'],
  Unknown: pynn.ConnectionError,
});

const cases = (): Case[] => [
  { name: 'new Population', call: (o) => new pynn.Population(1, pynn.IF_curr_exp, o), accepted: { label: 'x', cellparams: { tau_m: 12 }, initialValues: { v: -65 } }, refused: ['structure', 'constraints', 'additionalParameters'], Unknown: pynn.ParameterError },
  { name: 'record', call: (o) => chain.record('v', o), accepted: { samplingInterval: 0.1, device: 'madc', locations: ['soma'] }, refused: ['toFile'], Unknown: pynn.RecordingError },
  { name: 'getData', call: (o) => post.getData('v', o), accepted: { clear: true }, refused: ['gather', 'annotations'], Unknown: pynn.RecordingError },
  { name: 'new Projection', call: (o) => new pynn.Projection(pre, post, new pynn.OneToOneConnector(), new pynn.StaticSynapse(), 'excitatory', o), accepted: { label: 'p' }, refused: ['source', 'space'], Unknown: pynn.ConnectionError },
  { name: 'Projection.get', call: (o) => projection.get('weight', o), accepted: { format: 'array', withAddress: true, multipleSynapses: 'sum' }, refused: ['gather'], Unknown: pynn.ConnectionError },
  { name: 'Projection.set', call: (o) => projection.set(o as never), accepted: { weight: 2 }, refused: ['delay'], Unknown: pynn.ConnectionError },
  { name: 'StaticSynapse', call: (o) => new pynn.StaticSynapse(o), accepted: { weight: 1, delay: 0 }, refused: [], Unknown: pynn.ConnectionError },
  connectorCase('AllToAllConnector', (o) => new pynn.AllToAllConnector(o), { allowSelfConnections: true }),
  connectorCase('OneToOneConnector', (o) => new pynn.OneToOneConnector(o), {}),
  connectorCase('FixedProbabilityConnector', (o) => new pynn.FixedProbabilityConnector(1, o), { allowSelfConnections: true, rng: new pynn.NumpyRNG({ seed: 1 }) }),
  connectorCase('FixedNumberPreConnector', (o) => new pynn.FixedNumberPreConnector(1, o), { allowSelfConnections: true, withReplacement: false, rng: new pynn.NumpyRNG({ seed: 1 }) }),
  connectorCase('FixedNumberPostConnector', (o) => new pynn.FixedNumberPostConnector(1, o), { allowSelfConnections: true, withReplacement: false, rng: new pynn.NumpyRNG({ seed: 1 }) }),
  connectorCase('FixedTotalNumberConnector', (o) => new pynn.FixedTotalNumberConnector(1, o), { allowSelfConnections: true, withReplacement: false, rng: new pynn.NumpyRNG({ seed: 1 }) }),
  connectorCase('FromListConnector', (o) => new pynn.FromListConnector([[0, 0]], o), {}),
  connectorCase('ArrayConnector', (o) => new pynn.ArrayConnector([[true]], o), {}),
  { name: 'NumpyRNG', call: (o) => new pynn.NumpyRNG(o), accepted: { seed: 3 }, refused: ['parallelSafe'], Unknown: pynn.ParameterError },
  { name: 'DCSource', call: (o) => new pynn.DCSource(o), accepted: { amplitude: 1, start: 1, stop: 2 }, refused: [], Unknown: pynn.ParameterError },
  { name: 'StepCurrentSource', call: (o) => new pynn.StepCurrentSource(o), accepted: { times: [1], amplitudes: [1] }, refused: [], Unknown: pynn.ParameterError, together: true },
  {
    name: 'createMcNeuron',
    call: (o) => pynn.createMcNeuron('M', { compartments: [new pynn.PlacedCompartment({ positions: [0] })], ...o }),
    accepted: { compartments: [new pynn.PlacedCompartment({ positions: [0, 1] })], connections: [], singleActiveCircuit: true },
    refused: [],
    Unknown: pynn.ParameterError,
  },
  { name: 'SharedLineConnection', call: (o) => new pynn.SharedLineConnection({ start: 0, stop: 1, row: 0, ...o }), accepted: { start: 1, stop: 2, row: 1 }, refused: [], Unknown: pynn.ParameterError },
];

describe('every options object: accepted keys work, the rest is refused by name', () => {
  it.each(cases().map((c) => [c.name, c]))('%s', (_name, c) => {
    const accepted = Object.keys(c.accepted);
    // Each accepted key alone, and all together.
    if (c.together !== true) for (const key of accepted) c.call({ [key]: c.accepted[key] });
    if (c.name !== 'record' && c.name !== 'new Population' && c.name !== 'new Projection') c.call({ ...c.accepted });
    for (const key of c.refused) {
      const error = thrown(pynn.NotSupportedError, () => c.call({ [key]: true }));
      expect(error.parameter).toBe(key);
      expect(error.message).toContain(`'${key}' is not supported: `);
    }
    const unknown = thrown(c.Unknown, () => c.call({ colour: 'blue' }));
    expect(unknown.parameter).toBe('colour');
    expect(unknown.message).toMatch(/has no option 'colour'; options: /);
    // The message lists exactly the accepted keys: this table is the contract.
    const listed = /; options: (.*)$/.exec(unknown.message)![1]!.split(', ');
    expect(new Set(listed)).toEqual(new Set(accepted));
  });

  it('setup(): the schema’s keys, each named when unknown', () => {
    const keys = Object.keys(setupOptionsSchema.shape);
    expect(keys).toEqual(expect.arrayContaining(['chipSeed', 'connection', 'calibration', 'enableNeuronBypass', 'initialConfig', 'onWarning', 'injectedConfig', 'injectedReadout']));
    const error = thrown(pynn.SetupError, () => pynn.setup({ enable_neuron_bypass: true } as never));
    expect(error.parameter).toBe('enable_neuron_bypass');
    expect(error.message).toContain(`options: ${keys.join(', ')}`);
  });

  it('cell types: parameters are getParameterNames(); any other name is refused by name', () => {
    for (const Type of [pynn.IF_curr_exp, pynn.IF_cond_exp, pynn.IF_curr_alpha, pynn.IF_cond_alpha, pynn.EIF_cond_exp_isfa_ista, pynn.HXNeuron, pynn.SpikeSourceArray, pynn.SpikeSourcePoisson, pynn.SpikeSourcePoissonOnChip]) {
      const names = Type.getParameterNames();
      expect(names).toEqual(new Type().getParameterNames());
      expect(names).toEqual(Object.keys(new Type().defaults));
      const error = thrown(pynn.ParameterError, () => new Type({ colour: 1 }));
      expect(error.message).toContain(`has no parameter 'colour' (new ${new Type().modelName}()); parameters: ${names.join(', ')}`);
    }
    expect(pynn.IF_curr_exp.getParameterNames()).toEqual(['cm', 'tau_m', 'tau_refrac', 'tau_syn_E', 'tau_syn_I', 'v_rest', 'v_reset', 'v_thresh', 'i_offset']);
    expect(pynn.HXNeuron.getParameterNames()).toContain('leak_v_leak');
  });
});

describe('Population: cellparams and initialValues as PyNN has them', () => {
  it('a class with cellparams; an instance with cellparams is refused; initialValues as initialize()', () => {
    const p = new pynn.Population(2, pynn.IF_curr_exp, { cellparams: { tau_m: 12, v_rest: -60 }, label: 'classy', initialValues: { v: -60 } });
    expect(p.get('tau_m')).toBe(12);
    expect(p.cellType.modelName).toBe('IF_curr_exp');
    expect(new pynn.Population(1, pynn.HXNeuron, { label: 'hx' }).get('leak_v_leak')).toBe(0);
    expect(thrown(pynn.ParameterError, () => new pynn.Population(1, new pynn.IF_curr_exp(), { cellparams: { tau_m: 1 }, label: 'inst' }))).toMatchObject({ parameter: 'cellparams', population: 'inst' });
    expect(thrown(pynn.ParameterError, () => new pynn.Population(1, pynn.IF_curr_exp, { cellparams: { tau: 1 } })).message).toMatch(/no parameter 'tau'/);
    expect(thrown(pynn.NotSupportedError, () => new pynn.Population(1, pynn.IF_curr_exp, { initialValues: { v: -50 }, label: 'init' }))).toMatchObject({ population: 'init', parameter: 'v' });
  });
});
