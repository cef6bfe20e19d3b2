/** Largest code of the 4-bit driver fields (utilization, recovery, offset) and of dacen_pulse_extension. */
const NIBBLE_MAX = 15;
/** Largest 5-bit hagen-mode activation (the address LSBs, hardware.md §3.6). */
const ACTIVATION_MAX = 31;

/**
 * **Choice** (hardware.md §8.2 names the trim, not its size): the driver's 4-bit `offset` shortens its
 * pulse linearly, `1 − offset / 32` (offset 15 → 0.53). Reset value 0 is the nominal pulse, so an ideal chip
 * delivers `weight / 63`; a driver whose pulse gain (§8.4, N(1, 0.1)) is up to 1.9× the target can be
 * trimmed down to it.
 */
export function offsetPulseFactor(offset: number): number {
  return 1 - offset / 32;
}

/**
 * **Choice:** the bus's `dacen_pulse_extension` (0..15) stretches the synapse DAC enable pulse linearly,
 * `1 + extension / 15` (15 → twice as long). `enable_extended_timing` is stored without effect.
 */
export function pulseExtensionFactor(extension: number): number {
  return 1 + extension / NIBBLE_MAX;
}

/** **Choice:** one `hagen_dac_offset` step lowers the driver's DAC threshold by 1/16 activation LSB (0..3.94 LSB). */
export const HAGEN_DAC_OFFSET_STEPS_PER_LSB = 16;

/**
 * Integrator ("hagen") mode: the 5-bit activation scales the pulse width (§3.6, §8.2). **Choice** (the
 * datasheet names the DAC offset, not its size): the driver's hagen DAC loses `threshold` activation LSB of
 * every pulse, `max(0, activation − threshold) / 31`, where `threshold` is the driver's fixed-pattern DAC
 * offset (§8.4 Choice, `hagenDacThreshold`) minus `hagen_dac_offset / 16`. On the ideal chip the threshold is 0
 * at the reset value, so an activation scales the pulse by exactly `activation / 31`.
 */
export function hagenActivationFactor(activation: number, threshold = 0): number {
  const effective = activation - threshold;
  return effective > 0 ? effective / ACTIVATION_MAX : 0;
}

/**
 * The threshold of `hagenActivationFactor`: the fixed-pattern DAC offset trimmed by the 6-bit `hagen_dac_offset`
 * (0..63, guaranteed by the container's decoder).
 */
export function hagenDacThreshold(fixedPatternOffset_lsb: number, hagenDacOffset: number): number {
  return fixedPatternOffset_lsb - hagenDacOffset / HAGEN_DAC_OFFSET_STEPS_PER_LSB;
}

/** Tsodyks–Markram utilization `U = utilization / 15` (hardware.md §8.2 Choice). */
export function stpUtilization(utilization: number): number {
  return utilization / NIBBLE_MAX;
}

/**
 * **Choice** (§8.2 leaves the mapping open): `τ_rec = (recovery + 1) · 2 µs · 2^(7 − recovery_clock_speed)`
 * — a larger `recovery` code recovers more slowly, a faster recovery clock shortens τ_rec in octaves. Speed 7
 * spans 2..32 µs hw (2..32 ms biological); speed 0 up to 4.1 ms, speed 15 down to 7.8 ns.
 */
export function stpRecoveryTime_us(recovery: number, recoveryClockSpeed: number): number {
  return (recovery + 1) * 2 * 2 ** (7 - recoveryClockSpeed);
}

/**
 * Short-term plasticity state of the 256 synapse drivers (hardware.md §8.2 Choice, Tsodyks–Markram without
 * facilitation): resource `R ∈ [0, 1]`, an event is transmitted with amplitude `U·R`, then `R ← R − U·R`;
 * between events `R` relaxes to 1 with `τ_rec` while recovery runs. Times in FPGA cycles.
 */
export class ShortTermPlasticity {
  readonly resource: Float64Array;
  readonly lastEvent_cycles: Float64Array;

  constructor(drivers: number) {
    this.resource = new Float64Array(drivers);
    this.lastEvent_cycles = new Float64Array(drivers);
    this.reset();
  }

  /**
   * The amplitude factor `U·R` of an event at `driver` at `cycle`, after recovery since its last event
   * (`recoveryRate` = 1 / τ_rec in 1/cycles, 0 while recovery is off); depletes the resource.
   */
  transmit(driver: number, cycle: number, utilization: number, recoveryRate: number): number {
    const elapsed = cycle - this.lastEvent_cycles[driver]!;
    let r = this.resource[driver]!;
    if (recoveryRate > 0 && elapsed > 0) r = 1 - (1 - r) * Math.exp(-elapsed * recoveryRate);
    const amplitude = utilization * r;
    this.resource[driver] = r - amplitude;
    this.lastEvent_cycles[driver] = cycle;
    return amplitude;
  }

  /** Every driver fully recovered (chip reset). */
  reset(): void {
    this.resource.fill(1);
    this.lastEvent_cycles.fill(0);
  }
}
