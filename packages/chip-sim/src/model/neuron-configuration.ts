import { CapMemBlockOnDLS, CommonNeuronBackendConfigOnDLS } from '@bss2/halco';
import {
  AtomicNeuron,
  CapMemBlockConfig,
  CapMemCell,
  CommonNeuronBackendConfig,
  NeuronBackendConfig,
  NeuronConfig,
  atomicNeuronCapMemRows,
  atomicNeuronGroups,
  neuronReadoutSources,
  nominal,
} from '@bss2/lola';
import type { NeuronConfigurationView, NeuronParameters } from '../analog/index.js';
import type { RegisterFile } from '../register-file.js';
import { CapMemSettling, type CapMemValueListener } from './capmem-settling.js';
import { type FieldBits, fieldBits, readBits, writeBits } from './field-bits.js';
import { DAC_OWNER, NO_OWNER, type NeuronWiring, neuronWiring } from './neuron-wiring.js';

const NEURONS = nominal.neuronCount;
const QUADRANTS = CapMemBlockOnDLS.size;
const HALVES = CommonNeuronBackendConfigOnDLS.size;
const CELLS_PER_NEURON = atomicNeuronCapMemRows.length;
const DIGITAL_WORDS = NeuronConfig.wordCount + NeuronBackendConfig.wordCount;
const GROUP_NAMES = Object.keys(atomicNeuronGroups);
/** Distinct digital configurations whose decoded groups are kept (LRU). */
const DIGITAL_CACHE_SIZE = 4096;


const CELL_VALUE: FieldBits = fieldBits(CapMemCell, 'value');
const EN_FIRE: FieldBits = fieldBits(NeuronConfig, 'enFire');
const EN_STRONG_FIRE: FieldBits = fieldBits(NeuronConfig, 'enStrongFire');
const ENABLE_CAPMEM: FieldBits = fieldBits(CapMemBlockConfig, 'enableCapmem');
const DISABLE_REFRESH_CODE = nominal.capMemDisableRefreshCode;

type GroupValues = Record<string, unknown>;
type Groups = Record<string, GroupValues>;
/** Decoded digital configurations, shared by every chip of the process (they are frozen). */
const digitalCache = new Map<string, Groups>();

/**
 * The neuron configuration as the chip's registers hold it, fed into the analog engine's `NeuronParameters`
 * (hardware.md §3.2–§3.4, §3.8): per circuit its NeuronConfig, NeuronBackendConfig and 24 CapMem cells (an
 * AtomicNeuron), per backend half the CommonNeuronBackendConfig clocks, per quadrant `syn_i_bias_dac`.
 *
 * Writes mark what they touched (`onNeuronConfig`, `onBackend`, …); `apply()` recomputes exactly those
 * circuits. Digital words take effect when applied; CapMem cells settle (`CapMemSettling`) and reach the
 * circuits on the settling grid. The digital words are decoded through lola's AtomicNeuron once per distinct
 * configuration (cached); a recompute then costs a copy of the cached group values plus the engine's own
 * transfer functions — no lola objects are built per update.
 */
export class NeuronConfiguration implements CapMemValueListener {
  readonly settling: CapMemSettling;
  /** Per circuit: the readout buffer drives its column's readout line (`enable_buffered_access`, §3.9). */
  readonly readoutEnabled = new Uint8Array(NEURONS);
  /** Per circuit: the readout source, index into lola `neuronReadoutSources` (membrane, exc, inh, adaptation). */
  readonly readoutSource = new Uint8Array(NEURONS);
  /** Circuits whose parameters changed in the last `apply()`: `changed[0 .. changedCount)`. */
  readonly changed = new Int32Array(NEURONS);
  changedCount = 0;
  /** Earliest chip time (ns) at which a pending change must be applied; +∞ when none is pending. */
  due_ns = Infinity;

  private readonly configWords: Uint32Array;
  private readonly backendWords: Uint32Array;
  private readonly commonWords: Uint32Array;
  private readonly cellWords: Uint32Array;
  private readonly blockConfigWords: Uint32Array;
  private readonly wiring: NeuronWiring = neuronWiring();
  private readonly blockEnabled = new Uint8Array(QUADRANTS).fill(1);

  private readonly dirtyCircuit = new Uint8Array(NEURONS);
  private readonly dirtyList = new Int32Array(NEURONS);
  private dirtyCount = 0;
  private readonly dirtyHalf = new Uint8Array(HALVES);
  private readonly dirtyQuadrant = new Uint8Array(QUADRANTS);

  private readonly digital = new Uint32Array(DIGITAL_WORDS);
  private readonly scratchWords = new Uint32Array(AtomicNeuron.wordCount);
  private readonly scratch: Groups & { encode(): Uint32Array };

  constructor(
    private readonly registers: RegisterFile,
    private readonly parameters: NeuronParameters,
  ) {
    this.configWords = registers.containerWords('NeuronConfig');
    this.backendWords = registers.containerWords('NeuronBackendConfig');
    this.commonWords = registers.containerWords('CommonNeuronBackendConfig');
    this.cellWords = registers.containerWords('CapMemCell');
    this.blockConfigWords = registers.containerWords('CapMemBlockConfig');
    const cells = this.wiring.ownerOf.length;
    this.settling = new CapMemSettling(cells, this);
    const groups: Groups = {};
    for (const name of GROUP_NAMES) groups[name] = {};
    const words = this.scratchWords;
    this.scratch = Object.assign(groups, { encode: () => words });
  }

  /**
   * Power-on and chip reset: every cell at the value its register holds, settled (the reset values, or the
   * state a model takes over), every circuit recomputed now.
   */
  reset(): void {
    this.settling.reset();
    for (let block = 0; block < QUADRANTS; block++) this.blockEnabled[block] = this.readBlockEnabled(block);
    for (let cell = 0; cell < this.wiring.ownerOf.length; cell++) {
      if (this.wiring.ownerOf[cell] !== NO_OWNER) this.settling.hold(cell, this.cellTarget(cell) ?? 0);
    }
    this.dirtyCount = 0;
    this.dirtyCircuit.fill(0);
    for (let n = 0; n < NEURONS; n++) this.markCircuit(n, 0);
    this.dirtyHalf.fill(1);
    this.dirtyQuadrant.fill(1);
    this.due_ns = 0;
    this.apply();
  }

  /** NeuronConfig or NeuronBackendConfig of `circuit` was written at chip time `time_ns`. */
  onCircuitWords(circuit: number, time_ns: number): void {
    this.markCircuit(circuit, time_ns);
  }

  /** CommonNeuronBackendConfig of backend half `half` was written. */
  onCommonBackend(half: number, time_ns: number): void {
    this.dirtyHalf[half] = 1;
    this.due(time_ns);
  }

  /** CapMemCell `cell` (CapMemCellOnDLS) was written at `time_ns`: it starts settling to its new value. */
  onCapMemCell(cell: number, time_ns: number): void {
    if (this.wiring.ownerOf[cell] === NO_OWNER) return;
    this.settling.setTarget(cell, this.cellTarget(cell), time_ns);
  }

  /** CapMemBlockConfig `block` was written: switching `enable_capmem` retargets every cell of the block. */
  onCapMemBlockConfig(block: number, time_ns: number): void {
    const enabled = this.readBlockEnabled(block);
    if (enabled === this.blockEnabled[block]) return;
    this.blockEnabled[block] = enabled;
    for (let cell = 0; cell < this.wiring.ownerOf.length; cell++) {
      if (this.wiring.ownerOf[cell] !== NO_OWNER && this.wiring.blockOfCell[cell] === block) this.settling.setTarget(cell, this.cellTarget(cell), time_ns);
    }
  }

  /** Runs the CapMem settling grid update due at `settling.nextUpdate_ns`. */
  settle(): void {
    const time = this.settling.nextUpdate_ns;
    this.settling.update();
    this.due(time);
  }

  capMemValueChanged(cell: number): void {
    const owner = this.wiring.ownerOf[cell]!;
    if (owner >= 0) this.markCircuit(Math.floor(owner / CELLS_PER_NEURON), this.settling.nextUpdate_ns);
    else this.dirtyQuadrant[DAC_OWNER - owner] = 1;
  }

  /**
   * Recomputes the parameters of everything marked: the circuits (their words and applied CapMem values),
   * the backend clocks, the quadrants' synapse DAC bias. Fills `changed` with the circuits that changed.
   */
  apply(): void {
    const p = this.parameters;
    this.changedCount = 0;
    for (let half = 0; half < HALVES; half++) {
      if (this.dirtyHalf[half] === 0) continue;
      this.dirtyHalf[half] = 0;
      const at = half * CommonNeuronBackendConfig.wordCount;
      const config = CommonNeuronBackendConfig.decode(this.commonWords.subarray(at, at + CommonNeuronBackendConfig.wordCount));
      p.setBackendClocks(half, config);
    }
    for (let q = 0; q < QUADRANTS; q++) {
      if (this.dirtyQuadrant[q] === 0) continue;
      this.dirtyQuadrant[q] = 0;
      p.setSynapseDacBias(q, this.settling.applied[this.wiring.dacCell[q]!]!);
    }
    for (let i = 0; i < this.dirtyCount; i++) {
      const n = this.dirtyList[i]!;
      this.dirtyCircuit[n] = 0;
      if (this.applyCircuit(n)) this.changed[this.changedCount++] = n;
    }
    this.dirtyCount = 0;
    this.due_ns = Infinity;
  }

  private markCircuit(circuit: number, time_ns: number): void {
    if (this.dirtyCircuit[circuit] === 0) {
      this.dirtyCircuit[circuit] = 1;
      this.dirtyList[this.dirtyCount++] = circuit;
    }
    this.due(time_ns);
  }

  private due(time_ns: number): void {
    if (time_ns < this.due_ns) this.due_ns = time_ns;
  }

  private readBlockEnabled(block: number): number {
    return readBits(this.blockConfigWords, block * CapMemBlockConfig.wordCount, ENABLE_CAPMEM);
  }

  /** What `cell` settles to: its stored value, frozen for "do not refresh", 0 in a disabled block. */
  private cellTarget(cell: number): number | undefined {
    if (this.blockEnabled[this.wiring.blockOfCell[cell]!] === 0) return 0;
    const code = readBits(this.cellWords, cell, CELL_VALUE);
    return code === DISABLE_REFRESH_CODE ? undefined : code;
  }

  /** Feeds circuit `n` into the engine: the cached digital groups plus the applied CapMem values. */
  private applyCircuit(n: number): boolean {
    const digital = this.digital;
    const configAt = this.wiring.configIndex[n]! * NeuronConfig.wordCount;
    const backendAt = this.wiring.backendIndex[n]! * NeuronBackendConfig.wordCount;
    for (let w = 0; w < NeuronConfig.wordCount; w++) digital[w] = this.configWords[configAt + w]!;
    for (let w = 0; w < NeuronBackendConfig.wordCount; w++) digital[NeuronConfig.wordCount + w] = this.backendWords[backendAt + w]!;
    // §3.2: en_strong_fire without en_fire has no analog-output mode; the comparator output stays off.
    if (readBits(digital, 0, EN_STRONG_FIRE) === 1 && readBits(digital, 0, EN_FIRE) === 0) writeBits(digital, 0, EN_STRONG_FIRE, 0);
    const words = this.scratchWords;
    words.set(digital);
    const applied = this.settling.applied;
    for (let r = 0; r < CELLS_PER_NEURON; r++) words[DIGITAL_WORDS + r] = applied[this.wiring.cellOf[n * CELLS_PER_NEURON + r]!]!;
    const groups = this.decodeDigital(digital);
    const readout = groups['readout']!;
    this.readoutEnabled[n] = readout['enableBufferedAccess'] === true ? 1 : 0;
    this.readoutSource[n] = neuronReadoutSources.indexOf(readout['source'] as (typeof neuronReadoutSources)[number]);
    // The AtomicNeuron view only when the engine has not held these words lately (NeuronParameters caches).
    return this.parameters.setNeuronWords(n, words, () => {
      const scratch = this.scratch;
      for (const name of GROUP_NAMES) Object.assign(scratch[name]!, groups[name]);
      for (let r = 0; r < CELLS_PER_NEURON; r++) {
        const [, group, field] = atomicNeuronCapMemRows[r]!;
        scratch[group]![field] = words[DIGITAL_WORDS + r]!;
      }
      // The groups are filled field by field from lola's own decode, so the shape is the AtomicNeuron's.
      return scratch as unknown as NeuronConfigurationView;
    });
  }

  /** The AtomicNeuron group values of 10 digital words (CapMem fields 0), decoded by lola once and cached. */
  private decodeDigital(digital: Uint32Array): Groups {
    let key = '';
    for (let w = 0; w < DIGITAL_WORDS; w++) key += String.fromCharCode(digital[w]! & 0xffff, digital[w]! >>> 16);
    let groups = digitalCache.get(key);
    if (groups === undefined) {
      const words = new Uint32Array(AtomicNeuron.wordCount);
      words.set(digital);
      const json = AtomicNeuron.decode(words).toJSON() as unknown as Groups;
      groups = {};
      for (const name of GROUP_NAMES) groups[name] = Object.freeze({ ...json[name] });
      if (digitalCache.size >= DIGITAL_CACHE_SIZE) digitalCache.delete(digitalCache.keys().next().value!);
      digitalCache.set(key, groups);
    }
    return groups;
  }
}
