// The built-in rules (hardware.md §7, §8.2) over @bss2/ppu's kernels: nearest-neighbour STDP from the
// correlation sensors, homeostasis from the rate counters, reward-modulated STDP with the reward in the mailbox.
// Gains are Q0.7 fractions (128 = 1) as the PPU's fractional arithmetic has them.
import { CODE_OFFSET, DEFAULT_CORRELATION_BASELINE, type Rule, type RowRange, accumulated, defineRule, homeostasisRule, signedProduct, stdpRule } from '@bss2/ppu';
import { describeValue } from '../describe.js';
import { PlasticityError } from './errors.js';
import { PlasticityRule } from './rule.js';
import type { Timer } from './timer.js';

const Q07_MAX = 127;

function gain(rule: string, name: string, value: unknown, fallback: number): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || (v as number) < 0 || (v as number) > Q07_MAX) {
    throw new PlasticityError(`${rule} ${name} ${describeValue(v)} must be an integer 0..${Q07_MAX} (a Q0.7 gain: 128 would be 1)`, { parameter: name, value: v });
  }
  return v as number;
}

function checkBaseline(rule: string, value: unknown): number {
  const baseline = value ?? DEFAULT_CORRELATION_BASELINE;
  if (!Number.isInteger(baseline) || (baseline as number) < 0 || (baseline as number) > 255) {
    throw new PlasticityError(`${rule} correlationBaseline ${describeValue(baseline)} must be a CADC code 0..255`, { parameter: 'correlationBaseline', value: baseline });
  }
  return baseline as number;
}

function unknownKeys(rule: string, given: object, known: readonly string[]): void {
  for (const key of Object.keys(given)) if (!known.includes(key)) throw new PlasticityError(`${rule} has no parameter '${key}' (parameters: ${known.join(', ')})`, { parameter: key });
}

export interface STDPParameters {
  readonly timer: Timer;
  /** `additive`: Δw = η₊·c₊ − η₋·c₋; `multiplicative`: soft bounds, Δw = η₊·(1 − w/63.5)·c₊ − η₋·(w/63.5)·c₋. */
  readonly variant?: 'additive' | 'multiplicative';
  /** Gains of potentiation and depression (Q0.7, default 32 = ¼ weight LSB per correlation LSB). */
  readonly etaPlus?: number;
  readonly etaMinus?: number;
  /**
   * Without it (default) each sensor's own rest code is read after its reset and subtracted, so a varied chip's
   * sensor offsets stay out of Δw; given, one CADC code for every sensor (the fixed baseline of @bss2/ppu's stdpRule).
   */
  readonly correlationBaseline?: number;
  readonly sameId?: number | string;
}

/**
 * Nearest-neighbour STDP from the correlation sensors: each invocation reads the causal and acausal
 * accumulations (c± in CADC LSB, `A·exp(−|Δt|/τ_c)` per pair, the sensors' τ_c and A) of every synapse of its
 * projections — each sensor against its own rest code, read after the reset — resets them and updates the
 * weights (clamped to 0..63).
 */
export class STDP extends PlasticityRule {
  readonly variant: 'additive' | 'multiplicative';
  constructor(parameters: STDPParameters) {
    unknownKeys('STDP', parameters, ['timer', 'variant', 'etaPlus', 'etaMinus', 'correlationBaseline', 'sameId']);
    const fixed = parameters.correlationBaseline !== undefined;
    const baseline = checkBaseline('STDP', parameters.correlationBaseline);
    const variant = parameters.variant ?? 'additive';
    if (variant !== 'additive' && variant !== 'multiplicative') throw new PlasticityError(`STDP variant ${describeValue(variant)} must be 'additive' or 'multiplicative'`, { parameter: 'variant', value: variant });
    const etaPlus = gain('STDP', 'etaPlus', parameters.etaPlus, 32);
    const etaMinus = gain('STDP', 'etaMinus', parameters.etaMinus, 32);
    super({
      timer: parameters.timer,
      kernel: ({ rows }) => stdpRule({ rows, variant, baseline: fixed ? 'fixed' : 'measured' }),
      params: fixed ? { etaPlus, etaMinus, correlationBaseline: baseline } : { etaPlus, etaMinus },
      ...(parameters.sameId === undefined ? {} : { sameId: parameters.sameId }),
    });
    this.variant = variant;
  }
}

export interface HomeostasisParameters {
  readonly timer: Timer;
  /** Target rate of every post neuron, Hz (biological). */
  readonly targetRate: number;
  /** Gain (Q0.7): Δw = η·(target − count)/128 per synapse and invocation (default 32). */
  readonly eta?: number;
  readonly sameId?: number | string;
}

/**
 * Homeostasis (additive synaptic scaling): each invocation reads and resets the rate counters of the post
 * neurons and moves every synapse onto a neuron by η·(target − count), where target = targetRate · period.
 */
export class Homeostasis extends PlasticityRule {
  readonly targetRate: number;
  readonly targetCount: number;
  constructor(parameters: HomeostasisParameters) {
    unknownKeys('Homeostasis', parameters, ['timer', 'targetRate', 'eta', 'sameId']);
    const { targetRate, timer } = parameters;
    if (typeof targetRate !== 'number' || !Number.isFinite(targetRate) || targetRate < 0) throw new PlasticityError(`Homeostasis targetRate ${describeValue(targetRate)} must be a rate ≥ 0 Hz`, { parameter: 'targetRate', value: targetRate });
    const period_ms = (timer as Timer | undefined)?.period ?? 0;
    const targetCount = Math.round((targetRate * period_ms) / 1000);
    if (!(period_ms > 0) || targetCount > 255) {
      throw new PlasticityError(`Homeostasis: targetRate ${targetRate} Hz over the timer period ${period_ms} ms is ${targetCount} spikes per invocation; the rate counters give 0..255 (period > 0)`, { parameter: 'targetRate', value: targetRate, limit: 255 });
    }
    const eta = gain('Homeostasis', 'eta', parameters.eta, 32);
    super({ timer, kernel: ({ rows }) => homeostasisRule({ rows }), params: { targetCount, eta }, ...(parameters.sameId === undefined ? {} : { sameId: parameters.sameId }) });
    this.targetRate = targetRate;
    this.targetCount = targetCount;
  }
}

export interface RewardModulatedSTDPParameters {
  readonly timer: Timer;
  /** Learning rate (Q0.7, default 64). */
  readonly eta?: number;
  /** Reward and its baseline in [−1, 1] (stored as Q0.7). */
  readonly reward?: number;
  readonly rewardBaseline?: number;
  readonly sameId?: number | string;
}

function rewardValue(name: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < -1 || value > 1) throw new PlasticityError(`RewardModulatedSTDP ${name} ${describeValue(value)} must be in [−1, 1]`, { parameter: name, value });
  return Math.round(value * Q07_MAX);
}

/**
 * The reward-modulated kernel. **Choice:** each sensor's accumulation is its rest code minus its code, the rest
 * code read by a second conversion right after the reset, so every sensor's fixed-pattern offset cancels (the
 * trial's eligibility is a few LSB, the offsets of seed-varied sensors up to ±10). Params: `eta`, `reward`,
 * `rewardBaseline`.
 */
export function rewardModulatedStdpKernel(rows: RowRange): Rule {
  return defineRule('reward_stdp_rest', (k) => {
    const eta = k.param('eta', 64);
    const reward = k.param('reward', 0);
    const rewardBaseline = k.param('rewardBaseline', 0);
    k.halves((half) => {
      const modulation = signedProduct(half, half.splat(reward).subSat(half.splat(rewardBaseline)), half.splat(eta));
      half.rows(rows, (row) => {
        const read = row.correlation({ reset: true });
        const rest = row.correlation({ reset: false });
        const causal = accumulated(row, rest.causal.sub(CODE_OFFSET), read.causal);
        const acausal = accumulated(row, rest.acausal.sub(CODE_OFFSET), read.acausal);
        row.setWeights(row.weights().addSat(signedProduct(row, causal.subSat(acausal), modulation)).clampWeight());
      });
    });
  });
}

/**
 * Reward-modulated STDP: the eligibility c₊ − c₋ of each synapse (sensors reset each invocation) times
 * η·(reward − baseline); the host sets the reward between runs (`setReward`), the kernel reads it from the mailbox.
 */
export class RewardModulatedSTDP extends PlasticityRule {
  constructor(parameters: RewardModulatedSTDPParameters) {
    unknownKeys('RewardModulatedSTDP', parameters, ['timer', 'eta', 'reward', 'rewardBaseline', 'sameId']);
    const eta = gain('RewardModulatedSTDP', 'eta', parameters.eta, 64);
    super({
      timer: parameters.timer,
      kernel: ({ rows }) => rewardModulatedStdpKernel(rows),
      params: { eta, reward: rewardValue('reward', parameters.reward ?? 0), rewardBaseline: rewardValue('rewardBaseline', parameters.rewardBaseline ?? 0) },
      ...(parameters.sameId === undefined ? {} : { sameId: parameters.sameId }),
    });
  }

  /** The reward in [−1, 1] the next run's invocations use. */
  setReward(reward: number): void {
    this.setParameter('reward', rewardValue('reward', reward));
  }

  setRewardBaseline(baseline: number): void {
    this.setParameter('rewardBaseline', rewardValue('rewardBaseline', baseline));
  }
}
