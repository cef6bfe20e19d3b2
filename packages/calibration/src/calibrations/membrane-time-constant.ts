import type { AtomicNeuron } from '@bss2/lola';
import type { ParameterReport } from '../calibration-result.js';
import { median } from '../statistics.js';
import type { CalibrationContext } from './context.js';
import { withSetting } from './context.js';
import { RESET_ALL_CYCLES, measureDecay, resetAllNeurons } from './decay-measurement.js';
import { potentialSetting } from './nominal.js';
import { searchTimeConstant } from './time-constant-search.js';

/** The decay runs from a low reset to a high leak potential (CADC LSB): 130 LSB of signal within the CADC range. */
const DECAY_LEAK_LSB = 170;
const DECAY_RESET_LSB = 40;

/**
 * Membrane time constant (hardware.md §9.1 step 7) by the leak bias, with the range switch the nominal
 * setting chose. Measured as the decay after reset (§9.1 uses it for short targets; here for all): every
 * neuron is reset at once by NeuronResetQuad (§3.4), then rises towards its leak potential; the CADC samples
 * the rise (`measureDecay`). Threshold off, so nothing else resets the membrane.
 */
export class MembraneTimeConstantCalibration {
  readonly parameter = 'tauMembrane_us';

  async run(ctx: CalibrationContext): Promise<ParameterReport> {
    const digital = (n: AtomicNeuron): void => {
      n.threshold.enable = false;
    };
    const capMem = { 'leak.vLeak': potentialSetting(DECAY_LEAK_LSB, 'leak'), 'reset.vReset': potentialSetting(DECAY_RESET_LSB, 'reset') };
    const expected = median(ctx.target.tauMembrane_us);
    return searchTimeConstant(ctx, this.parameter, 'leak.iBias', ctx.target.tauMembrane_us, (s) =>
      measureDecay(ctx, {
        setup: { digital, capMem: withSetting(capMem, 'leak.iBias', s) },
        kick: resetAllNeurons,
        kickCycles: RESET_ALL_CYCLES,
        warmup: 0,
        expected_us: expected,
        tauMin_us: 0.1,
        tauMax_us: 2000,
      }),
    );
  }
}
