import {
  AtomicNeuronOnDLS,
  CapMemBlockOnDLS,
  CapMemCellOnCapMemBlock,
  CapMemCellOnDLS,
  CapMemRowOnCapMemBlock,
  NeuronBackendConfigOnDLS,
  NeuronColumnOnDLS,
  NeuronConfigOnDLS,
  NeuronRowOnDLS,
} from '@bss2/halco';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AtomicNeuron,
  AtomicNeuronEventRouting,
  AtomicNeuronLeak,
  AtomicNeuronReset,
  CapMemCell,
  type Container,
  ContainerDecodeError,
  FieldRangeError,
  type FieldType,
  NeuronBackendConfig,
  NeuronConfig,
  UnknownFieldError,
  atomicNeuronCapMemRows,
  atomicNeuronGroups,
  containerFromMsgpack,
  containerToMsgpack,
  containerTypes,
} from '../src/index.js';
import { type RegisterType, slowPropertyTimeout_ms, arbitraryRegister, numRuns } from './neuron-support.js';
import { invalidValues } from './support/field-values.js';

/** Any valid value of a group field, read off its rule. */
function arbitraryField(type: FieldType<unknown>): fc.Arbitrary<unknown> {
  if (type.rule === 'a boolean') return fc.boolean();
  const range = /^an integer in (\d+)\.\.(\d+)$/.exec(type.rule);
  if (range !== null) return fc.integer({ min: Number(range[1]), max: Number(range[2]) });
  const names = [...type.rule.matchAll(/"([^"]+)"/g)].map((m) => m[1]!);
  expect(names.length, type.rule).toBeGreaterThan(1);
  return fc.constantFrom(...names);
}

const arbitraryNeuron: fc.Arbitrary<AtomicNeuron> = fc
  .record(
    Object.fromEntries(
      Object.entries(atomicNeuronGroups).map(([group, Group]) => [
        group,
        fc.record(Object.fromEntries(Object.entries(Group.fields).map(([name, type]) => [name, arbitraryField(type)]))),
      ]),
    ),
  )
  .map((init) => new AtomicNeuron(init));

/** Valid leaf contents: no disableRefresh cell, and en_strong_fire only together with en_fire. */
const arbitraryLeaves = fc
  .record({
    neuronConfig: arbitraryRegister(NeuronConfig as unknown as RegisterType).filter((c) => (c as NeuronConfig).enFire || !(c as NeuronConfig).enStrongFire),
    neuronBackendConfig: arbitraryRegister(NeuronBackendConfig as unknown as RegisterType),
    capMemCells: fc.array(fc.integer({ min: 0, max: 1022 }), { minLength: 24, maxLength: 24 }).map((vs) => vs.map((value) => new CapMemCell({ value }))),
  })
  .map((l) => l as unknown as { neuronConfig: NeuronConfig; neuronBackendConfig: NeuronBackendConfig; capMemCells: CapMemCell[] });

const sameJSON = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const neuron = (col: number, row: number) => new AtomicNeuronOnDLS(new NeuronColumnOnDLS(col), new NeuronRowOnDLS(row));

describe('AtomicNeuron', () => {
  it('is a registered read-write composite of 6 + 4 + 24 words at AtomicNeuronOnDLS', () => {
    expect([AtomicNeuron.typeName, AtomicNeuron.wordCount, AtomicNeuron.readable, AtomicNeuron.writable]).toEqual(['AtomicNeuron', 34, true, true]);
    expect(AtomicNeuron.coordinateType).toBe(AtomicNeuronOnDLS);
    expect(containerTypes().get('AtomicNeuron')).toBe(AtomicNeuron);
    expect(Object.keys(new AtomicNeuron().toJSON())).toEqual(['type', ...Object.keys(atomicNeuronGroups)]);
  });

  it('defaults per §3.2: analog 0, booleans false except small capacitance and to_post_pulse', () => {
    const d = AtomicNeuron.defaults();
    const synapticInput = {
      iBiasTau: 0, iBiasCoba: 0, iShiftReference: 0, iBiasGm: 0, vRevCoba: 0,
      enable: false, enableSmallCapacitance: true, enableHighResistance: false, enableCobaMode: false,
    };
    const range = { enableDegeneration: false, enableDivision: false, enableMultiplication: false };
    expect(d.toJSON()).toEqual({
      type: 'AtomicNeuron',
      excitatoryInput: synapticInput,
      inhibitoryInput: synapticInput,
      leak: { vLeak: 0, iBias: 0, ...range },
      reset: { vReset: 0, iBias: 0, ...range },
      threshold: { enable: false, vThreshold: 0 },
      multicompartment: {
        connectSoma: false, connectSomaRight: false, connectRight: false, connectVertical: false, enableConductance: false,
        enableConductanceDivision: false, enableConductanceMultiplication: false, iBiasNmda: 0,
      },
      constantCurrent: { enable: false, iOffset: 0, type: 'source' },
      membraneCapacitance: { capacitance: 0 },
      adaptation: { enable: false, enablePulse: false, invertA: false, invertB: false, vRef: 0, iBiasTau: 0, iBiasA: 0, iBiasB: 0, vLeak: 0 },
      exponential: { enable: false, vExp: 0, iBias: 0 },
      eventRouting: { analogOutput: 'off', enableBypassExcitatory: false, enableBypassInhibitory: false, enableDigital: false, address: 0, enablePostOverwrite: false },
      readout: { enableBufferedAccess: false, enableAmplifier: false, enableUnbufferedAccess: false, source: 'membrane' },
      refractoryPeriod: { inputClock: 0, resetHoldoff: 0, refractoryTime: 0, enablePause: false },
      bayesian: { toPostPulse: true, operation: 'local', connectFireVertical: false, connectFireToRight: false, connectFireFromRight: false, enableMaster: false, enableSlave: false },
    });
    expect(d.toNeuronConfig().equals(new NeuronConfig({ enSyninExcSmallCap: true, enSyninInhSmallCap: true }))).toBe(true);
    expect(d.toNeuronBackendConfig().equals(NeuronBackendConfig.defaults())).toBe(true);
    expect(d.toCapMemCells().every((c) => c.value === 0)).toBe(true);
  });

  it('maps the 24 CapMem rows of §2.6 in row order, each to its own field', () => {
    expect(atomicNeuronCapMemRows.map(([row]) => row.value)).toEqual([...Array(24).keys()]);
    const fields = atomicNeuronCapMemRows.map(([, group, field]) => `${group}.${field}`);
    expect(new Set(fields).size).toBe(24);
    const n = new AtomicNeuron();
    atomicNeuronCapMemRows.forEach(([, group, field], row) => {
      (n[group] as unknown as Record<string, number>)[field] = 10 * row + 7;
    });
    expect(n.toCapMemCells().map((c) => c.value)).toEqual(atomicNeuronCapMemRows.map((_, row) => 10 * row + 7));
    // The names agree with halco's row table (i_bias_synin_exc_shift holds i_shift_reference, e_synin_*_rev v_rev_coba).
    expect(CapMemRowOnCapMemBlock.perNeuronNames[0]).toBe('v_leak');
    expect(atomicNeuronCapMemRows[12]![0].perNeuronName).toBe('i_bias_synin_exc_shift');
    expect(atomicNeuronCapMemRows[12]!.slice(1)).toEqual(['excitatoryInput', 'iShiftReference']);
    expect(atomicNeuronCapMemRows[5]!.slice(1)).toEqual(['adaptation', 'vLeak']);
    expect(atomicNeuronCapMemRows[7]!.slice(1)).toEqual(['adaptation', 'vRef']);
  });

  it('puts leak.vLeak = 700 of neuron (col 130, row 1) into CapMem block 3, column 2, row 0', () => {
    const n = new AtomicNeuron();
    n.leak.vLeak = 700;
    const coord = neuron(130, 1);
    const cell = new CapMemCellOnDLS(CapMemCellOnCapMemBlock.at(2, 0), new CapMemBlockOnDLS(3));
    const leaves = n.toLeaves(coord);
    const [leafCoord, leaf] = leaves[2]!;
    expect(leafCoord.equals(cell)).toBe(true);
    expect((leaf as CapMemCell).value).toBe(700);
    const address = CapMemCell.addresses(cell)[0]!;
    expect(address).toBe(0x15_8000 + 32 * 2 + 0);
    const index = AtomicNeuron.addresses(coord).indexOf(address);
    expect(index).toBe(10);
    expect(n.encode()[index]).toBe(700);
  });

  it('converts the non-identity fields as documented', () => {
    const fire = (analogOutput: 'off' | 'normal' | 'strong') => {
      const c = new AtomicNeuron({ eventRouting: { analogOutput } }).toNeuronConfig();
      return [c.enFire, c.enStrongFire];
    };
    expect([fire('off'), fire('normal'), fire('strong')]).toEqual([[false, false], [true, false], [true, true]]);
    const bayes = (operation: 'local' | 'and' | 'xnor' | 'mullerC') => {
      const b = new AtomicNeuron({ bayesian: { operation } }).toNeuronBackendConfig();
      return [b.en0Bayesian, b.en1Bayesian];
    };
    expect([bayes('local'), bayes('and'), bayes('xnor'), bayes('mullerC')]).toEqual([[false, false], [true, false], [false, true], [true, true]]);
    expect(new AtomicNeuron({ constantCurrent: { type: 'sink' } }).toNeuronConfig().invertCurrent).toBe(true);
    expect(new AtomicNeuron({ constantCurrent: { type: 'source' } }).toNeuronConfig().invertCurrent).toBe(false);
    expect(new AtomicNeuron({ readout: { source: 'adaptation' } }).toNeuronConfig().readoutSelect).toBe('adaptation');
    const backend = new AtomicNeuron({ eventRouting: { address: 0xab, enableDigital: true }, refractoryPeriod: { inputClock: 1, resetHoldoff: 9, refractoryTime: 200 } }).toNeuronBackendConfig();
    expect([backend.addressOut, backend.enSpikeOut, backend.selectInputClock, backend.resetHoldoff, backend.refractoryTime]).toEqual([0xab, true, 1, 9, 200]);
    expect(new AtomicNeuron({ multicompartment: { connectVertical: true } }).toNeuronConfig().connectBottom).toBe(true);
    expect(new AtomicNeuron({ multicompartment: { connectSomaRight: true } }).toNeuronConfig().connectSomata).toBe(true);
    expect(new AtomicNeuron({ bayesian: { connectFireVertical: true } }).toNeuronBackendConfig().connectFireBottom).toBe(true);
  });

  it('round-trips through its leaves, its words, JSON and msgpack (1000 random neurons)', () => {
    fc.assert(
      fc.property(arbitraryNeuron, (n) => {
        const json = n.toJSON();
        const viaMsgpack = containerFromMsgpack(containerToMsgpack(n));
        // Field-by-field equality via the JSON form (equals() would encode both sides again).
        return (
          sameJSON(AtomicNeuron.fromLeaves(n.leaves()).toJSON(), json) &&
          sameJSON(AtomicNeuron.decode(n.encode()).toJSON(), json) &&
          sameJSON(AtomicNeuron.fromJSON(JSON.parse(JSON.stringify(n))).toJSON(), json) &&
          viaMsgpack instanceof AtomicNeuron &&
          sameJSON(viaMsgpack.toJSON(), json)
        );
      }),
      { numRuns, seed: 0xa70 },
    );
  }, slowPropertyTimeout_ms);

  it('is a bijection onto valid leaf contents (leaves → neuron → leaves, 1000 random leaf sets)', () => {
    fc.assert(
      fc.property(arbitraryLeaves, (leaves) => {
        const back = AtomicNeuron.fromLeaves(leaves).leaves();
        return (
          back.neuronConfig.equals(leaves.neuronConfig) &&
          back.neuronBackendConfig.equals(leaves.neuronBackendConfig) &&
          back.capMemCells.every((c, i) => c.equals(leaves.capMemCells[i]))
        );
      }),
      { numRuns, seed: 0x1ea },
    );
  }, slowPropertyTimeout_ms);

  it('rejects leaf contents outside the bijection with a ContainerDecodeError', () => {
    const leaves = new AtomicNeuron().leaves();
    expect(() => AtomicNeuron.fromLeaves({ ...leaves, neuronConfig: new NeuronConfig({ enStrongFire: true }) })).toThrow(/enStrongFire without enFire/);
    const cells = [...leaves.capMemCells];
    cells[8] = new CapMemCell({ value: CapMemCell.disableRefresh });
    expect(() => AtomicNeuron.fromLeaves({ ...leaves, capMemCells: cells })).toThrow(ContainerDecodeError);
    expect(() => AtomicNeuron.fromLeaves({ ...leaves, capMemCells: cells })).toThrow('CapMem row 8 (i_bias_leak) is disableRefresh; AtomicNeuron.leak.iBias holds 0..1022 only');
    expect(() => AtomicNeuron.fromLeaves({ ...leaves, capMemCells: cells.slice(1) })).toThrow(ContainerDecodeError);
    const words = new AtomicNeuron().encode();
    words[10 + 3] = 1023;
    expect(() => AtomicNeuron.decode(words)).toThrow(ContainerDecodeError);
    expect(() => AtomicNeuron.decode(new Uint32Array(33))).toThrow(ContainerDecodeError);
  });

  it('validates every group field in the constructor and the setters, naming AtomicNeuron.<group>.<field>', () => {
    for (const [group, Group] of Object.entries(atomicNeuronGroups)) {
      for (const [field, type] of Object.entries(Group.fields)) {
        const where = `AtomicNeuron.${group}.${field}`;
        for (const value of invalidValues(type)) {
          expect(() => new AtomicNeuron({ [group]: { [field]: value } }), where).toThrow(FieldRangeError);
          const n = new AtomicNeuron();
          const g = n[group as keyof typeof atomicNeuronGroups] as unknown as Record<string, unknown>;
          const before = g[field];
          expect(() => {
            g[field] = value;
          }, where).toThrow(where);
          expect(g[field]).toEqual(before);
        }
      }
    }
    const n = new AtomicNeuron();
    expect(() => {
      n.leak.vLeak = 1023;
    }).toThrow('AtomicNeuron.leak.vLeak = 1023 is invalid: expected an integer in 0..1022');
    expect(() => {
      n.refractoryPeriod.resetHoldoff = 16;
    }).toThrow(FieldRangeError);
  });

  it('rejects typos as UnknownFieldError: in groups, in the constructor and on the neuron', () => {
    const n = new AtomicNeuron();
    expect(() => {
      (n.leak as unknown as Record<string, number>).vLeek = 700;
    }).toThrow(UnknownFieldError);
    expect(() => {
      (n.leak as unknown as Record<string, number>).vLeek = 700;
    }).toThrow("AtomicNeuron.leak has no field 'vLeek'");
    expect(() => {
      (n as unknown as Record<string, unknown>).leek = {};
    }).toThrow(UnknownFieldError);
    expect(() => new AtomicNeuron({ leek: {} } as never)).toThrow(UnknownFieldError);
    expect(() => new AtomicNeuron({ leak: { vLeek: 1 } } as never)).toThrow("AtomicNeuron.leak has no field 'vLeek'");
    expect(() => AtomicNeuron.fromJSON({ type: 'AtomicNeuron', leak: { vLeak: 1, extra: 2 } })).toThrow(UnknownFieldError);
  });

  it('replaces whole groups by copying them in, and rejects groups of the wrong kind', () => {
    const n = new AtomicNeuron();
    const leak = new AtomicNeuronLeak({ vLeak: 5 });
    n.leak = leak;
    leak.vLeak = 6;
    expect(n.leak.vLeak).toBe(5);
    expect(n.leak).not.toBe(leak);
    expect(() => {
      n.leak.vLeak = 2000;
    }).toThrow('AtomicNeuron.leak.vLeak');
    n.excitatoryInput = n.inhibitoryInput.with({ iBiasGm: 300 });
    expect(() => {
      n.excitatoryInput.iBiasGm = -1;
    }).toThrow('AtomicNeuron.excitatoryInput.iBiasGm');
    n.leak = { vLeak: 9 } as never;
    expect(n.leak.values()).toEqual(new AtomicNeuronLeak({ vLeak: 9 }).values());
    expect(() => {
      n.leak = new AtomicNeuronReset() as never;
    }).toThrow(FieldRangeError);
    expect(() => {
      n.leak = 5 as never;
    }).toThrow(FieldRangeError);
    expect(() => new AtomicNeuron({ leak: null } as never)).toThrow(FieldRangeError);
    const m = n.clone();
    m.leak.vLeak = 1;
    expect(n.leak.vLeak).toBe(9);
  });

  it('offers the event-routing presets of upstream lola as fresh copies', () => {
    const routing = (r: AtomicNeuronEventRouting) => r.values();
    expect(routing(AtomicNeuron.EventRouting.disabled)).toEqual(new AtomicNeuronEventRouting().values());
    expect(routing(AtomicNeuronEventRouting.enabled)).toMatchObject({ analogOutput: 'normal', enableDigital: true, enableBypassExcitatory: false, enableBypassInhibitory: false });
    expect(routing(AtomicNeuronEventRouting.bypassExc)).toMatchObject({ analogOutput: 'off', enableDigital: false, enableBypassExcitatory: true, enableBypassInhibitory: false });
    expect(routing(AtomicNeuronEventRouting.bypassInh)).toMatchObject({ analogOutput: 'off', enableDigital: false, enableBypassExcitatory: false, enableBypassInhibitory: true });
    const preset = AtomicNeuronEventRouting.enabled;
    preset.address = 3;
    expect(AtomicNeuronEventRouting.enabled.address).toBe(0);
    const n = new AtomicNeuron({ eventRouting: AtomicNeuronEventRouting.enabled });
    expect([n.toNeuronConfig().enFire, n.toNeuronBackendConfig().enSpikeOut]).toEqual([true, true]);
    expect(n.eventRouting.equals(AtomicNeuronEventRouting.enabled)).toBe(true);
    expect(n.eventRouting.equals(AtomicNeuronEventRouting.disabled)).toBe(false);
  });

  it('has 34 distinct addresses per neuron, none shared between the 512 neurons', () => {
    const all = new Set<number>();
    for (const coord of AtomicNeuronOnDLS.all()) {
      const addresses = AtomicNeuron.addresses(coord);
      expect(addresses).toHaveLength(34);
      for (const a of addresses) all.add(a);
    }
    expect(all.size).toBe(512 * 34);
  });

  it('lists its leaves in the order of its addresses and words', () => {
    const n = new AtomicNeuron({ leak: { vLeak: 3 }, eventRouting: { address: 7 }, multicompartment: { iBiasNmda: 1022 } });
    const coord = neuron(77, 0);
    const leaves = n.toLeaves(coord);
    expect(leaves).toHaveLength(26);
    expect(leaves[0]![0].equals(new NeuronConfigOnDLS(77))).toBe(true);
    expect(leaves[1]![0].equals(coord.toNeuronBackendConfigOnDLS())).toBe(true);
    expect(leaves[1]![0]).toBeInstanceOf(NeuronBackendConfigOnDLS);
    const addressesOf = ([c, leaf]: readonly [unknown, Container]) =>
      (leaf.containerType as unknown as { addresses(c: unknown): readonly number[] }).addresses(c);
    expect(leaves.flatMap(addressesOf)).toEqual(AtomicNeuron.addresses(coord));
    expect(leaves.flatMap(([, leaf]) => [...leaf.encode()])).toEqual([...n.encode()]);
  });
});
