import { AtomicNeuron, NeuronBackendConfig, NeuronConfig, atomicNeuronCapMemRows } from '@bss2/lola';
import { type NeuronSettingField, type NeuronSettings, type RawAdExSettings, lifNeuronBase, neuronSettingFields } from '../neuron-settings.js';
import { NEURON_COUNT } from '../targets.js';

/** First CapMem word of an AtomicNeuron: after its NeuronConfig and NeuronBackendConfig (lola docs/neuron.md). */
export const CAPMEM_WORD_OFFSET = NeuronConfig.wordCount + NeuronBackendConfig.wordCount;

/** Word index of every CapMem-backed AtomicNeuron field (`group.field`), from lola's row table (§2.6). */
export const capMemWordOf: ReadonlyMap<string, number> = new Map(atomicNeuronCapMemRows.map(([row, group, field]) => [`${group}.${field}`, CAPMEM_WORD_OFFSET + row.value]));

const capMemSettingFields = neuronSettingFields.filter((f) => capMemWordOf.has(f));
const digitalSettingFields = neuronSettingFields.filter((f) => !capMemWordOf.has(f));

/** A CapMem field path (`leak.vLeak`, `constantCurrent.iOffset`, …) → one value or one per neuron. */
export type CapMemOverrides = Readonly<Record<string, number | ArrayLike<number>>>;

/** How a measurement configures the neurons on top of the calibration state. */
export interface NeuronSetup {
  /** Changes to the digital configuration (switches, readout, backend), the same for every neuron. */
  readonly digital?: (neuron: AtomicNeuron) => void;
  /** CapMem values that replace the calibrated ones (CapMem LSB). */
  readonly capMem?: CapMemOverrides;
}

/**
 * The 34 words of every neuron for a measurement: the LIF base neuron with the calibrated settings, the
 * measurement's digital changes and CapMem overrides. Neurons sharing their digital settings share one
 * encoded template (AtomicNeuron objects are built per distinct digital configuration, not per neuron); the
 * CapMem words are then set directly — this keeps the many programs of a calibration cheap to build.
 */
export function neuronWords(settings: NeuronSettings, setup: NeuronSetup = {}, adex?: RawAdExSettings): Uint32Array[] {
  const templates = new Map<string, Uint32Array>();
  const out: Uint32Array[] = [];
  const overrides = Object.entries(setup.capMem ?? {}).map(([path, value]) => {
    const word = capMemWordOf.get(path);
    if (word === undefined) throw new RangeError(`neuronWords: ${path} is not a CapMem field of AtomicNeuron`);
    return [word, value] as const;
  });
  for (let i = 0; i < NEURON_COUNT; i++) {
    const key = digitalSettingFields.map((f) => settings[f][i]).join(',');
    let template = templates.get(key);
    if (template === undefined) {
      const neuron = lifNeuronBase(adex);
      for (const path of digitalSettingFields) setField(neuron, path, settings[path][i]!);
      setup.digital?.(neuron);
      template = neuron.encode();
      templates.set(key, template);
    }
    const words = template.slice();
    for (const path of capMemSettingFields) words[capMemWordOf.get(path)!] = settings[path][i]!;
    for (const [word, value] of overrides) words[word] = typeof value === 'number' ? value : value[i]!;
    out.push(words);
  }
  return out;
}

function setField(neuron: AtomicNeuron, path: NeuronSettingField, value: number): void {
  const [group, field] = path.split('.') as [string, string];
  const record = (neuron as unknown as Record<string, Record<string, unknown>>)[group]!;
  record[field] = typeof record[field] === 'boolean' ? value !== 0 : value;
}
