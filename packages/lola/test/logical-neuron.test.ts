import {
  AtomicNeuronOnDLS,
  CompartmentOnLogicalNeuron,
  NeuronColumnOnDLS,
  NeuronColumnOnLogicalNeuron as Column,
  NeuronRowOnDLS,
  NeuronRowOnLogicalNeuron as Row,
} from '@bss2/halco';
import { describe, expect, it } from 'vitest';
import {
  AtomicNeuron,
  LogicalNeuron,
  LogicalNeuronCompartments,
  LogicalNeuronOnDLS,
  Morphology,
  MorphologyError,
  MorphologyRule,
  openSwitches,
} from '../src/index.js';
import { cellOf, pos } from './morphology-arbitraries.js';

function rejection(f: () => unknown): MorphologyError {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(MorphologyError);
    return error as MorphologyError;
  }
  throw new Error('expected a MorphologyError');
}

const dls = (column: number, row: number) => new AtomicNeuronOnDLS(new NeuronColumnOnDLS(column), new NeuronRowOnDLS(row));
const comp = (c: number) => new CompartmentOnLogicalNeuron(c);

/** (0..1, top) switched onto the line, (3, both rows) through the conductance, bridge (2, top). */
function twoCompartments() {
  const m = new Morphology();
  m.createCompartment([pos(1, 0), pos(0, 0)]);
  m.createCompartment([pos(3, 0), pos(3, 1)]);
  m.connectToSoma(pos(0, 0));
  m.connectResistorToSoma(pos(3, 0), { multiplication: true });
  m.connectSomaLine(new Column(0), new Column(3), Row.top);
  return m.done();
}

describe('LogicalNeuronCompartments', () => {
  const shape = new LogicalNeuronCompartments([[pos(2, 1), pos(3, 1)], [pos(5, 0)]]);

  it('answers extreme-position queries on the bounding box', () => {
    expect(shape.size).toBe(2);
    expect([shape.leftmostColumn.value, shape.rightmostColumn.value, shape.topRow.value, shape.bottomRow.value]).toEqual([2, 5, 0, 1]);
    expect([shape.width, shape.height]).toEqual([4, 2]);
    expect(shape.get(comp(1)).map(cellOf)).toEqual([[5, 0]]);
    expect(shape.compartmentOf(pos(3, 1))?.value).toBe(0);
    expect(shape.compartmentOf(pos(4, 1))).toBeUndefined();
    expect(shape.compartments().map((c) => c.value)).toEqual([0, 1]);
  });

  it('flips inside the bounding box, keeping compartment numbers and position order', () => {
    expect(shape.flipX().toArray().map((list) => list.map(cellOf))).toEqual([[[5, 1], [4, 1]], [[2, 0]]]);
    expect(shape.flipY().toArray().map((list) => list.map(cellOf))).toEqual([[[2, 0], [3, 0]], [[5, 1]]]);
    const oneRow = new LogicalNeuronCompartments([[pos(7, 1)]]);
    expect(oneRow.flipY().equals(oneRow)).toBe(true);
  });

  it('rejects a neuron in two compartments, empty compartments and too many compartments', () => {
    const twice = rejection(() => new LogicalNeuronCompartments([[pos(0, 0)], [pos(1, 0), pos(0, 0)]]));
    expect(twice.rule).toBe(MorphologyRule.neuronInTwoCompartments);
    expect(twice.message).toContain('(column 0, row 0) is in compartment 0 and in compartment 1');
    expect(rejection(() => new LogicalNeuronCompartments([])).rule).toBe(MorphologyRule.emptyMorphology);
    expect(rejection(() => new LogicalNeuronCompartments([[pos(0, 0)], []])).rule).toBe(MorphologyRule.emptyCompartment);
    const all = Array.from({ length: 256 }, (_, i) => [pos(i >> 1, i & 1)]);
    expect(rejection(() => new LogicalNeuronCompartments(all)).rule).toBe(MorphologyRule.tooManyCompartments);
    expect(rejection(() => shape.get(comp(2))).rule).toBe(MorphologyRule.invalidArgument);
  });

  it('finds neighbours on the 128 × 2 grid and fails off it', () => {
    const neighbor = LogicalNeuronCompartments.getNeighbor;
    expect(cellOf(neighbor(pos(4, 1), 'left'))).toEqual([3, 1]);
    expect(cellOf(neighbor(pos(4, 1), 'right'))).toEqual([5, 1]);
    expect(cellOf(neighbor(pos(4, 1), 'opposite'))).toEqual([4, 0]);
    expect(cellOf(neighbor(pos(0, 0), 'opposite'))).toEqual([0, 1]);
    const left = rejection(() => neighbor(pos(0, 1), 'left'));
    expect(left.rule).toBe(MorphologyRule.neighborOffGrid);
    expect(left.message).toContain('(column 0, row 1) has no left neighbour');
    expect(rejection(() => neighbor(pos(127, 0), 'right')).rule).toBe(MorphologyRule.neighborOffGrid);
    expect(rejection(() => neighbor(pos(3, 0), 'up' as never)).rule).toBe(MorphologyRule.invalidArgument);
  });

  it('round-trips through JSON', () => {
    const json = JSON.parse(JSON.stringify(shape)) as unknown;
    expect(json).toEqual({ type: 'LogicalNeuronCompartments', compartments: [['AtomicNeuronOnLogicalNeuron(130)', 'AtomicNeuronOnLogicalNeuron(131)'], ['AtomicNeuronOnLogicalNeuron(5)']] });
    expect(LogicalNeuronCompartments.fromJSON(json).equals(shape)).toBe(true);
    expect(rejection(() => LogicalNeuronCompartments.fromJSON({ type: 'X' })).rule).toBe(MorphologyRule.invalidArgument);
  });
});

describe('LogicalNeuronOnDLS', () => {
  const shape = new LogicalNeuronCompartments([[pos(2, 1), pos(3, 1)], [pos(5, 0)]]);

  it('places relative to the top-left of the bounding box', () => {
    const placed = new LogicalNeuronOnDLS(shape, dls(10, 0));
    expect(placed.toAtomicNeurons().map((list) => list.map((n) => [n.x.value, n.y.value]))).toEqual([[[10, 1], [11, 1]], [[13, 0]]]);
    expect(placed.atomicNeurons().map((n) => n.value)).toEqual([266, 267, 13]);
    expect(new LogicalNeuronOnDLS(shape, dls(128, 0)).atomicNeurons()[0]!.x.value).toBe(128);
    expect(LogicalNeuronOnDLS.fromJSON(JSON.parse(JSON.stringify(placed))).equals(placed)).toBe(true);
  });

  it('rejects row overflow, column overflow and a box spanning columns 127 and 128', () => {
    const rows = rejection(() => new LogicalNeuronOnDLS(shape, dls(0, 1)));
    expect(rows.rule).toBe(MorphologyRule.placementOutsideGrid);
    expect(rows.message).toContain('needs row 2');
    expect(rejection(() => new LogicalNeuronOnDLS(shape, dls(253, 0))).rule).toBe(MorphologyRule.placementOutsideGrid);
    const halves = rejection(() => new LogicalNeuronOnDLS(shape, dls(125, 0)));
    expect(halves.rule).toBe(MorphologyRule.placementSpansHalves);
    expect(halves.message).toContain('contain both 127 and 128');
    expect(LogicalNeuronOnDLS.isValidAnchor(shape, dls(124, 0))).toBe(true);
    expect(LogicalNeuronOnDLS.isValidAnchor(shape, dls(125, 0))).toBe(false);
    expect(LogicalNeuronOnDLS.isValidAnchor(new LogicalNeuronCompartments([[pos(9, 1)]]), dls(0, 1))).toBe(true);
  });
});

describe('LogicalNeuron', () => {
  it('collapses onto a placement; a flipped placement moves the horizontal switches to the new left neuron', () => {
    const { compartments, neuron } = twoCompartments();
    const straight = neuron.collapseNeuron(new LogicalNeuronOnDLS(compartments, dls(20, 0)));
    expect(straight.map(({ neuron: n, compartment, switches }) => [n.x.value, n.y.value, compartment.value, switches])).toEqual([
      [21, 0, 0, { ...openSwitches, connectSomaRight: true }],
      [20, 0, 0, { ...openSwitches, connectSoma: true, connectRight: true, connectSomaRight: true }],
      [23, 0, 1, { ...openSwitches, enableConductance: true, enableConductanceMultiplication: true, connectVertical: true }],
      [23, 1, 1, { ...openSwitches, connectVertical: true }],
      [22, 0, 2, { ...openSwitches, connectSomaRight: true }],
    ]);
    const flipped = neuron.collapseNeuron(new LogicalNeuronOnDLS(compartments.flipX(), dls(20, 0)));
    expect(flipped.map(({ neuron: n, switches }) => [n.x.value, n.y.value, switches.connectRight, switches.connectSomaRight, switches.connectSoma])).toEqual([
      [22, 0, true, true, false],
      [23, 0, false, false, true],
      [20, 0, false, true, false],
      [20, 1, false, false, false],
      [21, 0, false, true, false],
    ]);
  });

  it('round-trips through JSON, re-checking the switches', () => {
    const { neuron } = twoCompartments();
    const json = JSON.parse(JSON.stringify(neuron)) as { switches: { connectSoma: boolean }[][] };
    expect(LogicalNeuron.fromJSON(json).equals(neuron)).toBe(true);
    json.switches[1]![0]!.connectSoma = true;
    expect(rejection(() => LogicalNeuron.fromJSON(json)).rule).toBe(MorphologyRule.somaSwitchWithConductance);
    expect(rejection(() => LogicalNeuron.fromJSON({ type: 'AtomicNeuron' })).rule).toBe(MorphologyRule.invalidArgument);
  });

  it('rejects a placement of other compartments', () => {
    const { neuron } = twoCompartments();
    const other = new LogicalNeuronCompartments([[pos(0, 0), pos(1, 0)], [pos(3, 0), pos(3, 1)], [pos(2, 1)]]);
    expect(rejection(() => neuron.collapseNeuron(new LogicalNeuronOnDLS(other, dls(0, 0)))).rule).toBe(MorphologyRule.placementMismatch);
  });

  it('changes only the conductance scaling, into a new LogicalNeuron', () => {
    const { neuron } = twoCompartments();
    const scaled = neuron.withConductanceScaling(pos(3, 0), { division: true, multiplication: false });
    expect(scaled.switchesOf(pos(3, 0))).toEqual({ ...openSwitches, enableConductance: true, enableConductanceDivision: true, connectVertical: true });
    expect(neuron.switchesOf(pos(3, 0))!.enableConductanceMultiplication).toBe(true);
    expect(scaled.equals(neuron)).toBe(false);
    expect(scaled.withConductanceScaling(pos(3, 0), { division: false, multiplication: true }).equals(neuron)).toBe(true);
    expect(neuron.switchesAt(comp(1), 1)).toBe(neuron.switchesOf(pos(3, 1)));
    expect(rejection(() => neuron.switchesAt(comp(1), 2)).rule).toBe(MorphologyRule.invalidArgument);
    expect(rejection(() => neuron.withConductanceScaling(pos(9, 0), {})).rule).toBe(MorphologyRule.invalidArgument);
  });

  it('re-checks every rule when built by hand', () => {
    const shape = new LogicalNeuronCompartments([[pos(0, 0), pos(1, 0)]]);
    const joined = { ...openSwitches, connectRight: true };
    expect(() => new LogicalNeuron(shape, [[joined, openSwitches]])).not.toThrow();
    expect(rejection(() => new LogicalNeuron(shape, [[openSwitches, openSwitches]])).rule).toBe(MorphologyRule.compartmentNotConnected);
    expect(rejection(() => new LogicalNeuron(shape, [[joined, joined]])).rule).toBe(MorphologyRule.switchLeavesNeuron);
    const vertical = rejection(() => new LogicalNeuron(shape, [[joined, { ...openSwitches, connectVertical: true }]]));
    expect(vertical.rule).toBe(MorphologyRule.switchLeavesNeuron);
    expect(vertical.message).toContain('connectVertical of (column 1, row 0) leads to (column 1, row 1)');
    const both = { ...joined, connectSoma: true, enableConductance: true };
    expect(rejection(() => new LogicalNeuron(shape, [[both, openSwitches]])).rule).toBe(MorphologyRule.somaSwitchWithConductance);
    expect(rejection(() => new LogicalNeuron(shape, [[joined]])).rule).toBe(MorphologyRule.invalidArgument);
    expect(rejection(() => new LogicalNeuron(shape, [[{ ...joined, connectSoma: 1 as never }, openSwitches]])).rule).toBe(MorphologyRule.invalidArgument);
    const edge = new LogicalNeuronCompartments([[pos(127, 0)]]);
    expect(rejection(() => new LogicalNeuron(edge, [[joined]])).message).toContain('column 128, off the grid');
  });

  it('writes its switches into AtomicNeurons, keeping iBiasNmda and the other groups', () => {
    const { compartments, neuron } = twoCompartments();
    const placement = new LogicalNeuronOnDLS(compartments.flipX(), dls(130, 0));
    const chip = Array.from({ length: 512 }, () => new AtomicNeuron({ multicompartment: { iBiasNmda: 321, connectSoma: true }, leak: { vLeak: 77 } }));
    neuron.applyTo(placement, chip);
    for (const { neuron: n, switches } of neuron.collapseNeuron(placement)) {
      expect(chip[n.value]!.multicompartment.values()).toEqual({ ...switches, iBiasNmda: 321 });
      expect(chip[n.value]!.leak.vLeak).toBe(77);
    }
    expect(chip[dls(0, 0).value]!.multicompartment.connectSoma).toBe(true);

    const sparse = new Map(placement.atomicNeurons().map((n) => [n.value, new AtomicNeuron()]));
    neuron.applyTo(placement, sparse);
    expect(sparse.get(dls(133, 0).value)!.multicompartment.connectSoma).toBe(true);
    sparse.delete(dls(133, 0).value);
    const missing = rejection(() => neuron.applyTo(placement, sparse));
    expect(missing.message).toContain('no AtomicNeuron for AtomicNeuronOnDLS(133)');
  });
});

describe('golden: a placed LogicalNeuron in NeuronConfig word 7', () => {
  it('pins connect_somata / connect_bottom / en_comp_cond / connect_membrane_right / connect_soma / mul / div', async () => {
    const { compartments, neuron } = twoCompartments();
    const lines = [
      '# Multicompartment switches of a placed LogicalNeuron (lola README, multi-compartment section): the sample',
      '# of test/logical-neuron.test.ts (twoCompartments) placed as built and flipped in x, written into AtomicNeurons;',
      '# per circuit NeuronConfig word 7 (hardware.md §3.3) as `address: word` in hex.',
      '# Regenerate on purpose: cd packages/lola && npx vitest run -u test/logical-neuron.test.ts',
    ];
    for (const [name, placement] of [
      ['as built', new LogicalNeuronOnDLS(compartments, dls(20, 0))],
      ['flipX', new LogicalNeuronOnDLS(compartments.flipX(), dls(200, 0))],
    ] as const) {
      const circuits = new Map(placement.atomicNeurons().map((n) => [n.value, new AtomicNeuron()]));
      neuron.applyTo(placement, circuits);
      lines.push(`LogicalNeuron ${name} @ ${placement.toString()}`);
      for (const n of placement.atomicNeurons()) {
        const config = circuits.get(n.value)!.toNeuronConfig();
        const address = config.containerType.addresses(n.toNeuronConfigOnDLS())[5]!;
        const word = config.encode()[5]!;
        const hex = (v: number) => `0x${v.toString(16).padStart(8, '0')}`;
        lines.push(`  NeuronConfig @ ${n.toNeuronConfigOnDLS().toString()} ${hex(address)}: ${hex(word)}`);
      }
    }
    await expect(`${lines.join('\n')}\n`).toMatchFileSnapshot('../../../test-fixtures/lola/morphology.golden.txt');
  });
});
