// Runs a compiled rule on a simulated chip's PPU and reads back what the interpreter computes: the weights and
// correlation codes of a row range, the spike counters and the observables (ppu-rules.property.test.ts).
import { AtomicNeuronOnDLS, CADCConfigOnDLS, ColumnCorrelationQuadOnDLS, EntryOnQuad, NeuronColumnOnDLS, NeuronRowOnDLS, SynapseQuadColumnOnDLS, SynapseQuadOnDLS, SynapseQuadOnSynram, SynapseRowOnSynram, SynramOnDLS } from '@bss2/halco';
import { CADCConfig, ColumnCorrelationQuad, SynapseQuad } from '@bss2/lola';
import type { CompiledRule, RuleHemisphereState } from '@bss2/ppu';
import { type AnalogChipModel, type RegisterFile, type SimulatedChip, defaultCorrelationParameters } from '../src/index.js';
import { HOLD, RUN, controlAddress, memoryAddress, readContainer, wait, writeContainer } from './ppu-helpers.js';

export const COLUMNS = NeuronColumnOnDLS.size;
export const ROWS = SynapseRowOnSynram.size;
export const BASELINE = defaultCorrelationParameters.baseline_lsb;
const QUADS_PER_ROW = SynapseQuadColumnOnDLS.size;
const ENTRIES = EntryOnQuad.size;

const quad = (synram: number, row: number, x: number) => new SynapseQuadOnDLS(new SynapseQuadOnSynram(new SynapseQuadColumnOnDLS(x), new SynapseRowOnSynram(row)), new SynramOnDLS(synram));
const columnOf = Array.from({ length: QUADS_PER_ROW }, (_, x) => Array.from({ length: ENTRIES }, (_, e) => new SynapseQuadColumnOnDLS(x).neuronColumnOf(new EntryOnQuad(e)).value));
const counterIndex = (ppu: number, column: number) => new AtomicNeuronOnDLS(new NeuronColumnOnDLS(column), new NeuronRowOnDLS(ppu)).toSpikeCounterReadOnDLS().value;

/** The CADC on and every column's correlation sensors routed to it (both hemispheres). */
export function enableCorrelationReadout(chip: SimulatedChip): void {
  for (const c of [0, 1]) writeContainer(chip, new CADCConfigOnDLS(c), new CADCConfig({ enable: true }));
  for (let x = 0; x < ColumnCorrelationQuadOnDLS.size; x++) {
    writeContainer(chip, new ColumnCorrelationQuadOnDLS(x), new ColumnCorrelationQuad({ enableInternalCausal: [true, true, true, true], enableInternalAcausal: [true, true, true, true] }));
  }
}

function spikeCounterWords(chip: SimulatedChip): Uint32Array {
  // The counters are model-owned read-only registers: tests set them in the register file directly.
  return (chip['registers'] as RegisterFile).containerWords('SpikeCounterRead');
}

/** Writes rows `from..to` of `state` (weights, correlation codes) and all spike counters into hemisphere `ppu`. */
export function writeState(chip: SimulatedChip, model: AnalogChipModel, ppu: number, state: RuleHemisphereState, from: number, to: number): void {
  const causal = model.router.correlation.causalOf(ppu);
  const acausal = model.router.correlation.acausalOf(ppu);
  for (let row = from; row <= to; row++) {
    for (let x = 0; x < QUADS_PER_ROW; x++) {
      const weights = columnOf[x]!.map((c) => state.weights[row * COLUMNS + c]!);
      writeContainer(chip, quad(ppu, row, x), new SynapseQuad({ weights }));
    }
    for (let c = 0; c < COLUMNS; c++) {
      causal[row * COLUMNS + c] = BASELINE - state.causal[row * COLUMNS + c]!;
      acausal[row * COLUMNS + c] = BASELINE - state.acausal[row * COLUMNS + c]!;
    }
  }
  const counters = spikeCounterWords(chip);
  for (let c = 0; c < COLUMNS; c++) counters[counterIndex(ppu, c)] = state.spikeCounts[c]!;
}

/** Reads rows `from..to` back into a state shaped like the interpreter's (other rows copied from `like`). */
export function readState(chip: SimulatedChip, model: AnalogChipModel, ppu: number, like: RuleHemisphereState, from: number, to: number): RuleHemisphereState {
  const weights = like.weights.slice();
  const causalCodes = like.causal.slice();
  const acausalCodes = like.acausal.slice();
  const causal = model.router.correlation.causalOf(ppu);
  const acausal = model.router.correlation.acausalOf(ppu);
  const code = (accumulated: number) => Math.min(255, Math.max(0, Math.round(BASELINE - accumulated)));
  for (let row = from; row <= to; row++) {
    for (let x = 0; x < QUADS_PER_ROW; x++) {
      const q = readContainer(chip, quad(ppu, row, x), SynapseQuad) as SynapseQuad;
      const json = q.toJSON() as unknown as { weights: number[] };
      columnOf[x]!.forEach((c, e) => (weights[row * COLUMNS + c] = json.weights[e]!));
    }
    for (let c = 0; c < COLUMNS; c++) {
      causalCodes[row * COLUMNS + c] = code(causal[row * COLUMNS + c]!);
      acausalCodes[row * COLUMNS + c] = code(acausal[row * COLUMNS + c]!);
    }
  }
  const counters = spikeCounterWords(chip);
  const spikeCounts = Uint16Array.from({ length: COLUMNS }, (_, c) => counters[counterIndex(ppu, c)]!);
  return { weights, causal: causalCodes, acausal: acausalCodes, correlationBaseline: like.correlationBaseline, spikeCounts };
}

/** Loads the rule into PPU `ppu` (all 4096 words), starts it and lets chip time pass until it halted. */
export function runCompiled(chip: SimulatedChip, model: AnalogChipModel, ppu: number, compiled: CompiledRule, params: Record<string, number> = {}, budget_fpgaCycles = 200_000): { returnCode: number; words: Uint32Array } {
  chip.writeWord(controlAddress(ppu), HOLD);
  compiled.localWords(ppu, params).forEach((w, i) => chip.writeWord(memoryAddress(ppu, i), w));
  chip.writeWord(controlAddress(ppu), RUN);
  const step = 10_000;
  for (let waited = 0; model.ppuState(ppu).state === 'running'; waited += step) {
    if (waited >= budget_fpgaCycles) throw new Error(`PPU ${ppu} still running after ${budget_fpgaCycles} FPGA cycles`);
    wait(chip, step);
  }
  const state = model.ppuState(ppu);
  if (state.state !== 'halted') throw new Error(`PPU ${ppu} ${state.state}: ${JSON.stringify(state.fault)}`);
  const words = Uint32Array.from({ length: 4096 }, (_, i) => chip.readWord(memoryAddress(ppu, i)));
  return { returnCode: words[3071]!, words };
}

/** A hemisphere state: weights 0..63, codes 0..255 (as `random()` draws them), counters 9-bit words. */
export function randomState(random: () => number): RuleHemisphereState {
  const cells = ROWS * COLUMNS;
  const int = (n: number) => Math.floor(random() * n);
  return {
    weights: Uint8Array.from({ length: cells }, () => int(64)),
    causal: Uint8Array.from({ length: cells }, () => int(256)),
    acausal: Uint8Array.from({ length: cells }, () => int(256)),
    correlationBaseline: BASELINE,
    spikeCounts: Uint16Array.from({ length: COLUMNS }, () => int(512)),
  };
}
