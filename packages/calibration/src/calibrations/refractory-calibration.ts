import type { ParameterReport } from '../calibration-result.js';
import { type ResolvedTarget } from '../targets.js';
import type { CalibrationContext } from './context.js';
import { type RefractorySettings, refractorySettings } from './refractory.js';

/**
 * Refractory time and hold-off (hardware.md §9.1 step 2: computed from the clock settings, not measured):
 * computed at construction, so an unrealisable pair fails before any measurement; `run` stores the settings
 * and reports what they give. The backend counter is digital: no circuit differs, before and after alike.
 */
export class RefractoryCalibration {
  readonly parameter = 'refractoryTime_us';
  readonly settings: RefractorySettings;

  constructor(private readonly target: ResolvedTarget) {
    this.settings = refractorySettings(target.refractoryTime_us, target.holdoffTime_us);
  }

  async run(ctx: CalibrationContext): Promise<ParameterReport> {
    const s = this.settings;
    ctx.settings['refractoryPeriod.refractoryTime'].set(s.refractoryTime);
    ctx.settings['refractoryPeriod.resetHoldoff'].set(s.resetHoldoff);
    ctx.settings['refractoryPeriod.inputClock'].set(s.inputClock);
    ctx.shared.clockScaleFast.set(s.clockScaleFast);
    ctx.shared.clockScaleSlow.set(s.clockScaleSlow);
    ctx.reports.push({
      parameter: 'holdoffTime_us',
      unit: 'µs',
      target: Float64Array.from(this.target.holdoffTime_us),
      before: Float64Array.from(s.holdoffTime_us),
      achieved: Float64Array.from(s.holdoffTime_us),
      success: new Uint8Array(s.holdoffTime_us.length).fill(1),
    });
    return {
      parameter: this.parameter,
      unit: 'µs',
      target: Float64Array.from(this.target.refractoryTime_us),
      before: Float64Array.from(s.refractoryTime_us),
      achieved: Float64Array.from(s.refractoryTime_us),
      success: new Uint8Array(s.refractoryTime_us.length).fill(1),
    };
  }
}
