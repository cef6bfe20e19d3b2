// Synapse types with plasticity (hardware.md §11.1): PlasticSynapse (weights changed by a rule) and
// StaticRecordingSynapse (weights fixed, observed per invocation by a recording kernel).
import { defineRule } from '@bss2/ppu';
import { describeValue } from '../describe.js';
import { StaticSynapse } from '../projection.js';
import { PlasticityError } from './errors.js';
import { PlasticityRule } from './rule.js';
import { Timer } from './timer.js';

export interface PlasticSynapseParameters {
  readonly weight?: number | readonly number[];
  readonly delay?: number;
  readonly plasticityRule: PlasticityRule;
}

/** `PlasticSynapse({ weight, plasticityRule })`: weights the rule's kernel changes during runs. */
export class PlasticSynapse extends StaticSynapse {
  readonly plasticityRule: PlasticityRule;
  constructor(parameters: PlasticSynapseParameters) {
    const { plasticityRule, ...rest } = parameters ?? ({} as PlasticSynapseParameters);
    super(rest);
    if (!(plasticityRule instanceof PlasticityRule)) throw new PlasticityError(`PlasticSynapse plasticityRule must be a PlasticityRule (STDP, Homeostasis, …), got ${describeValue(plasticityRule)}`, { parameter: 'plasticityRule', value: plasticityRule });
    this.plasticityRule = plasticityRule;
  }
}

export const RECORDING_OBSERVABLES = ['weights', 'correlation_causal', 'correlation_acausal'] as const;
export type RecordingObservable = (typeof RECORDING_OBSERVABLES)[number];

export interface StaticRecordingSynapseParameters {
  readonly timer: Timer;
  readonly weight?: number | readonly number[];
  readonly delay?: number;
  readonly observables: readonly RecordingObservable[];
}

/**
 * `StaticRecordingSynapse({ timer, weight, observables })`: fixed weights; at each invocation a kernel records the
 * weights and/or the correlation codes (not reset) of the projection's synapses — `Projection.getData(name)`.
 */
export class StaticRecordingSynapse extends StaticSynapse {
  readonly recordingRule: PlasticityRule;
  readonly observables: readonly RecordingObservable[];
  constructor(parameters: StaticRecordingSynapseParameters) {
    const { timer, observables, ...rest } = parameters ?? ({} as StaticRecordingSynapseParameters);
    super(rest);
    if (!(timer instanceof Timer)) throw new PlasticityError(`StaticRecordingSynapse timer must be a Timer, got ${describeValue(timer)}`, { parameter: 'timer', value: timer });
    if (!Array.isArray(observables) || observables.length === 0 || observables.some((o) => !(RECORDING_OBSERVABLES as readonly string[]).includes(o)) || new Set(observables).size !== observables.length) {
      throw new PlasticityError(`StaticRecordingSynapse observables ${describeValue(observables)} must be distinct names of ${RECORDING_OBSERVABLES.join(', ')}`, { parameter: 'observables', value: observables });
    }
    this.observables = [...observables];
    const wanted = new Set(observables);
    this.recordingRule = new PlasticityRule({
      timer,
      kernel: ({ rows }) =>
        defineRule('static_recording', (k) =>
          k.halves((half) =>
            half.rows(rows, (row) => {
              if (wanted.has('weights')) row.observe('weights', row.weights());
              if (wanted.has('correlation_causal') || wanted.has('correlation_acausal')) {
                const { causal, acausal } = row.correlation({ reset: false });
                if (wanted.has('correlation_causal')) row.observe('correlation_causal', causal);
                if (wanted.has('correlation_acausal')) row.observe('correlation_acausal', acausal);
              }
            }),
          ),
        ),
    });
  }
}
