import { CADCChannelConfigOnDLS } from '@bss2/halco';
import { type AtomicNeuron, CADCChannelConfig, type CADCSampleQuad } from '@bss2/lola';
import type { ContainerTicket } from '@bss2/stadls';
import type { ParameterReport } from '../calibration-result.js';
import { CadcNeuronReadout, requireLiveReadout } from '../measurement/cadc-readout.js';
import { MadcPairReadout } from '../measurement/madc-readout.js';
import type { NeuronSetup } from '../measurement/neuron-words.js';
import { NEURON_COUNT } from '../targets.js';
import type { CalibrationContext } from './context.js';
import { potentialSetting, voltageToCadcCode } from './nominal.js';

/** The reference level (CADC LSB): the middle of the LIF potentials (reset 70 … threshold 125, §9.3). */
export const CADC_REFERENCE_LSB = 95;
/** Two more levels far apart give each channel's gain (CADC LSB per nominal LSB). */
const GAIN_LEVELS_LSB = [40, 180];
/** Leak settings around the reference, two CapMem LSB (≈ ½ CADC LSB) apart: they dither the 8-bit rounding. */
const DITHER_STEPS = [0, 2];
const MADC_SAMPLES_PER_PAIR = 4;
/** Channel offsets the CADCChannelConfig holds (§3.9). */
const OFFSET_MIN = -128;
const OFFSET_MAX = 127;

/** CADCChannelConfigOnDLS of the causal channel below neuron `i` (`512·synram + column`, halco). */
export function causalChannelOf(neuron: number): number {
  return 512 * Math.floor(neuron / 256) + (neuron % 256);
}

/**
 * CADC channel offsets (hardware.md §9.1: CADC first, "so all channels read alike"). Every channel differs in
 * offset and gain (§8.4) and has only a digital offset to trim (§3.9), so the offsets are set to make each
 * channel read the nominal transfer (§8.3) at one reference level in the middle of the LIF potentials. The
 * reference voltage of each column is its own neuron's resting membrane, measured absolutely by the one MADC
 * (no per-channel variation): offset = nominal code of the MADC voltage − raw CADC code, averaged over two
 * leak settings half an LSB apart so the 8-bit rounding averages out. Two more levels far apart give each
 * channel's gain, which no register trims: the calibration divides amplitudes read by the CADC by it (PSPs,
 * synaptic input steps), so a strength is not matched to a channel's gain. Acausal channels are not used for
 * neuron readout and keep offset 0. Reported per neuron: CADC code − nominal code (target 0).
 */
export class CadcCalibration {
  readonly parameter = 'cadcOffset_lsb';

  async run(ctx: CalibrationContext): Promise<ParameterReport> {
    const offsets = ctx.shared.cadcChannelOffsets;
    offsets.fill(0);
    await this.writeOffsets(ctx);
    const base = potentialSetting(CADC_REFERENCE_LSB, 'leak');
    const difference = new Float64Array(NEURON_COUNT);
    let before: Float64Array | undefined;
    const madc = new MadcPairReadout(MADC_SAMPLES_PER_PAIR);
    const deviationAt = async (leak: number): Promise<{ cadc: Float64Array; nominal: Float64Array }> => {
      const sweeps = await this.measure(ctx, madc, { digital: noThreshold, capMem: { 'leak.vLeak': leak } });
      const cadc = CadcNeuronReadout.mean(sweeps);
      requireLiveReadout(cadc, this.parameter);
      const reference = madc.decode(ctx.session.lastProgram!);
      return { cadc, nominal: Float64Array.from(reference, voltageToCadcCode) };
    };
    for (const step of DITHER_STEPS) {
      const { cadc, nominal } = await deviationAt(base + step);
      const deviation = Float64Array.from(cadc, (code, i) => code - nominal[i]!);
      if (step === 0) before = deviation;
      for (let i = 0; i < NEURON_COUNT; i++) difference[i]! -= deviation[i]! / DITHER_STEPS.length;
    }
    // One after the other: each is a program on the same chip.
    const low = await deviationAt(potentialSetting(GAIN_LEVELS_LSB[0]!, 'leak'));
    const high = await deviationAt(potentialSetting(GAIN_LEVELS_LSB[1]!, 'leak'));
    for (let i = 0; i < NEURON_COUNT; i++) {
      const gain = (high.cadc[i]! - low.cadc[i]!) / (high.nominal[i]! - low.nominal[i]!);
      ctx.cadcGain[i] = Number.isFinite(gain) && gain > 0.5 && gain < 1.5 ? gain : 1;
    }
    for (let i = 0; i < NEURON_COUNT; i++) offsets[causalChannelOf(i)] = Math.min(OFFSET_MAX, Math.max(OFFSET_MIN, Math.round(difference[i]!)));
    await this.writeOffsets(ctx);
    const sweeps = await this.measure(ctx, madc, { digital: noThreshold, capMem: { 'leak.vLeak': base } });
    const reference = madc.decode(ctx.session.lastProgram!);
    const achieved = Float64Array.from(CadcNeuronReadout.mean(sweeps), (code, i) => code - voltageToCadcCode(reference[i]!));
    return {
      parameter: this.parameter,
      unit: 'CADC LSB',
      target: new Float64Array(NEURON_COUNT),
      before: before ?? new Float64Array(NEURON_COUNT),
      achieved,
      success: Uint8Array.from(achieved, (d, i) => (Math.abs(d) <= 1.5 && offsets[causalChannelOf(i)]! > OFFSET_MIN && offsets[causalChannelOf(i)]! < OFFSET_MAX ? 1 : 0)),
    };
  }

  /** One CADC sweep and the MADC reads of every neuron, at rest in `setup`; MADC results in the session's last program. */
  private measure(ctx: CalibrationContext, madc: MadcPairReadout, setup: NeuronSetup): Promise<ContainerTicket<CADCSampleQuad>[][]> {
    return ctx.measure(setup, (b) => {
      const sweeps = [CadcNeuronReadout.sweep(b)];
      madc.appendAll(b, ctx.session);
      return sweeps;
    });
  }

  private async writeOffsets(ctx: CalibrationContext): Promise<void> {
    const b = ctx.builder();
    const offsets = ctx.shared.cadcChannelOffsets;
    for (let c = 0; c < offsets.length; c++) b.write(new CADCChannelConfigOnDLS(c), new CADCChannelConfig({ offset: offsets[c]! }));
    await ctx.session.run(b);
  }
}

function noThreshold(n: AtomicNeuron): void {
  n.threshold.enable = false;
}
