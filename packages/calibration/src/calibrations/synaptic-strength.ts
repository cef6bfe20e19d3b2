import { type AtomicNeuron, nominal } from '@bss2/lola';
import { LinearPrediction } from '../algorithms/linear-prediction.js';
import { median } from '../statistics.js';
import type { ParameterReport } from '../calibration-result.js';
import { CAPMEM_MAX_LSB, ParameterRange } from '../parameter-range.js';
import { NEURON_COUNT } from '../targets.js';
import type { CalibrationContext } from './context.js';
import { withSetting } from './context.js';
import { gridCycles, measureEventResponse } from './event-response.js';
import { nominalPsp_lsb, potentialSetting } from './nominal.js';
import { stimulusEvents } from '../measurement/stimulus.js';
import { sweepPositionOf } from '../measurement/cadc-readout.js';
import type { Receptor } from './synaptic-time-constant.js';

const REPETITIONS = 2;
/** Samples around the PSP peak, as fractions of the peak time. */
const PEAK_WINDOW = [0.6, 0.8, 1.0, 1.2, 1.4];
/** Inhibitory PSPs are measured from a raised rest so they stay inside the CADC range (CADC LSB). */
const INHIBITORY_REST_LSB = 120;
/** A miss larger than this fraction of the target marks the neuron unsuccessful. */
const TOLERANCE = 0.05;
/** PSPs above this (CADC LSB) leave the CADC's and the membrane's linear range: measured scaled down. */
const MAX_MEASURED_PSP_LSB = 60;

/** Time of the peak of a PSP with τ_mem and τ_syn (µs): ln(τm/τs) · τm·τs / (τm − τs), τ at equality. */
export function pspPeakTime_us(tauMem_us: number, tauSyn_us: number): number {
  if (Math.abs(tauMem_us - tauSyn_us) < 1e-6 * tauMem_us) return tauMem_us;
  return (Math.log(tauMem_us / tauSyn_us) * tauMem_us * tauSyn_us) / (tauMem_us - tauSyn_us);
}

/**
 * Synaptic strength (hardware.md §9.1 step 6): `i_bias_gm` per neuron and receptor so that every neuron's PSP
 * amplitude is the one an ideal chip gives for its target (§8.3: target g_m and synapse DAC bias, its membrane
 * capacitance, τ_mem and τ_syn, at each neuron's sample times) — the absolute strength the user asked for, not
 * only equal strengths: a model weight then means the same current on every chip. Measured after τ_mem, τ_syn and the synapse DAC are calibrated, so the PSP shape is the
 * same everywhere and its height is proportional to g_m (§8.2): the mean membrane deflection over five samples
 * around the peak of the weak stimulus, baseline subtracted and divided by the CADC channel's gain (a
 * difference of CADC codes carries the channel gain, §8.4); linear in the bias.
 */
export class SynapticStrengthCalibration {
  readonly parameter: 'synapticGmExc_lsb' | 'synapticGmInh_lsb';

  constructor(readonly receptor: Receptor) {
    this.parameter = receptor === 'excitatory' ? 'synapticGmExc_lsb' : 'synapticGmInh_lsb';
  }

  async run(ctx: CalibrationContext): Promise<ParameterReport> {
    const exc = this.receptor === 'excitatory';
    const field = exc ? 'excitatoryInput.iBiasGm' : 'inhibitoryInput.iBiasGm';
    const tauMem = median(ctx.target.tauMembrane_us);
    const tauSyn = median(exc ? ctx.target.tauSynExc_us : ctx.target.tauSynInh_us);
    const peak = pspPeakTime_us(tauMem, tauSyn);
    const delays = PEAK_WINDOW.map((f) => gridCycles(f * peak));
    const period = gridCycles(8 * Math.max(tauMem, tauSyn) + 4);
    const digital = (n: AtomicNeuron): void => {
      n.threshold.enable = false;
    };
    const rest = exc ? undefined : { 'leak.vLeak': Int32Array.from(ctx.settings['leak.vLeak'], (v, i) => v + potentialSetting(INHIBITORY_REST_LSB, 'leak') - potentialSetting(ctx.target.leak_lsb[i]!, 'leak')) };
    const tauSynOf = exc ? ctx.target.tauSynExc_us : ctx.target.tauSynInh_us;
    const events = stimulusEvents(exc ? 'excitatoryWeak' : 'inhibitoryWeak');
    const target = Float64Array.from({ length: NEURON_COUNT }, (_, i) => {
      const t = ctx.target;
      const psp = (d: number) => nominalPsp_lsb((d + sweepPositionOf[i]!) / nominal.fpgaClockCyclesPerUs, events, t.synapticGm_lsb[i]!, t.synapseDacBias_lsb, t.membraneCapacitance_lsb[i]!, t.tauMembrane_us[i]!, tauSynOf[i]!);
      return delays.reduce((sum, d) => sum + psp(d), 0) / delays.length;
    });
    // A small membrane capacitance makes the stimulus's PSP too large for the CADC and the membrane's range: such
    // neurons are measured at a proportionally lower bias and the amplitude scaled back (PSP ∝ bias, §8.3).
    const measurementScale = Float64Array.from(target, (a) => Math.min(1, MAX_MEASURED_PSP_LSB / a));
    const measure = async (s: Int32Array): Promise<Float64Array> => {
      const scaled = Int32Array.from(s, (x, i) => Math.max(1, Math.round(x * measurementScale[i]!)));
      const response = await measureEventResponse(ctx, {
        setup: { digital, capMem: withSetting(rest, field, scaled) },
        stimulus: exc ? 'excitatoryWeak' : 'inhibitoryWeak',
        delays_cycles: delays,
        repetitions: REPETITIONS,
        period_cycles: period,
      });
      const out = new Float64Array(NEURON_COUNT);
      for (const change of response.change) for (let i = 0; i < NEURON_COUNT; i++) out[i]! += ((exc ? 1 : -1) * change[i]!) / response.change.length / ctx.cadcGain[i]!;
      for (let i = 0; i < NEURON_COUNT; i++) out[i]! *= s[i]! / scaled[i]!;
      return out;
    };
    const start = Int32Array.from(ctx.settings[field]);
    let before: Float64Array | undefined;
    // PSP ∝ g_m ∝ bias (§8.3): the first miss predicts the second probe through the origin. The first probe is
    // the uncalibrated setting, so its measurement is the "before".
    const search = new LinearPrediction({
      probes: [start, (setting, amplitude, goal) => (setting * goal) / amplitude],
      iterations: 1,
      onStep: (step, _settings, results) => {
        if (step === 0) before = Float64Array.from(results);
      },
    });
    const outcome = await search.run({ target, range: new ParameterRange(1, CAPMEM_MAX_LSB), measure });
    ctx.settings[field].set(outcome.settings);
    return {
      parameter: this.parameter,
      unit: 'CADC LSB, PSP amplitude',
      target,
      before: before ?? new Float64Array(NEURON_COUNT),
      achieved: Float64Array.from(outcome.results),
      success: Uint8Array.from(outcome.success, (ok, i) => (ok === 1 && Math.abs(outcome.results[i]! / target[i]! - 1) <= TOLERANCE ? 1 : 0)),
    };
  }
}
