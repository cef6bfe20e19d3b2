import { MorphologyError, describeValue } from './errors.js';
import { MorphologyRule } from './morphology-rule.js';

/**
 * The switch bits of one neuron circuit's `multicompartment` group (hardware.md §3.2; NeuronConfig word 7),
 * named as in AtomicNeuron. `i_bias_nmda` (the conductance's CapMem bias) is an analog parameter, not a
 * switch, and stays with the AtomicNeuron. Semantics (README "Multi-compartment neurons"):
 * - `connectRight` on (c, r) joins the membranes of (c, r) and (c + 1, r);
 * - `connectVertical` joins the membranes of (c, 0) and (c, 1); the switch is closed when either neuron of the
 *   column sets it (Morphology always sets both, as upstream does, so the bit is symmetric under flipY);
 * - `connectSomaRight` on (c, r) joins the somatic line segment of (c, r) to that of (c + 1, r); the two rows'
 *   somatic lines are never joined to each other directly;
 * - `connectSoma` switches the membrane onto its own somatic line segment; `enableConductance` connects it
 *   through the `i_bias_nmda` conductance instead (÷4 with `enableConductanceDivision`, ×4 with
 *   `enableConductanceMultiplication`).
 */
export interface MulticompartmentSwitches {
  readonly connectSoma: boolean;
  readonly connectSomaRight: boolean;
  readonly connectRight: boolean;
  readonly connectVertical: boolean;
  readonly enableConductance: boolean;
  readonly enableConductanceDivision: boolean;
  readonly enableConductanceMultiplication: boolean;
}

export const multicompartmentSwitchNames = [
  'connectSoma',
  'connectSomaRight',
  'connectRight',
  'connectVertical',
  'enableConductance',
  'enableConductanceDivision',
  'enableConductanceMultiplication',
] as const satisfies readonly (keyof MulticompartmentSwitches)[];

/** Every switch open: the reset state (hardware.md §3.2, booleans default to false). */
export const openSwitches: MulticompartmentSwitches = Object.freeze({
  connectSoma: false,
  connectSomaRight: false,
  connectRight: false,
  connectVertical: false,
  enableConductance: false,
  enableConductanceDivision: false,
  enableConductanceMultiplication: false,
});

/** Scaling of the inter-compartment conductance: ÷4 and ×4 (hardware.md §3.2). */
export interface ConductanceScaling {
  readonly division?: boolean;
  readonly multiplication?: boolean;
}

/** A frozen record holding exactly the seven switch booleans of `init`; anything else is rejected. */
export function frozenSwitches(init: MulticompartmentSwitches, where: string): MulticompartmentSwitches {
  if (init === null || typeof init !== 'object') {
    throw new MorphologyError(MorphologyRule.invalidArgument, `switches of ${where} must be an object, got ${describeValue(init)}`);
  }
  const out: Record<string, boolean> = {};
  for (const name of multicompartmentSwitchNames) {
    const value = init[name];
    if (typeof value !== 'boolean') {
      throw new MorphologyError(MorphologyRule.invalidArgument, `${name} of ${where} must be a boolean, got ${describeValue(value)}`);
    }
    out[name] = value;
  }
  if (out.connectSoma && out.enableConductance) {
    throw new MorphologyError(
      MorphologyRule.somaSwitchWithConductance,
      `${where} sets both connectSoma and enableConductance: a membrane joins its somatic segment either by switch or through the conductance`,
    );
  }
  return Object.freeze(out as unknown as MulticompartmentSwitches);
}

/** The membrane is on the somatic line, by switch or through the conductance. */
export function isAttached(s: MulticompartmentSwitches): boolean {
  return s.connectSoma || s.enableConductance;
}

/**
 * A bridge neuron only continues the somatic line (`connectSomaRight` and no other topology switch); it is a
 * compartment of its own that contributes nothing functional (upstream `is_bridge_segment`).
 */
export function isBridge(s: MulticompartmentSwitches): boolean {
  return s.connectSomaRight && !s.connectSoma && !s.enableConductance && !s.connectRight && !s.connectVertical;
}

export function switchesEqual(a: MulticompartmentSwitches, b: MulticompartmentSwitches): boolean {
  return multicompartmentSwitchNames.every((name) => a[name] === b[name]);
}
