import type { AtomicNeuron } from '@bss2/lola';
import type { ParameterReport } from '../calibration-result.js';
import { stimulate } from '../measurement/stimulus.js';
import { median } from '../statistics.js';
import type { CalibrationContext } from './context.js';
import { withSetting } from './context.js';
import { measureDecay } from './decay-measurement.js';
import { searchTimeConstant } from './time-constant-search.js';

export type Receptor = 'excitatory' | 'inhibitory';

/**
 * Synaptic input time constant (hardware.md §9.1 step 3) by `i_bias_tau` with the high-resistance switch the
 * nominal setting chose. Each neuron's readout shows its synaptic input line (readout source exc/inh synin,
 * §3.2), which jumps with every input event and decays with τ_syn (§8.2); a strong stimulus (four full-weight
 * rows) kicks all neurons at once and the CADC samples the decay (`measureDecay`). Stimuli repeat at a
 * constant period after warm-up kicks, so the amplitude including the residue of earlier kicks is the same
 * for every delay.
 */
export class SynapticTimeConstantCalibration {
  readonly parameter: 'tauSynExc_us' | 'tauSynInh_us';

  constructor(readonly receptor: Receptor) {
    this.parameter = receptor === 'excitatory' ? 'tauSynExc_us' : 'tauSynInh_us';
  }

  async run(ctx: CalibrationContext): Promise<ParameterReport> {
    const exc = this.receptor === 'excitatory';
    const digital = (n: AtomicNeuron): void => {
      n.threshold.enable = false;
      n.readout.source = exc ? 'excSynin' : 'inhSynin';
    };
    const target = exc ? ctx.target.tauSynExc_us : ctx.target.tauSynInh_us;
    const field = exc ? 'excitatoryInput.iBiasTau' : 'inhibitoryInput.iBiasTau';
    const expected = median(target);
    return searchTimeConstant(ctx, this.parameter, field, target, (s) =>
      measureDecay(ctx, {
        setup: { digital, capMem: withSetting(undefined, field, s) },
        kick: (b) => stimulate(b, exc ? 'excitatoryStrong' : 'inhibitoryStrong'),
        kickCycles: 1,
        warmup: 3,
        expected_us: expected,
        tauMin_us: 0.1,
        tauMax_us: 100,
      }),
    );
  }
}
