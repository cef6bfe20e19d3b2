import { CompartmentOnLogicalNeuron, NeuronColumnOnLogicalNeuron as Column, NeuronRowOnLogicalNeuron as Row } from '@bss2/halco';
import { describe, expect, it } from 'vitest';
import { Morphology, MorphologyError, MorphologyRule, openSwitches } from '../src/index.js';
import { cellOf, pos } from './morphology-arbitraries.js';

/** The MorphologyError thrown by `f` (fails the test when nothing or something else is thrown). */
function rejection(f: () => unknown): MorphologyError {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(MorphologyError);
    return error as MorphologyError;
  }
  throw new Error('expected a MorphologyError');
}

const cellsOf = (positions: readonly { x: { value: number }; y: { value: number } }[]) => positions.map(cellOf);

describe('Morphology.createCompartment', () => {
  it('numbers compartments in creation order and joins neighbours by direct membrane switches', () => {
    const m = new Morphology();
    expect(m.createCompartment([pos(0, 0), pos(1, 0), pos(0, 1)]).equals(new CompartmentOnLogicalNeuron(0))).toBe(true);
    expect(m.createCompartment([pos(3, 1)]).value).toBe(1);
    expect(m.switchesOf(pos(0, 0))).toEqual({ ...openSwitches, connectRight: true, connectVertical: true });
    expect(m.switchesOf(pos(1, 0))).toEqual(openSwitches);
    // connect_vertical is set on both neurons of the column (upstream Morphology::connect_vertical does too).
    expect(m.switchesOf(pos(0, 1))).toEqual({ ...openSwitches, connectVertical: true });
    expect(m.switchesOf(pos(3, 1))).toEqual(openSwitches);
    expect(m.switchesOf(pos(5, 0))).toBeUndefined();
  });

  it('joins every horizontal and vertical pair of a 2 × 2 block', () => {
    const m = new Morphology();
    m.createCompartment([pos(1, 1), pos(0, 0), pos(1, 0), pos(0, 1)]);
    for (const r of [0, 1]) {
      expect(m.switchesOf(pos(0, r))).toEqual({ ...openSwitches, connectRight: true, connectVertical: true });
      expect(m.switchesOf(pos(1, r))).toEqual({ ...openSwitches, connectVertical: true });
    }
  });

  it('accepts the column-major walk steps of hardware.md §4', () => {
    const accepted = [
      [pos(0, 0), pos(0, 1)], // top → below
      [pos(0, 0), pos(1, 0)], // top → right
      [pos(0, 1), pos(1, 1)], // bottom → right
      [pos(0, 0), pos(0, 1), pos(1, 0)], // bottom → diagonally up-right, joined through (0, 0)
      [pos(0, 1), pos(1, 0), pos(1, 1)], // bottom → diagonally up-right, joined through (1, 1)
    ];
    for (const cells of accepted) expect(() => new Morphology().createCompartment(cells)).not.toThrow();
  });

  it('rejects walks that are not contiguous column-major, naming the neurons', () => {
    const rejected = [
      [pos(0, 0), pos(2, 0)], // gap
      [pos(0, 0), pos(1, 1)], // top → diagonally down-right
      [pos(0, 1), pos(1, 0)], // diagonal only: no membrane switch joins them
      [pos(0, 0), pos(0, 1), pos(2, 1)],
    ];
    for (const cells of rejected) {
      const error = rejection(() => new Morphology().createCompartment(cells));
      expect(error.rule).toBe(MorphologyRule.notContiguousColumnMajor);
      expect(error.message).toMatch(/\(column \d+, row \d\)/);
    }
    expect(rejection(() => new Morphology().createCompartment([pos(0, 1), pos(1, 0)])).message).toContain(
      '(column 0, row 1) is followed by (column 1, row 0)',
    );
  });

  it('rejects an empty list and reused neurons, changing nothing', () => {
    const m = new Morphology();
    expect(rejection(() => m.createCompartment([])).rule).toBe(MorphologyRule.emptyCompartment);
    m.createCompartment([pos(0, 0), pos(1, 0)]);
    const reused = rejection(() => m.createCompartment([pos(2, 0), pos(1, 0)]));
    expect(reused.rule).toBe(MorphologyRule.neuronAlreadyUsed);
    expect(reused.message).toContain('(column 1, row 0) was already used for compartment 0');
    expect(rejection(() => m.createCompartment([pos(5, 0), pos(5, 0)])).rule).toBe(MorphologyRule.neuronAlreadyUsed);
    expect(m.switchesOf(pos(2, 0))).toBeUndefined();
    expect(m.createCompartment([pos(2, 0)]).value).toBe(1);
  });

  it('rejects arguments that are not positions', () => {
    const m = new Morphology();
    expect(rejection(() => m.createCompartment([3 as never])).rule).toBe(MorphologyRule.invalidArgument);
    expect(rejection(() => m.createCompartment('x' as never)).rule).toBe(MorphologyRule.invalidArgument);
    expect(rejection(() => m.connectSomaLine(0 as never, new Column(1), Row.top)).rule).toBe(MorphologyRule.invalidArgument);
  });
});

describe('Morphology somatic connections', () => {
  it('rejects connect_soma together with enable_conductance on one neuron, in either order', () => {
    const m = new Morphology();
    m.connectToSoma(pos(0, 0));
    const first = rejection(() => m.connectResistorToSoma(pos(0, 0)));
    expect(first.rule).toBe(MorphologyRule.somaSwitchWithConductance);
    expect(first.message).toContain('(column 0, row 0)');
    m.connectResistorToSoma(pos(1, 0), { division: true });
    expect(rejection(() => m.connectToSoma(pos(1, 0))).rule).toBe(MorphologyRule.somaSwitchWithConductance);
    expect(m.switchesOf(pos(0, 0))).toEqual({ ...openSwitches, connectSoma: true });
    expect(m.switchesOf(pos(1, 0))).toEqual({ ...openSwitches, enableConductance: true, enableConductanceDivision: true });
  });

  it('lays connect_soma_right on start..end−1 and adds end to the morphology', () => {
    const m = new Morphology();
    m.connectSomaLine(new Column(2), new Column(5), Row.bottom);
    for (const c of [2, 3, 4]) expect(m.switchesOf(pos(c, 1))).toEqual({ ...openSwitches, connectSomaRight: true });
    expect(m.switchesOf(pos(5, 1))).toEqual(openSwitches);
    expect(m.switchesOf(pos(2, 0))).toBeUndefined();
    expect(rejection(() => m.connectSomaLine(new Column(5), new Column(4), Row.top)).rule).toBe(MorphologyRule.reversedSomaLine);
  });
});

describe('Morphology.done', () => {
  it('builds a two-compartment neuron with a bridge neuron on the somatic line', () => {
    // Compartment 0 = (0..1, top) switched onto the line, compartment 1 = (3, top/bottom) through the
    // conductance; (2, top) only carries the line: a bridge compartment of its own.
    const m = new Morphology();
    m.createCompartment([pos(0, 0), pos(1, 0)]);
    m.createCompartment([pos(3, 0), pos(3, 1)]);
    m.connectToSoma(pos(0, 0));
    m.connectResistorToSoma(pos(3, 0));
    m.connectSomaLine(new Column(0), new Column(3), Row.top);
    const { compartments, neuron } = m.done();
    expect(compartments.toArray().map(cellsOf)).toEqual([[[0, 0], [1, 0]], [[3, 0], [3, 1]], [[2, 0]]]);
    expect(neuron.compartments.equals(compartments)).toBe(true);
    expect(neuron.switchesOf(pos(2, 0))).toEqual({ ...openSwitches, connectSomaRight: true });
    expect(neuron.switchesOf(pos(3, 0))).toEqual({ ...openSwitches, enableConductance: true, connectVertical: true });
    expect(Object.isFrozen(neuron.switchesOf(pos(0, 0)))).toBe(true);
    expect(Object.isFrozen(neuron.toArray())).toBe(true);
  });

  it('is a snapshot: later changes to the builder do not reach the LogicalNeuron', () => {
    const m = new Morphology();
    m.createCompartment([pos(0, 0)]);
    const { neuron } = m.done();
    m.connectToSoma(pos(0, 0));
    expect(neuron.switchesOf(pos(0, 0))).toEqual(openSwitches);
  });

  it('groups leftover neurons by membrane connection, in column-major order', () => {
    const m = new Morphology();
    m.connectToSoma(pos(4, 1));
    m.connectToSoma(pos(1, 1));
    m.connectSomaLine(new Column(1), new Column(4), Row.bottom);
    const { compartments } = m.done();
    // (1, 1) and (4, 1) are switched onto one net: one compartment; (2, 1) and (3, 1) are bridges.
    expect(compartments.toArray().map(cellsOf)).toEqual([[[1, 1], [4, 1]], [[2, 1]], [[3, 1]]]);
  });

  it('rejects two compartments shorted through the somatic line', () => {
    const m = new Morphology();
    m.createCompartment([pos(0, 0)]);
    m.createCompartment([pos(2, 0)]);
    m.connectToSoma(pos(0, 0));
    m.connectToSoma(pos(2, 0));
    m.connectSomaLine(new Column(0), new Column(2), Row.top);
    const error = rejection(() => m.done());
    expect(error.rule).toBe(MorphologyRule.compartmentsShorted);
    expect(error.message).toContain('compartment 0 ((column 0, row 0)) is larger than on construction');
    expect(error.message).toContain('(column 2, row 0) (compartment 1)');
  });

  it('rejects a compartment that grew by a switched neuron outside every compartment', () => {
    const m = new Morphology();
    m.createCompartment([pos(0, 0)]);
    m.connectToSoma(pos(0, 0));
    m.connectToSoma(pos(1, 0));
    m.connectSomaLine(new Column(0), new Column(1), Row.top);
    expect(rejection(() => m.done()).rule).toBe(MorphologyRule.compartmentsShorted);
  });

  it('rejects compartments not joined through the somatic line', () => {
    const m = new Morphology();
    m.createCompartment([pos(0, 0)]);
    m.createCompartment([pos(2, 1)]);
    m.connectToSoma(pos(0, 0));
    m.connectResistorToSoma(pos(2, 1));
    // Lines in both rows, but the rows' somatic lines are not joined to each other.
    m.connectSomaLine(new Column(0), new Column(2), Row.top);
    m.connectSomaLine(new Column(0), new Column(2), Row.bottom);
    const error = rejection(() => m.done());
    expect(error.rule).toBe(MorphologyRule.notContiguous);
    expect(error.message).toMatch(/LogicalNeuron can't be constructed since it is not contiguous: compartment 1 \(\(column 2, row 1\)\)/);
  });

  it('rejects a line end that nothing attaches to (it is not a bridge)', () => {
    const m = new Morphology();
    m.createCompartment([pos(0, 0)]);
    m.connectToSoma(pos(0, 0));
    m.connectSomaLine(new Column(0), new Column(1), Row.top);
    expect(rejection(() => m.done()).rule).toBe(MorphologyRule.notContiguous);
  });

  it('joins rows through a compartment spanning both', () => {
    const m = new Morphology();
    m.createCompartment([pos(0, 0), pos(0, 1)]);
    m.createCompartment([pos(2, 0)]);
    m.createCompartment([pos(2, 1)]);
    m.connectToSoma(pos(0, 0));
    m.connectResistorToSoma(pos(0, 1));
    m.connectResistorToSoma(pos(2, 0));
    m.connectToSoma(pos(2, 1));
    m.connectSomaLine(new Column(0), new Column(2), Row.top);
    m.connectSomaLine(new Column(0), new Column(2), Row.bottom);
    expect(m.done().compartments.size).toBe(5);
  });

  it('accepts a single compartment without somatic connections and rejects an empty morphology', () => {
    const m = new Morphology();
    expect(rejection(() => m.done()).rule).toBe(MorphologyRule.emptyMorphology);
    m.createCompartment([pos(127, 0), pos(127, 1)]);
    expect(m.done().compartments.size).toBe(1);
  });

  it('rejects more than 255 compartments', () => {
    const m = new Morphology();
    let count = 0;
    const attempt = () => {
      for (let c = 0; c < 128; c++) {
        for (const r of [0, 1]) {
          m.createCompartment([pos(c, r)]);
          count++;
        }
      }
    };
    expect(rejection(attempt).rule).toBe(MorphologyRule.tooManyCompartments);
    expect(count).toBe(CompartmentOnLogicalNeuron.size);
  });
});
