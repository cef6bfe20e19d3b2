import { type AtomicNeuron, nominal } from '@bss2/lola';
import type { ParameterReport } from '../calibration-result.js';
import { CadcNeuronReadout } from '../measurement/cadc-readout.js';
import type { CalibrationContext } from './context.js';
import { resetTimer, waitUntil, withSetting } from './context.js';
import { potentialSetting } from './nominal.js';
import { NEURON_COUNT } from '../targets.js';
import { searchPotential } from './potential-search.js';

const noThreshold = (n: AtomicNeuron): void => {
  n.threshold.enable = false;
};

/**
 * Leak (resting) potential (hardware.md §9.1 step 7): threshold off, the membrane settles at the leak
 * potential (shifted by the synaptic inputs' offset currents, which stay on as in use); CADC mean.
 */
export class LeakPotentialCalibration {
  readonly parameter = 'leak_lsb';

  async run(ctx: CalibrationContext): Promise<ParameterReport> {
    return searchPotential(ctx, {
      parameter: this.parameter,
      field: 'leak.vLeak',
      target: ctx.target.leak_lsb,
      measure: (s) => ctx.readPotentials({ digital: noThreshold, capMem: withSetting(undefined, 'leak.vLeak', s) }),
    });
  }
}

/**
 * Reset potential (hardware.md §9.1 step 7): the threshold sits at the bottom (v_threshold 0), so a neuron
 * fires as soon as its refractory period ends and spends all but one backend clock of every 255 in reset
 * (slow clock, refractory_time 255, hold-off one cycle, §8.1); the CADC minimum of two sweeps is the reset
 * potential (a sample inside the one free cycle reads higher).
 */
export class ResetPotentialCalibration {
  readonly parameter = 'reset_lsb';

  async run(ctx: CalibrationContext): Promise<ParameterReport> {
    const digital = (n: AtomicNeuron): void => {
      n.threshold.enable = true;
      n.refractoryPeriod.inputClock = 0;
      n.refractoryPeriod.refractoryTime = 255;
      n.refractoryPeriod.resetHoldoff = 15;
    };
    return searchPotential(ctx, {
      parameter: this.parameter,
      field: 'reset.vReset',
      target: ctx.target.reset_lsb,
      measure: (s) => ctx.readPotentials({ digital, capMem: withSetting({ 'threshold.vThreshold': 0 }, 'reset.vReset', s) }, 'min', 2),
    });
  }
}

/** Sweeps of the threshold measurement and the spread of their start times (FPGA cycles). */
const THRESHOLD_SWEEPS = 96;
const SWEEP_SPACING_CYCLES = 160;
const SWEEP_JITTER_CYCLES = 41;
/** The leak sits this far above the threshold target (CADC LSB): the neuron fires regularly. */
const THRESHOLD_DRIVE_LSB = 35;

/**
 * Threshold (hardware.md §9.1 step 5: "the neuron fires, fast CADC sampling, maximum = threshold"): every neuron
 * is driven `THRESHOLD_DRIVE_LSB` above its threshold target so it fires regularly, rising from its reset
 * towards the drive and being reset at the threshold; the maximum of many CADC sweeps at jittered times is the
 * highest membrane seen just before a crossing. The jitter keeps sweep times from locking to a neuron's period.
 * The drive is the leak potential as far as the leak's transfer reaches (it saturates near 0.69 V, lola
 * `neuronVoltageTransfers`), and the offset current (§9.1: "offset current makes the neuron fire") for the rest:
 * `g_L · (V_drive − V_leak)` with the neuron's nominal leak conductance.
 */
export class ThresholdCalibration {
  readonly parameter = 'threshold_lsb';

  async run(ctx: CalibrationContext): Promise<ParameterReport> {
    const leak = new Int32Array(NEURON_COUNT);
    const offset = new Int32Array(NEURON_COUNT);
    for (let i = 0; i < NEURON_COUNT; i++) {
      const wanted = ctx.target.threshold_lsb[i]! + THRESHOLD_DRIVE_LSB;
      leak[i] = potentialSetting(wanted, 'leak');
      const reached_V = nominal.neuronVoltage_V('leak', leak[i]!);
      const missing_V = nominal.cadcCodeToVoltage_V(wanted) - reached_V;
      if (missing_V <= 0) continue;
      const s = ctx.settings;
      const g_nS = nominal.otaConductance_nS(s['leak.iBias'][i]!, s['leak.enableDivision'][i] === 1, s['leak.enableMultiplication'][i] === 1);
      // 0.1 nA per LSB in the linear range (§8.3); rounded up so the drive is never short.
      offset[i] = Math.min(nominal.offsetCurrentLinearMax_lsb, Math.ceil((g_nS * missing_V) / nominal.offsetCurrent_nA(1)));
    }
    const digital = (n: AtomicNeuron): void => {
      n.threshold.enable = true;
      // Fast clock (8 ns): refractory 1 µs (125 cycles), hold-off one cycle.
      n.refractoryPeriod.inputClock = 1;
      n.refractoryPeriod.refractoryTime = 1000 / nominal.neuronBackendClockPeriod_ns(0);
      n.refractoryPeriod.resetHoldoff = 15;
      n.constantCurrent.enable = true;
      n.constantCurrent.type = 'source';
    };
    const drive = { 'leak.vLeak': leak, 'constantCurrent.iOffset': offset };
    const measure = async (s: Int32Array): Promise<Float64Array> => {
      const tickets = await ctx.measure({ digital, capMem: withSetting(drive, 'threshold.vThreshold', s) }, (b) => {
        resetTimer(b);
        return Array.from({ length: THRESHOLD_SWEEPS }, (_, k) => {
          waitUntil(b, 1 + k * SWEEP_SPACING_CYCLES + ((k * 37) % SWEEP_JITTER_CYCLES));
          return CadcNeuronReadout.sweep(b);
        });
      });
      return CadcNeuronReadout.reduce(tickets, 'max');
    };
    return searchPotential(ctx, { parameter: this.parameter, field: 'threshold.vThreshold', target: ctx.target.threshold_lsb, measure });
  }
}
