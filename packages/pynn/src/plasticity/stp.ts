// TsodyksMarkramSynapse (hardware.md §3.6, §8.2): STP on the synapse drivers of the projection. The chip's form:
// an event is transmitted with amplitude ∝ U·R, then R ← R − U·R, and R recovers toward 1 with τ_rec;
// U = utilization / 15 and τ_rec = (recovery + 1) · 2 µs · 2^(7 − speed) (chip-sim docs/events.md), the speed
// one recovery clock for all drivers. Facilitation is not part of the chip's model.
import type { ShortTermPlasticity } from '@bss2/execution';
import { describeValue } from '../describe.js';
import type { RoutedPart } from '../network.js';
import { StaticSynapse } from '../projection.js';
import { PlasticityError } from './errors.js';

const NIBBLE_MAX = 15;
const BASE_US = 2;
const SPEED_REFERENCE = 7;

export interface TsodyksMarkramParameters {
  readonly weight?: number | readonly number[];
  readonly delay?: number;
  /** Utilization, (0, 1]: realised as utilization/15. */
  readonly U: number;
  /** Recovery time constant, ms (biological). */
  readonly tau_rec: number;
  /** Facilitation time constant: only 0 (the chip's STP depresses; it has no facilitation). */
  readonly tau_facil?: number;
}

/** τ_rec (µs of chip time) of a recovery setting and clock speed. */
export function recoveryTime_us(recovery: number, speed: number): number {
  return (recovery + 1) * BASE_US * 2 ** (SPEED_REFERENCE - speed);
}

/** `TsodyksMarkramSynapse({ U, tau_rec, weight })`: a static weight through a depressing synapse driver. */
export class TsodyksMarkramSynapse extends StaticSynapse {
  readonly U: number;
  readonly tau_rec: number;
  readonly utilization: number;

  constructor(parameters: TsodyksMarkramParameters) {
    const { U, tau_rec, tau_facil, ...rest } = parameters ?? ({} as TsodyksMarkramParameters);
    super(rest);
    if (typeof U !== 'number' || !(U > 0 && U <= 1)) throw new PlasticityError(`TsodyksMarkramSynapse U ${describeValue(U)} must be in (0, 1] (realised in steps of 1/15)`, { parameter: 'U', value: U });
    const slowest = recoveryTime_us(NIBBLE_MAX, 0);
    const fastest = recoveryTime_us(0, NIBBLE_MAX);
    if (typeof tau_rec !== 'number' || !(tau_rec >= fastest && tau_rec <= slowest)) {
      throw new PlasticityError(`TsodyksMarkramSynapse tau_rec ${describeValue(tau_rec)} ms must be in ${fastest}..${slowest} ms (the recovery settings and clock)`, { parameter: 'tau_rec', value: tau_rec });
    }
    if (tau_facil !== undefined && tau_facil !== 0) {
      throw new PlasticityError(`TsodyksMarkramSynapse tau_facil ${describeValue(tau_facil)}: the chip's STP depresses only (no facilitation, hardware.md §8.2); give 0 or leave it out`, { parameter: 'tau_facil', value: tau_facil });
    }
    this.U = U;
    this.tau_rec = tau_rec;
    this.utilization = Math.max(1, Math.round(U * NIBBLE_MAX));
  }
}

/** The recovery setting nearest `tau_rec_us` at `speed`. */
function recoveryAt(tau_rec_us: number, speed: number): number {
  const r = Math.round(tau_rec_us / (BASE_US * 2 ** (SPEED_REFERENCE - speed))) - 1;
  return Math.min(NIBBLE_MAX, Math.max(0, r));
}

/**
 * The graph's STP: the clock speed that realises the first STP projection's τ_rec best, each projection's nearest
 * recovery setting at that speed (1 ms biological = 1 µs of chip time).
 */
export function shortTermPlasticity(parts: readonly RoutedPart[]): ShortTermPlasticity | undefined {
  const stp = parts.filter((p) => p.projection.synapse instanceof TsodyksMarkramSynapse);
  if (stp.length === 0) return undefined;
  const first = (stp[0]!.projection.synapse as TsodyksMarkramSynapse).tau_rec;
  let speed = 0;
  let best = Number.POSITIVE_INFINITY;
  for (let s = 0; s <= NIBBLE_MAX; s++) {
    const error = Math.abs(recoveryTime_us(recoveryAt(first, s), s) - first);
    if (error < best) [best, speed] = [error, s];
  }
  return {
    recoveryClockSpeed: speed,
    projections: stp.map((part) => {
      const synapse = part.projection.synapse as TsodyksMarkramSynapse;
      return { projection: part.name, utilization: synapse.utilization, recovery: recoveryAt(synapse.tau_rec, speed) };
    }),
  };
}
