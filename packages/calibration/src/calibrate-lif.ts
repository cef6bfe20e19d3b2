import { CapMemBlockOnDLS, CapMemCellOnCapMemBlock, CapMemCellOnDLS } from '@bss2/halco';
import { CapMemCell } from '@bss2/lola';
import type { Connection } from '@bss2/hxcomm';
import { type CalibrationOptions, CalibrationResult, type ParameterReport, type SharedSettings } from './calibration-result.js';
import { CalibrationNotSuccessfulError, CalibrationNotSupportedError } from './errors.js';
import { CadcCalibration } from './calibrations/cadc.js';
import { CalibrationContext, type ProgressListener } from './calibrations/context.js';
import { initialSettings } from './calibrations/initial-settings.js';
import { MembraneTimeConstantCalibration } from './calibrations/membrane-time-constant.js';
import { LeakPotentialCalibration, ResetPotentialCalibration, ThresholdCalibration } from './calibrations/potentials.js';
import { RefractoryCalibration } from './calibrations/refractory-calibration.js';
import { SynapseDacBiasCalibration } from './calibrations/synapse-dac-bias.js';
import { SynapticStrengthCalibration } from './calibrations/synaptic-strength.js';
import { SynapticTimeConstantCalibration } from './calibrations/synaptic-time-constant.js';
import { CadcNeuronReadout } from './measurement/cadc-readout.js';
import { ChipSession } from './measurement/chip-session.js';
import { configureStimuli } from './measurement/stimulus.js';
import { type LIFCalibrationTarget, resolveTarget } from './targets.js';
import { CALIBRATION_SOFTWARE_VERSION } from './version.js';

export interface CalibrateOptions extends CalibrationOptions {
  /** Called before each step with its name and the fraction of the flow done. */
  readonly onProgress?: ProgressListener;
  /**
   * Throw CalibrationNotSuccessfulError (naming the parameter and the circuits) when any circuit misses its
   * target; by default the result carries the success masks and the caller decides.
   */
  readonly requireSuccess?: boolean;
}

const CADC_SAMPLES_MAX = 64;

function checkOptions(options: CalibrateOptions): void {
  const samples = options.cadcSamples;
  if (samples !== undefined && !(Number.isInteger(samples) && samples >= 1 && samples <= CADC_SAMPLES_MAX)) {
    throw new CalibrationNotSupportedError(`cadcSamples = ${samples}: expected an integer in 1..${CADC_SAMPLES_MAX}`);
  }
}

/** One step of the flow: a calibration that reports on one parameter. */
interface Step {
  readonly parameter: string;
  run(ctx: CalibrationContext): Promise<ParameterReport>;
}

/**
 * The spiking LIF flow (hardware.md §9.1), in the datasheet's order: CADC offsets; leak, reset and threshold
 * potentials; membrane time constant; synaptic time constants (excitatory, inhibitory); synapse DAC bias per
 * quadrant and synaptic strength (`i_bias_gm`, excitatory, inhibitory); the leak potential once more (τ_mem and
 * g_m move it through the synaptic offset currents, §8.2); refractory settings, computed. Adaptation and the
 * exponential term are written raw (options.adex). Every target is checked before the first program runs.
 */
export async function calibrateLIF(connection: Connection, target: LIFCalibrationTarget, options: CalibrateOptions = {}): Promise<CalibrationResult> {
  const started = now();
  const resolved = resolveTarget(target);
  checkOptions(options);
  const refractory = new RefractoryCalibration(resolved);
  const { onProgress, requireSuccess, ...resultOptions } = options;
  const session = new ChipSession(connection);
  const shared: SharedSettings = {
    cadcChannelOffsets: new Int32Array(1024),
    synapseDacBias: new Int32Array(4).fill(resolved.synapseDacBias_lsb),
    clockScaleFast: new Int32Array(2),
    clockScaleSlow: new Int32Array(2),
  };
  const ctx = new CalibrationContext(session, resolved, { cadcSamples: 2, ...resultOptions }, initialSettings(resolved), shared, onProgress);

  const init = ChipSession.initBuilder();
  CadcNeuronReadout.configure(init);
  configureStimuli(init);
  ctx.writeClocks(init, ctx.measurementClocks.fast, ctx.measurementClocks.slow);
  for (let q = 0; q < 4; q++) {
    init.write(new CapMemCellOnDLS(CapMemCellOnCapMemBlock.synIBiasDac, new CapMemBlockOnDLS(q)), new CapMemCell({ value: shared.synapseDacBias[q]! }));
  }
  session.noteCapMemChange(resolved.synapseDacBias_lsb);
  await session.run(init);

  const steps: Step[] = [
    new CadcCalibration(),
    new LeakPotentialCalibration(),
    new ResetPotentialCalibration(),
    new ThresholdCalibration(),
    new MembraneTimeConstantCalibration(),
    new SynapticTimeConstantCalibration('excitatory'),
    new SynapticTimeConstantCalibration('inhibitory'),
    new SynapseDacBiasCalibration(),
    new SynapticStrengthCalibration('excitatory'),
    new SynapticStrengthCalibration('inhibitory'),
    new LeakPotentialCalibration(),
    refractory,
  ];
  for (const [k, step] of steps.entries()) {
    onProgress?.(step.parameter, k / steps.length);
    const report = await step.run(ctx);
    // A parameter calibrated twice (the leak) keeps its first "before" and its last result.
    const earlier = ctx.reports.findIndex((r) => r.parameter === report.parameter);
    if (earlier >= 0) ctx.reports[earlier] = { ...report, before: ctx.reports[earlier]!.before };
    else ctx.reports.push(report);
    if (requireSuccess === true) {
      const failed = Array.from(report.success).flatMap((ok, i) => (ok === 1 ? [] : [i]));
      if (failed.length > 0) throw new CalibrationNotSuccessfulError(report.parameter, failed);
    }
  }
  onProgress?.('done', 1);
  return new CalibrationResult({
    target,
    options: resultOptions,
    identity: session.identity,
    softwareVersion: CALIBRATION_SOFTWARE_VERSION,
    neurons: ctx.settings,
    shared,
    parameters: ctx.reports,
    duration_s: (now() - started) / 1000,
  });
}

/** `performance.now()` where the platform has it (Node and browsers do); lib ES2022 does not declare it. */
const clock = (globalThis as { performance?: { now(): number } }).performance;
function now(): number {
  return clock === undefined ? Date.now() : clock.now();
}
