import type { Connection } from '@bss2/hxcomm';
import { AtomicNeuronOnDLS, TimerOnDLS } from '@bss2/halco';
import { AtomicNeuron, CapMemCell, NeuronBackendConfig, NeuronConfig, Timer, TimerValue, atomicNeuronCapMemRows, nominal } from '@bss2/lola';
import { type PlaybackProgram, PlaybackProgramBuilder, generateSystemInit, run } from '@bss2/stadls';
import type { ChipIdentity } from '../calibration-result.js';
import { NEURON_COUNT } from '../targets.js';
import { DecodedContainers } from './decoded-containers.js';
import { CAPMEM_WORD_OFFSET } from './neuron-words.js';

const rowOfWord = atomicNeuronCapMemRows.map(([row]) => row);

function sameWords(a: Uint32Array, b: Uint32Array, from: number, to: number): boolean {
  for (let k = from; k < to; k++) if (a[k] !== b[k]) return false;
  return true;
}

/**
 * hardware.md §3.8 Choice: a CapMem cell approaches a new value exponentially with τ = 2 ms; the software
 * waits 20 ms. A change of Δ LSB is within half an LSB after τ · ln(2Δ); the session waits that plus one
 * millisecond (the simulated refresh grid), at most the datasheet's 20 ms, so small search steps settle fast.
 */
const CAPMEM_TAU_US = nominal.capMemSettlingTau_us;
const CAPMEM_GRID_US = nominal.capMemUpdatePeriod_us;
const CAPMEM_MAX_SETTLE_US = nominal.capMemSettle_us;
const CAPMEM_MARGIN_US = 200;

export function capMemSettleTime_us(maxChange_lsb: number): number {
  if (maxChange_lsb <= 0) return 0;
  return Math.min(CAPMEM_MAX_SETTLE_US, CAPMEM_TAU_US * Math.log(2 * Math.max(1, maxChange_lsb)) + CAPMEM_GRID_US + CAPMEM_MARGIN_US);
}

/**
 * One connection to one chip as the calibration sees it: runs playback programs, remembers the neuron
 * configuration it wrote so that later programs write only the words that change (differential writes,
 * hardware.md §5.1), and knows how long CapMem needs to settle after those writes.
 */
export class ChipSession {
  /** The words of the neuron configurations last written (a copy), index = AtomicNeuronOnDLS enum. */
  private readonly words: Uint32Array[] = Array.from({ length: NEURON_COUNT }, () => AtomicNeuron.defaults().encode());
  private pendingCapMemChange_lsb = 0;
  private readonly neuronConfigs = new DecodedContainers((words) => NeuronConfig.decode(words));
  private readonly backendConfigs = new DecodedContainers((words) => NeuronBackendConfig.decode(words));
  /** Programs run and instructions sent so far (statistics of the session). */
  programs = 0;
  instructions = 0;
  /** The program run last (its MADC samples and spikes). */
  lastProgram: PlaybackProgram | undefined;

  constructor(readonly connection: Connection) {}

  /** Chip identity for results and cache keys (hardware.md §9.4). */
  get identity(): ChipIdentity {
    const id = this.connection.identity;
    return { chipSeed: id.chipSeed, simulatorVersion: id.simulatorVersion, protocolVersion: id.protocolVersion };
  }

  /** A builder that starts with the system init (hardware.md §5.1): event recording on, time synchronised. */
  static initBuilder(): PlaybackProgramBuilder {
    return generateSystemInit();
  }

  /** The words the chip holds for neuron `i` (read-only view). */
  wordsOf(i: number): Uint32Array {
    return this.words[i]!;
  }

  /**
   * Appends writes of what differs from the chip's neuron configuration: changed CapMem words as CapMemCell
   * writes, changed digital words as NeuronConfig / NeuronBackendConfig writes (the AtomicNeuron's leaves,
   * lola docs/neuron.md). Words as `neuronWords` builds them.
   */
  writeNeurons(builder: PlaybackProgramBuilder, next: readonly Uint32Array[]): void {
    for (let i = 0; i < NEURON_COUNT; i++) {
      const a = this.words[i]!;
      const b = next[i]!;
      const coord = new AtomicNeuronOnDLS(i);
      if (!sameWords(a, b, 0, NeuronConfig.wordCount)) builder.write(coord.toNeuronConfigOnDLS(), this.neuronConfigs.of(b.subarray(0, NeuronConfig.wordCount)));
      if (!sameWords(a, b, NeuronConfig.wordCount, CAPMEM_WORD_OFFSET)) {
        builder.write(coord.toNeuronBackendConfigOnDLS(), this.backendConfigs.of(b.subarray(NeuronConfig.wordCount, CAPMEM_WORD_OFFSET)));
      }
      for (let k = CAPMEM_WORD_OFFSET; k < b.length; k++) {
        if (a[k] === b[k]) continue;
        this.pendingCapMemChange_lsb = Math.max(this.pendingCapMemChange_lsb, Math.abs(a[k]! - b[k]!));
        builder.write(coord.toCapMemCellOnDLS(rowOfWord[k - CAPMEM_WORD_OFFSET]!), new CapMemCell({ value: b[k]! }));
      }
      this.words[i] = b.slice();
    }
  }

  /** Record a CapMem change written outside `writeNeurons` (shared cells). */
  noteCapMemChange(change_lsb: number): void {
    this.pendingCapMemChange_lsb = Math.max(this.pendingCapMemChange_lsb, Math.abs(change_lsb));
  }

  /** Appends the wait CapMem needs for the changes written since the last settle (none: no wait). */
  settle(builder: PlaybackProgramBuilder): void {
    const wait = capMemSettleTime_us(this.pendingCapMemChange_lsb);
    this.pendingCapMemChange_lsb = 0;
    if (wait > 0) ChipSession.wait(builder, wait);
  }

  /** Timer reset, then block until `time_us` later (hardware.md §5.1, canonical experiment). */
  static wait(builder: PlaybackProgramBuilder, time_us: number): void {
    const timer = new TimerOnDLS(0);
    builder.write(timer, new Timer());
    builder.blockUntil(timer, new TimerValue(Math.max(1, Math.round(time_us * nominal.fpgaClockCyclesPerUs))));
  }

  /** Runs the program built so far; the builder is reset by `done()`. */
  async run(builder: PlaybackProgramBuilder): Promise<PlaybackProgram> {
    const program = builder.done();
    await run(this.connection, program);
    this.lastProgram = program;
    this.programs++;
    this.instructions += program.instructionCount;
    return program;
  }
}
