// neuronRegisterWrites is an encoder into the chip's registers: applied as read-modify-writes to the words of any
// neuron, its writes give exactly the words of that neuron with the parameter set, for every HXNeuron parameter
// that is a switch or a number (NeuronConfig, backend, CapMem) and any placement.
import { AtomicNeuronOnDLS, NeuronColumnOnDLS, NeuronRowOnDLS } from '@bss2/halco';
import { AtomicNeuron } from '@bss2/lola';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hxNeuronFields, hxSpecs } from '../src/cells.js';
import * as pynn from '../src/index.js';

type Leaf = { encode(): Uint32Array; constructor: { addresses(coord: unknown): readonly number[] } };

function words(neuron: AtomicNeuron, coord: AtomicNeuronOnDLS): Map<number, number> {
  const out = new Map<number, number>();
  for (const [c, leaf] of neuron.toLeaves(coord)) {
    const l = leaf as unknown as Leaf;
    const encoded = l.encode();
    l.constructor.addresses(c).forEach((address, i) => out.set(address, encoded[i]! >>> 0));
  }
  return out;
}

const names = [...hxNeuronFields.keys()].filter((name) => ['boolean', 'number'].includes(typeof hxSpecs[name]!.default));
const switches = names.filter((name) => typeof hxSpecs[name]!.default === 'boolean');

function neuronWith(values: Readonly<Record<string, unknown>>): AtomicNeuron {
  const groups: Record<string, Record<string, unknown>> = {};
  for (const [name, value] of Object.entries(values)) {
    const [group, field] = hxNeuronFields.get(name)!;
    (groups[group] ??= {})[field] = value;
  }
  return new AtomicNeuron(groups as never);
}

describe('neuronRegisterWrites', () => {
  it('its read-modify-writes turn any neuron’s words into those of the neuron with the parameter set', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 255 }),
        fc.integer({ min: 0, max: 1 }),
        fc.subarray(switches),
        fc.constantFrom(...names),
        fc.integer({ min: 0, max: 1022 }),
        (column, hemisphere, on, name, number) => {
          const value = typeof hxSpecs[name]!.default === 'boolean' ? number % 2 === 1 : hxSpecs[name]!.check(number).ok ? number : 0;
          const base = Object.fromEntries(on.map((s) => [s, true]));
          const coord = new AtomicNeuronOnDLS(new NeuronColumnOnDLS(column), new NeuronRowOnDLS(hemisphere));
          const chip = words(neuronWith(base), coord);
          const writes = pynn.neuronRegisterWrites({ population: 'p', index: 0, hemisphere, column }, name, value);
          for (const w of writes) {
            expect(chip.has(w.address)).toBe(true);
            expect(w.hemisphere).toBe(hemisphere);
            chip.set(w.address, ((chip.get(w.address)! & ~w.mask) | w.bits) >>> 0);
          }
          expect(chip).toEqual(words(neuronWith({ ...base, [name]: value }), coord));
        },
      ),
      { seed: 1, numRuns: 300 },
    );
  });
});
