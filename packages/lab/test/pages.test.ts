// The pages' experiment builders: every value a control allows builds an experiment pynn accepts; values outside
// a control's range, off its step grid, unknown controls and unknown options are refused by name.
import { TsodyksMarkramSynapse, parseExperiment } from '@bss2/pynn';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Control, LabParameterError, NAUD_PATTERNS, adexPage, chainPage, checkedValues, defaultValues, pageById, pages, singleNeuronPage, stdpSchedule, weightsPage } from '../src/index.js';

const controlValue = (control: Control): fc.Arbitrary<number | string> =>
  control.kind === 'range'
    ? fc.integer({ min: 0, max: Math.round((control.max - control.min) / control.step) }).map((k) => Number((control.min + k * control.step).toFixed(6)))
    : fc.constantFrom(...control.options.map((o) => o.value));

describe('page builders', () => {
  it.each(pages.map((p) => [p.id, p] as const))('%s: every allowed combination of values builds an experiment pynn accepts', (_id, page) => {
    const values = fc.record(Object.fromEntries(page.controls.map((c) => [c.id, controlValue(c)])));
    fc.assert(
      fc.property(values, (v) => {
        let experiment;
        try {
          experiment = page.build(checkedValues(page, v));
        } catch (error) {
          // The chain's one cross-control rule: the input compartment must exist.
          expect(page.id).toBe('chain');
          expect(error).toBeInstanceOf(LabParameterError);
          expect(v.inputCompartment as number).toBeGreaterThanOrEqual(v.compartments as number);
          return;
        }
        if (experiment.kind === 'file') expect(() => parseExperiment(experiment.file, page.id)).not.toThrow();
        else if (experiment.kind === 'chain') expect(experiment.chain.inputCompartment).toBeLessThan(experiment.chain.compartments);
        else if (experiment.kind === 'stp') expect(() => new TsodyksMarkramSynapse({ U: experiment.stp.utilization / 15, tau_rec: experiment.stp.tau_rec_ms, weight: experiment.stp.weight })).not.toThrow();
        else {
          // Every pair, its post spike and the block's invocation fall between two invocations, none on a spike.
          const schedule = stdpSchedule(experiment.stdp);
          expect(schedule.invocations_ms.length).toBe(experiment.stdp.mode === 'trajectory' ? experiment.stdp.pairs / experiment.stdp.pairsPerUpdate + 1 : 2);
          const spikes = [...schedule.pre_ms, ...schedule.post_ms.flat()];
          for (const t of schedule.invocations_ms) expect(Math.min(...spikes.map((x) => Math.abs(x - t)))).toBeGreaterThanOrEqual(5);
          expect(schedule.runs_ms.reduce((a, b) => a + b, 0)).toBeGreaterThan(Math.max(...spikes));
        }
      }),
      { seed: 1, numRuns: 60 },
    );
  });

  it('refuses out-of-range, off-grid and unknown values, naming page, control, value and rule', () => {
    expect(() => checkedValues(singleNeuronPage, { leak: 1023 })).toThrow(new LabParameterError('single-neuron', 'leak', 1023, 'a number in 0..1022 LSB in steps of 1'));
    expect(() => checkedValues(adexPage, { a: 0.25 })).toThrow(/page 'adex', control 'a': 0.25 — a number in -12..12 nS in steps of 0.5/);
    expect(() => checkedValues(adexPage, { a: Number.NaN })).toThrow(LabParameterError);
    expect(() => checkedValues(adexPage, { current: '500' })).toThrow(/control 'current': "500"/);
    expect(() => checkedValues(adexPage, { preset: 'chaotic' })).toThrow(/one of tonic, adapting, initialBurst/);
    expect(() => checkedValues(weightsPage, { gain: 2 })).toThrow(/no such control; known: chipSeed, steps, maxWeight, tau_m/);
    expect(() => chainPage.build(checkedValues(chainPage, { compartments: 3, inputCompartment: 3 }))).toThrow(/control 'inputCompartment': 3 — a compartment of the chain, 0..2/);
    expect(() => pageById('stdp-2')).toThrow(/no such page; known: single-neuron, adex, psp, chain, weights, stdp/);
    const error = (() => {
      try {
        checkedValues(singleNeuronPage, { variant: 'bursting' });
      } catch (e) {
        return e as LabParameterError;
      }
    })()!;
    expect(error.name).toBe('LabParameterError');
    expect([error.page, error.control, error.value]).toEqual(['single-neuron', 'variant', 'bursting']);
  });

  it('the AdEx presets are Naud et al.’s parameters, and the builder passes them in PyNN units', () => {
    for (const [name, p] of Object.entries(NAUD_PATTERNS)) {
      const values = { ...defaultValues(adexPage), preset: name, ...adexPage.presets!.values[name] };
      const experiment = adexPage.build(checkedValues(adexPage, values));
      if (experiment.kind !== 'file') throw new Error('AdEx is an experiment file');
      expect(experiment.file.populations[0]!.parameters).toMatchObject({ cm: p.C / 1000, tau_m: p.C / p.gL, v_rest: p.EL, v_reset: p.Vr, v_thresh: p.VT, a: p.a, b: p.b / 1000, tau_w: p.tauW, i_offset: p.I / 1000 });
    }
  });

  it('single neuron: the ten-neuron variant records all spikes and the chosen pair on the MADC', () => {
    const experiment = singleNeuronPage.build(checkedValues(singleNeuronPage, { variant: 'ten-neurons', tracePair: '3' }));
    if (experiment.kind !== 'file') throw new Error('an experiment file');
    expect(experiment.file.populations[0]).toMatchObject({ size: 10, record: ['spikes', { variables: ['v'], indices: [6, 7] }] });
  });

  it('weights: one input per weight, evenly up to the largest (several rows beyond 63)', () => {
    const experiment = weightsPage.build(checkedValues(weightsPage, { steps: 4, maxWeight: 100 }));
    if (experiment.kind !== 'file') throw new Error('an experiment file');
    expect(experiment.file.projections![0]!.connector).toEqual({ type: 'FromList', connections: [[0, 0, 25], [1, 0, 50], [2, 0, 75], [3, 0, 100]] });
    expect(experiment.analysis?.x).toEqual([25, 50, 75, 100]);
  });
});
