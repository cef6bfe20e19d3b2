// Built-in plasticity kernels as rule-language programs (used by the PyNN layer). Parameters live in the
// mailbox, so the host changes them between runs without recompiling.
import { nominal } from '@bss2/lola';
import { RuleDefinitionError } from './errors.js';
import { RULE_ROWS, type HalfScope, type Rule, type RowScope, type Vec, defineRule } from './rule.js';

/** CADC code of a correlation sensor that accumulated nothing (chip-sim's nominal baseline, hardware.md §8.2). */
export const DEFAULT_CORRELATION_BASELINE = 200;
/** Offset between unsigned codes (0..255) and signed Q0.7 elements: `code − 128` keeps the order. */
export const CODE_OFFSET = 128;

export interface RowRange {
  readonly from: number;
  readonly to: number;
}
const allRows: RowRange = { from: 0, to: RULE_ROWS - 1 };

/**
 * `clamp(baseline − code, 0, 127)`: the correlation a sensor accumulated, from its code (codes fall as
 * correlation grows). Unsigned codes are compared as signed through the offset `code − 128` (`baseline` is
 * given offset already: a splatted code or the rest codes of a second conversion).
 */
export function accumulated(scope: RowScope, baseline: Vec<8>, code: Vec<8>): Vec<8> {
  return baseline.subSat(code.sub(CODE_OFFSET)).max(scope.constant(0));
}

/**
 * `(a·b) >> 7` for a ≥ 0 and b ≥ 0 summed with signs: the fractional product rounded toward zero (the plain
 * fractional multiply floors, which would give every small negative product −1).
 */
export function signedProduct(scope: HalfScope | RowScope, a: Vec<8>, b: Vec<8>): Vec<8> {
  const zero = scope.constant(0);
  const aPos = a.max(zero);
  const aNeg = zero.subSat(a).max(zero);
  const bPos = b.max(zero);
  const bNeg = zero.subSat(b).max(zero);
  return aPos.mulSat(bPos).addSat(aNeg.mulSat(bNeg)).subSat(aPos.mulSat(bNeg)).subSat(aNeg.mulSat(bPos));
}

function checkRows(rule: string, rows: RowRange): RowRange {
  const { from, to } = rows;
  if (!Number.isInteger(from) || !Number.isInteger(to) || from < 0 || to < from || to >= RULE_ROWS) {
    throw new RuleDefinitionError(rule, 'rows', rows, `from ≤ to within 0..${RULE_ROWS - 1}`);
  }
  return rows;
}

export interface StdpOptions {
  /** Rows of each hemisphere the rule updates (default all 256). */
  readonly rows?: RowRange;
  /** `additive`: Δw = η₊·c₊ − η₋·c₋; `multiplicative`: Δw = η₊·(1 − w/63.5)·c₊ − η₋·(w/63.5)·c₋. */
  readonly variant?: 'additive' | 'multiplicative';
  /** Initial mailbox values (Q0.7: 128 = 1): η₊ and η₋. */
  readonly etaPlus?: number;
  readonly etaMinus?: number;
  /**
   * Where an empty sensor's code comes from: `measured` (default) — each sensor's own rest code, read by a
   * second conversion right after the reset; `fixed` — one code for all (the `correlationBaseline` param).
   */
  readonly baseline?: 'measured' | 'fixed';
  /** CADC code of an empty sensor with `baseline: 'fixed'` (default 200). */
  readonly correlationBaseline?: number;
}

/**
 * Nearest-neighbour STDP from the correlation sensors (hardware.md §7, §8.2): per half row, one conversion
 * reads causal and acausal codes and resets the sensors; c± = clamp(rest − code, 0, 127); Δw as the variant
 * says (fractional products), w ← clamp(w + Δw, 0, 63) with saturating arithmetic. **Choice:** the rest code is
 * each sensor's own, read by a second conversion right after the reset (`baseline: 'measured'`), so a varied
 * chip's fixed-pattern sensor offsets (up to ±10 LSB) do not leak into Δw; it costs one conversion per half row
 * more. `baseline: 'fixed'` takes one code for all sensors. Params: `etaPlus`, `etaMinus` (and
 * `correlationBaseline` with a fixed baseline).
 */
export function stdpRule(options: StdpOptions = {}): Rule {
  const variant = options.variant ?? 'additive';
  const baselineKind = options.baseline ?? 'measured';
  const name = baselineKind === 'measured' ? `stdp_${variant}` : `stdp_${variant}_fixed`;
  if (variant !== 'additive' && variant !== 'multiplicative') throw new RuleDefinitionError(name, 'variant', variant, "'additive' or 'multiplicative'");
  if (baselineKind !== 'measured' && baselineKind !== 'fixed') throw new RuleDefinitionError(name, 'baseline', baselineKind, "'measured' or 'fixed'");
  if (baselineKind === 'measured' && options.correlationBaseline !== undefined) {
    throw new RuleDefinitionError(name, 'correlationBaseline', options.correlationBaseline, "no value with baseline 'measured' (each sensor's rest code is read); give baseline: 'fixed' to use one code");
  }
  const rows = checkRows(name, options.rows ?? allRows);
  return defineRule(name, (k) => {
    const etaPlus = k.param('etaPlus', options.etaPlus ?? 32);
    const etaMinus = k.param('etaMinus', options.etaMinus ?? 32);
    const baselineCode = baselineKind === 'fixed' ? k.param('correlationBaseline', options.correlationBaseline ?? DEFAULT_CORRELATION_BASELINE) : undefined;
    k.halves((half) => {
      const fixedBaseline = baselineCode === undefined ? undefined : half.splat(baselineCode).sub(CODE_OFFSET);
      const plus = half.splat(etaPlus);
      const minus = half.splat(etaMinus);
      half.rows(rows, (row) => {
        const { causal, acausal } = row.correlation({ reset: true });
        let potentiation: Vec<8>;
        let depression: Vec<8>;
        if (fixedBaseline === undefined) {
          const rest = row.correlation({ reset: false });
          potentiation = accumulated(row, rest.causal.sub(CODE_OFFSET), causal);
          depression = accumulated(row, rest.acausal.sub(CODE_OFFSET), acausal);
        } else {
          potentiation = accumulated(row, fixedBaseline, causal);
          depression = accumulated(row, fixedBaseline, acausal);
        }
        const w = row.weights();
        if (variant === 'multiplicative') {
          // (63 − w)·2 and w·2 are the soft bounds as Q0.7 fractions of 127 / 126.
          potentiation = potentiation.mulSat(row.constant(nominal.synapseWeightMax).sub(w).shl(1));
          depression = depression.mulSat(w.shl(1));
        }
        const delta = potentiation.mulSat(plus).subSat(depression.mulSat(minus));
        row.setWeights(w.addSat(delta).clampWeight());
      });
    });
  });
}

export interface HomeostasisOptions {
  readonly rows?: RowRange;
  /** Initial target spike count per invocation period (0..255). */
  readonly targetCount?: number;
  /** Initial gain (Q0.7: Δw = η·(target − count) / 128, rounded toward zero). */
  readonly eta?: number;
}

/**
 * Homeostasis (synaptic scaling, additive): per half, the neurons' spike counts are read and reset; every
 * synapse onto a neuron moves by η·(target − count) (fractional, rounded toward zero), clamped to 0..63. Params:
 * `targetCount`, `eta`.
 */
export function homeostasisRule(options: HomeostasisOptions = {}): Rule {
  const rows = checkRows('homeostasis', options.rows ?? allRows);
  return defineRule('homeostasis', (k) => {
    const target = k.param('targetCount', options.targetCount ?? 20);
    const eta = k.param('eta', options.eta ?? 32);
    k.halves((half) => {
      const counts = half.rates({ reset: true });
      const error = half.splat(target).sub(CODE_OFFSET).subSat(counts.sub(CODE_OFFSET));
      const delta = signedProduct(half, error, half.splat(eta));
      half.rows(rows, (row) => {
        row.setWeights(row.weights().addSat(delta).clampWeight());
      });
    });
  });
}

export interface RewardStdpOptions {
  readonly rows?: RowRange;
  /** Initial learning rate (Q0.7). */
  readonly eta?: number;
  /** Initial reward and its baseline (signed 8 bit, Q0.7); the host writes them between runs. */
  readonly reward?: number;
  readonly rewardBaseline?: number;
  readonly correlationBaseline?: number;
}

/**
 * Reward-modulated STDP: eligibility e = c₊ − c₋ from one conversion per half row (sensors reset), the
 * modulation m = η·(reward − rewardBaseline) (Q0.7), Δw = e·m rounded toward zero, w ← clamp(w + Δw, 0, 63).
 * Params: `eta`, `reward`, `rewardBaseline`, `correlationBaseline`.
 */
export function rewardStdpRule(options: RewardStdpOptions = {}): Rule {
  const rows = checkRows('reward_stdp', options.rows ?? allRows);
  return defineRule('reward_stdp', (k) => {
    const eta = k.param('eta', options.eta ?? 64);
    const reward = k.param('reward', options.reward ?? 0);
    const rewardBaseline = k.param('rewardBaseline', options.rewardBaseline ?? 0);
    const baselineCode = k.param('correlationBaseline', options.correlationBaseline ?? DEFAULT_CORRELATION_BASELINE);
    k.halves((half) => {
      const baseline = half.splat(baselineCode).sub(CODE_OFFSET);
      const modulation = signedProduct(half, half.splat(reward).subSat(half.splat(rewardBaseline)), half.splat(eta));
      half.rows(rows, (row) => {
        const { causal, acausal } = row.correlation({ reset: true });
        const eligibility = accumulated(row, baseline, causal).subSat(accumulated(row, baseline, acausal));
        row.setWeights(row.weights().addSat(signedProduct(row, eligibility, modulation)).clampWeight());
      });
    });
  });
}
