// Projection weights in PyNN's shapes: get('weight') as a list of (i, j, w) or a pre × post array with NaN
// where there is no connection (repeated pairs combined as asked); set / setWeights with one value for all, one
// per connection, or a pre × post array; and the chip realises what was set.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as pynn from '../src/index.js';
import { IDEAL, thrown } from './support/network.js';

let projection: pynn.Projection;

beforeEach(() => {
  pynn.setup(IDEAL);
  const pre = new pynn.Population(3, new pynn.SpikeSourceArray({ spike_times: [1] }), { label: 'pre' });
  const post = new pynn.Population(2, new pynn.IF_curr_exp(), { label: 'post' });
  // (0, 1) twice: its synapses add on the chip.
  projection = new pynn.Projection(pre, post, new pynn.FromListConnector([[0, 0, 10], [0, 1, 20], [2, 1, 30], [0, 1, 5]]), new pynn.StaticSynapse(), 'excitatory', { label: 'proj' });
});
afterEach(() => pynn.end());

const NaN_ = Number.NaN;

describe('get: list and array formats', () => {
  it('list: (i, j, w) per connection in connection order; without addresses the weights alone; several attributes', () => {
    expect(projection.get('weight')).toEqual([[0, 0, 10], [0, 1, 20], [2, 1, 30], [0, 1, 5]]);
    expect(projection.get('weight', { format: 'list', withAddress: false })).toEqual([10, 20, 30, 5]);
    expect(projection.get(['weight', 'delay'])).toEqual([[0, 0, 10, 0], [0, 1, 20, 0], [2, 1, 30, 0], [0, 1, 5, 0]]);
    expect(projection.getWeights()).toEqual([10, 20, 30, 5]);
  });

  it('array: n_pre × n_post, NaN without connection, repeated pairs summed (or as multipleSynapses says)', () => {
    expect(projection.get('weight', { format: 'array' })).toEqual([[10, 25], [NaN_, NaN_], [NaN_, 30]]);
    expect(projection.getWeights('array')).toEqual([[10, 25], [NaN_, NaN_], [NaN_, 30]]);
    expect(projection.get('weight', { format: 'array', multipleSynapses: 'first' })[0]).toEqual([10, 20]);
    expect(projection.get('weight', { format: 'array', multipleSynapses: 'last' })[0]).toEqual([10, 5]);
    expect(projection.get('weight', { format: 'array', multipleSynapses: 'max' })[0]).toEqual([10, 20]);
    expect(projection.get('delay', { format: 'array' })).toEqual([[0, 0], [NaN_, NaN_], [NaN_, 0]]);
    expect(projection.get(['weight', 'delay'], { format: 'array' })).toHaveLength(2);
    expect(thrown(pynn.ConnectionError, () => projection.get('weight', { format: 'array', multipleSynapses: 'mean' as never }))).toMatchObject({ parameter: 'multipleSynapses' });
    expect(thrown(pynn.ConnectionError, () => projection.get('tau_syn'))).toMatchObject({ projection: 'proj', parameter: 'tau_syn' });
  });
});

describe('set and setWeights: scalar, per connection, pre × post array', () => {
  it('a scalar is broadcast; a list sets each connection; a matrix sets each connection from its entry', () => {
    projection.setWeights(7);
    expect(projection.get('weight', { withAddress: false })).toEqual([7, 7, 7, 7]);
    projection.set({ weight: [1, 2, 3, 4] });
    expect(projection.get('weight', { withAddress: false })).toEqual([1, 2, 3, 4]);
    // Entries without connection are not looked at (PyNN): NaN or anything there is fine.
    projection.setWeights([[11, 12], [NaN_, 99], [NaN_, 13]]);
    expect(projection.get('weight')).toEqual([[0, 0, 11], [0, 1, 12], [2, 1, 13], [0, 1, 12]]);
    // What get() gives, set() takes back — but for a repeated pair, each of its connections takes the entry
    // (PyNN's rule), so its sum doubles.
    const array = projection.get('weight', { format: 'array' });
    array[2]![1] = 40;
    projection.setWeights(array);
    expect(projection.get('weight', { format: 'array' })).toEqual([[11, 48], [NaN_, NaN_], [NaN_, 40]]);
  });

  it('wrong shapes and values are ConnectionErrors naming the projection', () => {
    expect(thrown(pynn.ConnectionError, () => projection.setWeights([1, 2]))).toMatchObject({ projection: 'proj', value: 2 });
    expect(thrown(pynn.ConnectionError, () => projection.setWeights([[1, 2], [3, 4]]))).toMatchObject({ projection: 'proj', value: [2, 2] });
    expect(thrown(pynn.ConnectionError, () => projection.setWeights([[NaN_, 1], [1, 1], [1, 1]])).message).toMatch(/connection 0: weight NaN is not a finite number/);
    expect(thrown(pynn.ConnectionError, () => projection.setWeights(-1)).message).toMatch(/excitatory weight -1 must be ≥ 0/);
    // Nothing was half-written.
    expect(projection.get('weight', { withAddress: false })).toEqual([10, 20, 30, 5]);
  });

  it('the chip holds what was set: a matrix of weights, realised per connection (repeated pairs on their summed synapses)', async () => {
    projection.setWeights([[63, 40], [0, 0], [0, 50]]);
    await pynn.prepare();
    const placed = projection.placedConnections();
    const weightOf = (k: number) => placed[k]!.synapses.reduce((sum, s) => sum + s.weight, 0);
    expect(weightOf(0)).toBe(63);
    // (0, 1) appears twice: one routed connection of 40 + 40.
    expect(weightOf(1)).toBe(80);
    expect(weightOf(3)).toBe(80);
    expect(weightOf(2)).toBe(50);
  });
});
