import {
  EntryOnQuad,
  NeuronColumnOnDLS,
  type OmnibusContainerName,
  SynapseQuadColumnOnDLS,
  SynapseQuadOnDLS,
  SynapseQuadOnSynram,
  omnibusLayout,
} from '@bss2/halco';
import { isArrayField } from '@bss2/lola';
import { fieldsOf, leafContainer } from './container-words.js';

/** One omnibus window onto the synapse array: per word, its lanes as `[field, entry, bit, mask]` quadruples. */
export interface SynapseWindow {
  readonly name: OmnibusContainerName;
  readonly wordCount: number;
  readonly lanes: readonly Int32Array[];
}

/**
 * Where the synapse array's windows put their bits. The synapse array is stored once: one byte per synapse
 * and per field of the full-quad container (weights, labels, timeCalibs, ampCalibs; hardware.md §3.5),
 * indexed `synram · 65 536 + row · 256 + column` with the neuron column of halco's quad mapping (§2.7). Every
 * window (full quads, weight, label, correlation-trim; halco's `omnibusAliasWindows`) is a view on those
 * bytes; each window field is matched by name to a field of the full-quad container and placed by its lola
 * bit slices (style.md: one definition of every bit field).
 */
export class SynapseLayout {
  readonly fieldNames: readonly string[];
  /** Per field: the value of the full-quad container's `defaults()`. */
  readonly resetValues: Uint8Array;
  readonly synapses: number;
  readonly windows: ReadonlyMap<OmnibusContainerName, SynapseWindow>;
  readonly quadsPerRow = SynapseQuadOnSynram.X.size;
  readonly columnsPerRow = NeuronColumnOnDLS.size;
  readonly entriesPerQuad = EntryOnQuad.size;
  /** Neuron column of lane `q · entriesPerQuad + entry`; the columns of a quad are non-adjacent (§2.7). */
  readonly columnOfLane: Uint8Array;

  constructor(base: OmnibusContainerName, windows: readonly OmnibusContainerName[]) {
    const baseType = leafContainer(base);
    const baseFields = fieldsOf(baseType);
    this.fieldNames = Object.keys(baseFields);
    this.synapses = (SynapseQuadOnDLS.size / this.quadsPerRow) * this.columnsPerRow;
    this.columnOfLane = new Uint8Array(this.quadsPerRow * this.entriesPerQuad);
    for (const quad of SynapseQuadColumnOnDLS.all()) {
      for (const entry of EntryOnQuad.all()) {
        this.columnOfLane[quad.value * this.entriesPerQuad + entry.value] = quad.neuronColumnOf(entry).value;
      }
    }
    const map = new Map<OmnibusContainerName, SynapseWindow>();
    for (const name of [base, ...windows]) map.set(name, this.windowOf(name));
    this.windows = map;
    this.resetValues = new Uint8Array(this.fieldNames.length);
    const defaults = baseType.defaults().encode();
    for (const [w, lanes] of map.get(base)!.lanes.entries()) {
      for (let i = 0; i < lanes.length; i += 4) this.resetValues[lanes[i]!] = (defaults[w]! >>> lanes[i + 2]!) & lanes[i + 3]!;
    }
  }

  private windowOf(name: OmnibusContainerName): SynapseWindow {
    if (omnibusLayout[name].coordinate !== (SynapseQuadOnDLS as unknown)) {
      throw new Error(`synapse window ${name} is not addressed by SynapseQuadOnDLS`);
    }
    const type = leafContainer(name);
    const perWord: number[][] = Array.from({ length: type.wordCount }, () => []);
    for (const [fieldName, field] of Object.entries(fieldsOf(type))) {
      const id = this.fieldNames.indexOf(fieldName);
      if (id < 0 || !isArrayField(field) || field.slices.length !== this.entriesPerQuad) {
        throw new Error(`synapse window ${name}.${fieldName} is no per-entry field of the full-quad container`);
      }
      field.slices.forEach((slices, entry) => {
        if (slices.length !== 1 || slices[0]!.width > 8) throw new Error(`${name}.${fieldName}[${entry}] is not one slice of ≤ 8 bits`);
        const s = slices[0]!;
        perWord[s.word]!.push(id, entry, s.bit, 2 ** s.width - 1);
      });
    }
    return { name, wordCount: type.wordCount, lanes: perWord.map((lanes) => Int32Array.from(lanes)) };
  }
}

/** The synapse array of the whole chip (both synrams) as one byte array per field; see `SynapseLayout`. */
export class SynapseStorage {
  /** Per field of the full-quad container (`layout.fieldNames`), one byte per synapse. */
  readonly fields: readonly Uint8Array[];

  constructor(readonly layout: SynapseLayout) {
    // Byte lengths are multiples of 4, so the state digest can read them as words.
    this.fields = layout.fieldNames.map(() => new Uint8Array(layout.synapses));
    this.reset();
  }

  /** The bytes of field `name` (e.g. `weights`), indexed `synram · 65 536 + row · 256 + column`. */
  field(name: string): Uint8Array {
    const id = this.layout.fieldNames.indexOf(name);
    if (id < 0) throw new RangeError(`no synapse field ${name}; fields: ${this.layout.fieldNames.join(', ')}`);
    return this.fields[id]!;
  }

  reset(): void {
    this.fields.forEach((bytes, id) => bytes.fill(this.layout.resetValues[id]!));
  }

  /** Word `slot % wordCount` of quad `⌊slot / wordCount⌋` (SynapseQuadOnDLS enum) through `window`. */
  read(window: SynapseWindow, slot: number): number {
    const { quadsPerRow, columnsPerRow, entriesPerQuad, columnOfLane } = this.layout;
    const quad = Math.floor(slot / window.wordCount);
    const lanes = window.lanes[slot - quad * window.wordCount]!;
    const rowBase = Math.floor(quad / quadsPerRow) * columnsPerRow;
    const laneBase = (quad % quadsPerRow) * entriesPerQuad;
    const fields = this.fields;
    let word = 0;
    for (let i = 0; i < lanes.length; i += 4) {
      word |= fields[lanes[i]!]![rowBase + columnOfLane[laneBase + lanes[i + 1]!]!]! << lanes[i + 2]!;
    }
    return word >>> 0;
  }

  /** Writes the lanes of `value` that lie in the bytes selected by `byteMask` (0xff per enabled byte). */
  write(window: SynapseWindow, slot: number, value: number, byteMask: number): void {
    const { quadsPerRow, columnsPerRow, entriesPerQuad, columnOfLane } = this.layout;
    const quad = Math.floor(slot / window.wordCount);
    const lanes = window.lanes[slot - quad * window.wordCount]!;
    const rowBase = Math.floor(quad / quadsPerRow) * columnsPerRow;
    const laneBase = (quad % quadsPerRow) * entriesPerQuad;
    const fields = this.fields;
    for (let i = 0; i < lanes.length; i += 4) {
      const bit = lanes[i + 2]!;
      const mask = lanes[i + 3]!;
      if (((byteMask >>> bit) & mask) !== mask) continue;
      fields[lanes[i]!]![rowBase + columnOfLane[laneBase + lanes[i + 1]!]!] = (value >>> bit) & mask;
    }
  }
}
