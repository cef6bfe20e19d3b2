import { CapMemBlockOnDLS, CapMemCellOnCapMemBlock, CapMemCellOnDLS } from '@bss2/halco';
import { type AtomicNeuron, CapMemCell } from '@bss2/lola';
import type { ParameterReport } from '../calibration-result.js';
import { median } from '../statistics.js';

import type { CalibrationContext } from './context.js';
import { gridCycles, measureEventResponse } from './event-response.js';

const QUADRANTS = 4;
const REPETITIONS = 4;
/** Read right after the event: the step before it has decayed. */
const DELAY_US = 0.2;
const SYN_I_BIAS_DAC_MIN = 30;
/** A quadrant further than this (relative) from the common step is reported unsuccessful. */
const TOLERANCE = 0.03;

/** Quadrant of neuron `i` (AtomicNeuronOnDLS enum): `2·row + column / 128` (§1). */
export function quadrantOf(i: number): number {
  return Math.floor(i / 128);
}

/**
 * `syn_i_bias_dac` per quadrant (hardware.md §9.1 step 4: "matched to the weakest quadrant"). The synaptic
 * input step of a strong excitatory stimulus is read on each neuron's synaptic input line right after the event
 * and extrapolated back to the event with the neuron's calibrated τ_syn; per quadrant the median step. The
 * weakest quadrant keeps the target bias, the others are scaled down by the ratio of medians (the DAC gain is
 * linear in its bias, §8.3), and the result is measured again. Reported per quadrant: median step, CADC LSB.
 */
export class SynapseDacBiasCalibration {
  readonly parameter = 'synapseDacBias_lsb';

  async run(ctx: CalibrationContext): Promise<ParameterReport> {
    const before = await this.quadrantSteps(ctx);
    const weakest = Math.min(...before);
    const bias = ctx.shared.synapseDacBias;
    for (let q = 0; q < QUADRANTS; q++) {
      bias[q] = Math.max(SYN_I_BIAS_DAC_MIN, Math.round((ctx.target.synapseDacBias_lsb * weakest) / before[q]!));
    }
    const b = ctx.builder();
    for (let q = 0; q < QUADRANTS; q++) {
      b.write(new CapMemCellOnDLS(CapMemCellOnCapMemBlock.synIBiasDac, new CapMemBlockOnDLS(q)), new CapMemCell({ value: bias[q]! }));
    }
    ctx.session.noteCapMemChange(ctx.target.synapseDacBias_lsb);
    ctx.session.settle(b);
    await ctx.session.run(b);
    const achieved = await this.quadrantSteps(ctx);
    return {
      parameter: this.parameter,
      unit: 'CADC LSB, quadrant median step',
      target: new Float64Array(QUADRANTS).fill(weakest),
      before: Float64Array.from(before),
      achieved: Float64Array.from(achieved),
      success: Uint8Array.from(achieved, (a) => (Math.abs(a / weakest - 1) <= TOLERANCE ? 1 : 0)),
    };
  }

  private async quadrantSteps(ctx: CalibrationContext): Promise<number[]> {
    const digital = (n: AtomicNeuron): void => {
      n.threshold.enable = false;
      n.readout.source = 'excSynin';
    };
    const tau = ctx.target.tauSynExc_us;
    const response = await measureEventResponse(ctx, {
      setup: { digital },
      stimulus: 'excitatoryStrong',
      delays_cycles: [gridCycles(DELAY_US)],
      repetitions: REPETITIONS,
      period_cycles: gridCycles(6 * Math.max(...tau) + 4),
    });
    const step = Float64Array.from(response.change[0]!, (c, i) => (c * Math.exp(response.time_us[0]![i]! / tau[i]!)) / ctx.cadcGain[i]!);
    return Array.from({ length: QUADRANTS }, (_, q) => median(step.subarray(q * 128, (q + 1) * 128)));
  }
}

