// A two-choice task learned with reward-modulated STDP on the PPUs (hardware.md §7): two input patterns (8
// sources each) project onto two output neurons; the output that fires more is the choice (pattern A → output 0,
// pattern B → output 1). After each trial the host writes the reward (+1 correct, −1 wrong) and its running mean
// into the mailbox; at the start of the next trial the kernel turns the sensors' eligibility (causal − acausal
// correlation of the last trial) times (reward − mean) into weight changes and resets the sensors. Subtracting
// the mean keeps learning balanced; the outputs inhibit each other (winner takes all). Each trial is one run on
// the ideal chip; the seed draws the initial weights and the order of the patterns.
// `npx tsx examples/reward-two-choice.ts`
import * as pynn from '../src/index.js';

export interface TwoChoiceOptions {
  /** Seed of the initial weights and the pattern order. */
  readonly seed: number;
  readonly trials?: number;
  /** Trials at the end that are scored (learning continues through them). */
  readonly scoredTrials?: number;
}

export interface TwoChoiceResult {
  /** Per trial: the pattern shown (0 A, 1 B) and the choice (0, 1, or −1 for a tie). */
  readonly patterns: number[];
  readonly choices: number[];
  /** Correct choices among the scored trials. */
  readonly correct: number;
  readonly scored: number;
}

const SOURCES_PER_PATTERN = 8;
/** The kernel runs at 1 ms into a trial (≈ 60 µs of chip time for these rows); the volleys start after it. */
const FIRST_VOLLEY_MS = 100;
const VOLLEYS = 10;
const VOLLEY_GAP_MS = 15;
const TRIAL_MS = FIRST_VOLLEY_MS + VOLLEYS * VOLLEY_GAP_MS;
/** Offset current of the outputs, nA: just below their threshold, so a volley through either weight set can win. */
const OFFSET_NA = 0.75;
/** Weight of the running reward mean's update per trial. */
const MEAN_RATE = 0.2;

function uniform(seed: number): () => number {
  let state = Math.imul(seed, 2654435761) >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

export async function rewardTwoChoice(options: TwoChoiceOptions): Promise<TwoChoiceResult> {
  const trials = options.trials ?? 60;
  const scored = options.scoredTrials ?? 20;
  const rand = uniform(options.seed);
  pynn.setup({ idealChip: true, calibration: 'nominal', seed: options.seed });
  try {
    const inputs = new pynn.Population(2 * SOURCES_PER_PATTERN, new pynn.SpikeSourceArray({ spike_times: [] }), { label: 'patterns' });
    const outputs = new pynn.Population(2, new pynn.IF_curr_exp({ i_offset: OFFSET_NA }), { label: 'choice' });
    outputs.record('spikes');
    const rule = new pynn.RewardModulatedSTDP({ timer: new pynn.Timer({ start: 1, period: TRIAL_MS, numPeriods: trials + 1 }), eta: 127, sameId: 'two-choice' });
    const weights = Array.from({ length: 2 * SOURCES_PER_PATTERN * 2 }, () => 16 + Math.floor(rand() * 8));
    new pynn.Projection(inputs, outputs, new pynn.AllToAllConnector(), new pynn.PlasticSynapse({ weight: weights, plasticityRule: rule }), 'excitatory', { label: 'patterns→choice' });
    // Winner takes all: the first output to fire silences the other, so the choices are not ties.
    new pynn.Projection(outputs, outputs, new pynn.AllToAllConnector({ allowSelfConnections: false }), new pynn.StaticSynapse({ weight: -63 }), 'inhibitory', { label: 'choice⊣choice' });
    const patterns: number[] = [];
    const choices: number[] = [];
    let mean = 0;
    for (let trial = 0; trial < trials; trial++) {
      const pattern = rand() < 0.5 ? 0 : 1;
      const start = trial * TRIAL_MS;
      const volleys = Array.from({ length: VOLLEYS }, (_, v) => start + FIRST_VOLLEY_MS + v * VOLLEY_GAP_MS);
      inputs.set({ spike_times: Array.from({ length: 2 * SOURCES_PER_PATTERN }, (_, i) => (Math.floor(i / SOURCES_PER_PATTERN) === pattern ? volleys : [])) });
      await pynn.run(TRIAL_MS);
      const counts = outputs.getData().segments[0]!.spiketrains.map((s) => [...s.times].filter((t) => t >= start && t < start + TRIAL_MS).length);
      const choice = counts[0]! === counts[1]! ? -1 : counts[0]! > counts[1]! ? 0 : 1;
      patterns.push(pattern);
      choices.push(choice);
      // The next trial's first invocation applies this reward to this trial's eligibility.
      // A tie (both silent or equal) teaches nothing: reward = its running mean.
      const reward = choice < 0 ? mean : choice === pattern ? 1 : -1;
      rule.setReward(reward);
      rule.setRewardBaseline(mean);
      mean += MEAN_RATE * (reward - mean);
    }
    const correct = choices.slice(-scored).filter((c, i) => c === patterns[patterns.length - scored + i]).length;
    return { patterns, choices, correct, scored };
  } finally {
    await pynn.end();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const seed of [1, 2, 3, 4, 5]) {
    const r = await rewardTwoChoice({ seed });
    console.log(`seed ${seed}: ${r.correct}/${r.scored} correct at the end; patterns ${r.patterns.join('')}; choices ${r.choices.map((c) => (c < 0 ? '-' : c)).join('')}`);
  }
}
