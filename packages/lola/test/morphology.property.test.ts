import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Morphology, MorphologyError, MorphologyRule } from '../src/index.js';
import {
  type Cell,
  type MorphologySpec,
  type Operation,
  SwitchGraph,
  allJoined,
  apply,
  build,
  cellOf,
  key,
  expectSame,
  normalise,
  pos,
  validSpec,
} from './morphology-arbitraries.js';

const runs = { numRuns: 1000, seed: 0x4d0e_1a };

/** The rule of the MorphologyError `f` throws, or undefined when it does not throw. */
function ruleOf(f: () => unknown): string | undefined {
  try {
    f();
    return undefined;
  } catch (error) {
    if (!(error instanceof MorphologyError)) throw error;
    return error.rule;
  }
}

/** Bridge cells a valid spec makes: cells on a line that no compartment holds, column-major. */
function bridges(spec: MorphologySpec): Cell[] {
  const used = new Set(spec.compartments.flat().map(key));
  const out: Cell[] = [];
  for (const operation of spec.operations) {
    if (operation.op !== 'line') continue;
    for (let c = operation.start; c <= operation.end; c++) {
      if (!used.has(key([c, operation.row]))) out.push([c, operation.row]);
    }
  }
  return out.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
}

/** 4-connectivity of a set of cells, by flood fill: the independent reading of the column-major walk rule. */
function fourConnected(cells: readonly Cell[]): boolean {
  const remaining = new Set(cells.map(key));
  const stack = [cells[0]!];
  remaining.delete(key(cells[0]!));
  while (stack.length > 0) {
    const [c, r] = stack.pop()!;
    for (const next of [[c - 1, r], [c + 1, r], [c, 1 - r]] as Cell[]) {
      if (remaining.delete(key(next))) stack.push(next);
    }
  }
  return remaining.size === 0;
}

describe('Morphology on random valid morphologies', () => {
  it('keeps the created compartments, adds bridges as compartments, and its switches make exactly them', () => {
    fc.assert(
      fc.property(validSpec, (spec) => {
        const { compartments, neuron } = build(spec).done();
        const expected = [...spec.compartments, ...bridges(spec).map((cell) => [cell])];
        expectSame(compartments.toArray().map((list) => list.map(cellOf)), expected);

        const cells = compartments.positions().map(cellOf);
        const switchesAt = (cell: Cell) => (cell[0] < 0 || cell[0] > 127 ? undefined : neuron.switchesOf(pos(...cell)));
        const direct = new SwitchGraph(switchesAt, cells, false);
        expectSame(direct.membraneGroups(), normalise(expected));
        expect(allJoined(new SwitchGraph(switchesAt, cells, true), expected)).toBe(true);
      }),
      runs,
    );
  });

  it('does not depend on the order of the somatic calls', () => {
    fc.assert(
      fc.property(validSpec, (spec) => {
        const reversed = { ...spec, operations: [...spec.operations].reverse() };
        expect(build(reversed).done().neuron.equals(build(spec).done().neuron)).toBe(true);
      }),
      { ...runs, numRuns: 300 },
    );
  });
});

describe('Morphology on random invalid morphologies', () => {
  it('accepts a compartment exactly when its neurons are 4-connected (contiguous column-major)', () => {
    const cell = fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 1 })) as fc.Arbitrary<Cell>;
    fc.assert(
      fc.property(fc.uniqueArray(cell, { minLength: 1, maxLength: 8, selector: key }), (cells) => {
        const rule = ruleOf(() => new Morphology().createCompartment(cells.map((c) => pos(...c))));
        expect(rule).toBe(fourConnected(cells) ? undefined : MorphologyRule.notContiguousColumnMajor);
      }),
      runs,
    );
  });

  it('rejects a neuron used in a second compartment', () => {
    fc.assert(
      fc.property(validSpec, fc.nat(), fc.boolean(), (spec, pick, alone) => {
        const all = spec.compartments.flat();
        const reused = all[pick % all.length]!;
        const m = build(spec);
        const list = alone ? [reused] : [reused, [reused[0], 1 - reused[1]] as Cell];
        expect(ruleOf(() => apply(m, { op: 'compartment', cells: list }))).toBe(MorphologyRule.neuronAlreadyUsed);
      }),
      runs,
    );
  });

  it('rejects a second compartment switched onto the somatic line (shorted)', () => {
    fc.assert(
      fc.property(
        validSpec.filter((s) => s.operations.some((o) => o.op === 'resistor' && o.cell[1] === s.lineRow)),
        fc.nat(),
        (spec, pick) => {
          const resistors = spec.operations.flatMap((o) => (o.op === 'resistor' && o.cell[1] === spec.lineRow ? [o] : []));
          const target = resistors[pick % resistors.length]!;
          const operations = spec.operations.map((o): Operation => (o === target ? { op: 'soma', cell: target.cell } : o));
          expect(ruleOf(() => build({ ...spec, operations }).done())).toBe(MorphologyRule.compartmentsShorted);
        },
      ),
      runs,
    );
  });

  it('rejects compartments whose somatic line is cut between two of them', () => {
    fc.assert(
      fc.property(validSpec.filter((s) => s.compartments.length > 1), fc.nat(), (spec, pick) => {
        const cut = spec.columnRanges[pick % (spec.compartments.length - 1)]![1];
        const operations = spec.operations.flatMap((o): Operation[] => {
          if (o.op !== 'line') return [o];
          // The second row's line could rejoin the two sides: drop it, and its conductances with it.
          if (o.row !== spec.lineRow) return [];
          return [
            { ...o, end: cut },
            { ...o, start: cut + 1 },
          ];
        });
        const kept = operations.filter((o) => !(o.op === 'resistor' && o.cell[1] !== spec.lineRow));
        expect(ruleOf(() => build({ ...spec, operations: kept }).done())).toBe(MorphologyRule.notContiguous);
      }),
      runs,
    );
  });

  it('rejects connect_soma and enable_conductance on one neuron, leaving the neuron unchanged', () => {
    fc.assert(
      fc.property(validSpec, fc.nat(), (spec, pick) => {
        const m = build(spec);
        const attached = spec.operations.filter((o) => o.op === 'soma' || o.op === 'resistor');
        const target = attached[pick % attached.length]!;
        const before = m.switchesOf(pos(...target.cell));
        const opposite = { op: target.op === 'soma' ? ('resistor' as const) : ('soma' as const), cell: target.cell };
        expect(ruleOf(() => apply(m, opposite))).toBe(MorphologyRule.somaSwitchWithConductance);
        expectSame(m.switchesOf(pos(...target.cell)), before);
      }),
      runs,
    );
  });

  it('rejects an empty compartment at any point', () => {
    fc.assert(
      fc.property(validSpec, (spec) => {
        expect(ruleOf(() => apply(build(spec), { op: 'compartment', cells: [] }))).toBe(MorphologyRule.emptyCompartment);
      }),
      { ...runs, numRuns: 200 },
    );
  });
});
