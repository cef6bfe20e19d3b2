import { NeuronResetQuadOnDLS } from '@bss2/halco';
import { NeuronResetQuad, nominal } from '@bss2/lola';
import type { PlaybackProgramBuilder } from '@bss2/stadls';
import { fitExponential } from '../algorithms/exponential-fit.js';
import { CADC_READS_PER_SWEEP, CadcNeuronReadout, sweepPositionOf } from '../measurement/cadc-readout.js';
import type { NeuronSetup } from '../measurement/neuron-words.js';
import { NEURON_COUNT } from '../targets.js';
import { type CalibrationContext, resetTimer, waitUntil } from './context.js';

const CYCLES_PER_US = nominal.fpgaClockCyclesPerUs;
/**
 * Every time of a decay program is a multiple of 25 FPGA cycles (200 ns, two of the simulated chip's default
 * analog steps): then each neuron sees the same alignment of kick and read to the analog step grid in every
 * repetition, and its constant time offset only scales the fitted amplitude (an exponential is
 * translation-invariant), never τ.
 */
const GRID_CYCLES = 25;
const DELAYS = 20;
/**
 * Sweeps after one kick start at least this far apart: a sweep takes one FPGA cycle per read, and the wait
 * before the next one must not have passed yet (a late sweep would be read at the wrong delay).
 */
export const SWEEP_SPACING_CYCLES = Math.ceil((CADC_READS_PER_SWEEP + 2) / GRID_CYCLES) * GRID_CYCLES;

/** How a decay is started and observed. */
export interface DecayProgram {
  readonly setup: NeuronSetup;
  /** Appends the kick (neuron resets or a stimulus event) at the current program time. */
  readonly kick: (builder: PlaybackProgramBuilder) => void;
  /** FPGA cycles the kick's instructions take. */
  readonly kickCycles: number;
  /** Kicks before the first observed one: periodic stimulation reaches a steady amplitude. */
  readonly warmup: number;
  /** The time constant expected (µs): the delays span 0.02…3 of it. */
  readonly expected_us: number;
  /** Fit limits (hardware.md §8.3). */
  readonly tauMin_us: number;
  readonly tauMax_us: number;
}

function round(cycles: number): number {
  return Math.max(GRID_CYCLES, Math.round(cycles / GRID_CYCLES) * GRID_CYCLES);
}

/** Delays from the kick's end to a sweep's start, FPGA cycles, increasing, distinct. */
export function decayDelays(expected_us: number): number[] {
  const span = 3 * expected_us * CYCLES_PER_US;
  const delays = Array.from({ length: DELAYS }, (_, k) => round(0.02 * expected_us * CYCLES_PER_US + span * (k / (DELAYS - 1)) ** 1.5));
  return [...new Set(delays)].sort((a, b) => a - b);
}

/**
 * The delays (increasing) grouped into as few chains as possible whose sweeps fit after one kick: within a
 * chain, consecutive delays are at least a sweep apart. Each delay goes to the first chain it fits (greedy in
 * increasing order, which is optimal for this spacing rule); returns, per chain, indices into `delays`, the
 * chains ordered by their longest delay.
 */
export function delayChains(delays: readonly number[]): number[][] {
  const chains: number[][] = [];
  delays.forEach((delay, k) => {
    const chain = chains.find((c) => delay - delays[c[c.length - 1]!]! >= SWEEP_SPACING_CYCLES);
    if (chain === undefined) chains.push([k]);
    else chain.push(k);
  });
  // The chain with the longest delay last: the program ends as late after its last kick as it can, so less of
  // that kick's decay is left for the next program to simulate.
  return chains.sort((a, b) => delays[a[a.length - 1]!]! - delays[b[b.length - 1]!]!);
}

/**
 * A decay sampled by the CADC (the Choice of this package for τ_mem and τ_syn, over MADC traces): every
 * neuron is kicked at once and read by sweeps at 20 delays spanning three time constants; a least-squares
 * exponential per neuron (asymptote free) gives τ. All 512 circuits are measured in one program of 20 sweeps
 * instead of 512 MADC recordings. Kicks come at a constant period (so periodic stimulation has one steady
 * amplitude), and each kick is read by as many of the delays as fit after it (`delayChains`: three kicks
 * for the 20 delays at the spiking preset): a read does not disturb the decay, so a delay reads the same
 * value whichever kick it follows. One kick per delay, each decaying fully before the next, made the chip
 * simulate about ten times as long.
 */
export async function measureDecay(ctx: CalibrationContext, p: DecayProgram): Promise<Float64Array> {
  const delays = decayDelays(p.expected_us);
  const last = delays[delays.length - 1]!;
  // The period only has to hold the longest chain: the response to periodic kicks (after the warm-up) is the
  // same decay after every kick, the residue of earlier kicks adding to its amplitude and never to τ.
  const period = round(p.kickCycles + last + 2 * 128);
  const chains = delayChains(delays);
  const sweeps = await ctx.measure(p.setup, (b) => {
    resetTimer(b);
    const start = (k: number) => GRID_CYCLES * 4 + k * period;
    for (let w = 0; w < p.warmup; w++) {
      waitUntil(b, start(w));
      p.kick(b);
    }
    const out: ReturnType<typeof CadcNeuronReadout.sweep>[] = [];
    chains.forEach((chain, j) => {
      const t0 = start(p.warmup + j);
      waitUntil(b, t0);
      p.kick(b);
      for (const k of chain) {
        waitUntil(b, t0 + round(p.kickCycles) + delays[k]!);
        out[k] = CadcNeuronReadout.sweep(b);
      }
    });
    return out;
  });
  const values = delays.map(() => new Float64Array(NEURON_COUNT));
  sweeps.forEach((sweep, k) => CadcNeuronReadout.decode(sweep, values[k]));
  const tau = new Float64Array(NEURON_COUNT);
  const t = new Float64Array(delays.length);
  const v = new Float64Array(delays.length);
  for (let i = 0; i < NEURON_COUNT; i++) {
    for (let k = 0; k < delays.length; k++) {
      t[k] = (delays[k]! + sweepPositionOf[i]!) / CYCLES_PER_US;
      v[k] = values[k]![i]!;
    }
    const fit = fitExponential(t, v, { tauMin: p.tauMin_us, tauMax: p.tauMax_us });
    const atLimit = fit.tau <= p.tauMin_us * 1.0001 || fit.tau >= p.tauMax_us * 0.9999;
    tau[i] = atLimit || Math.abs(fit.amplitude) < 3 ? NaN : fit.tau;
  }
  return tau;
}

/** Kick of the membrane measurement: every neuron reset at once (128 NeuronResetQuad writes, §3.4). */
export function resetAllNeurons(builder: PlaybackProgramBuilder): void {
  const trigger = new NeuronResetQuad();
  for (let q = 0; q < NeuronResetQuadOnDLS.size; q++) builder.write(new NeuronResetQuadOnDLS(q), trigger);
}

/** Omnibus writes take two instructions (address, data), one FPGA cycle each (§5.1, §5.2). */
export const RESET_ALL_CYCLES = 2 * NeuronResetQuadOnDLS.size;
