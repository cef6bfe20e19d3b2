import fc from 'fast-check';
import { AtomicNeuronOnDLS, NeuronColumnOnDLS, NeuronRowOnDLS } from '@bss2/halco';
import { describe, expect, it } from 'vitest';
import { type LogicalNeuronCompartments, LogicalNeuronOnDLS, MorphologyError, MorphologyRule, type MulticompartmentSwitches } from '../src/index.js';
import { type Cell, SwitchGraph, allJoined, build, cellOf, key, expectSame, normalise, validSpec } from './morphology-arbitraries.js';

const runs = { numRuns: 1000, seed: 0x10_91ca1 };

const built = validSpec.map((spec) => build(spec).done());
const anchor = fc
  .tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 1 }))
  .map(([c, r]) => new AtomicNeuronOnDLS(new NeuronColumnOnDLS(c), new NeuronRowOnDLS(r)));
/** 0 = as built, 1 = flipX, 2 = flipY, 3 = both. */
const variant = fc.integer({ min: 0, max: 3 });

function flipped(c: LogicalNeuronCompartments, v: number): LogicalNeuronCompartments {
  const x = v & 1 ? c.flipX() : c;
  return v & 2 ? x.flipY() : x;
}

const cellsOf = (c: LogicalNeuronCompartments) => c.toArray().map((list) => list.map(cellOf));

/** A valid anchor for `c`: a column inside one half and a row that fits. */
function validAnchorFor(c: LogicalNeuronCompartments, half: number, columnPick: number, rowPick: number): AtomicNeuronOnDLS {
  const column = 128 * half + (columnPick % (128 - c.width + 1));
  const row = rowPick % (3 - c.height);
  return new AtomicNeuronOnDLS(new NeuronColumnOnDLS(column), new NeuronRowOnDLS(row));
}

describe('LogicalNeuronCompartments properties', () => {
  it('flips are involutions, commute, keep the bounding box and mirror every position in place', () => {
    fc.assert(
      fc.property(built, ({ compartments: c }) => {
        expect(c.flipX().flipX().equals(c)).toBe(true);
        expect(c.flipY().flipY().equals(c)).toBe(true);
        expect(c.flipX().flipY().equals(c.flipY().flipX())).toBe(true);
        const box = (s: LogicalNeuronCompartments) => [s.leftmostColumn.value, s.rightmostColumn.value, s.topRow.value, s.bottomRow.value];
        for (const f of [c.flipX(), c.flipY()]) expectSame(box(f), box(c));
        const [l, r, t, b] = box(c) as [number, number, number, number];
        expectSame(cellsOf(c.flipX()), cellsOf(c).map((list) => list.map(([x, y]) => [l + r - x, y])));
        expectSame(cellsOf(c.flipY()), cellsOf(c).map((list) => list.map(([x, y]) => [x, t + b - y])));
      }),
      runs,
    );
  });
});

describe('LogicalNeuronOnDLS properties', () => {
  it('places exactly when the box fits in the rows and stays within one half, shifting every position', () => {
    fc.assert(
      fc.property(built, variant, anchor, ({ compartments }, v, a) => {
        const c = flipped(compartments, v);
        const [column, row] = [a.x.value, a.y.value];
        const last = column + c.width - 1;
        const expected =
          row + c.height > 2 || last > 255
            ? MorphologyRule.placementOutsideGrid
            : column <= 127 && last >= 128
              ? MorphologyRule.placementSpansHalves
              : undefined;
        expect(LogicalNeuronOnDLS.isValidAnchor(c, a)).toBe(expected === undefined);
        let placed: LogicalNeuronOnDLS | undefined;
        try {
          placed = new LogicalNeuronOnDLS(c, a);
        } catch (error) {
          expect(error).toBeInstanceOf(MorphologyError);
          expect((error as MorphologyError).rule).toBe(expected);
        }
        if (placed === undefined) return;
        expect(expected).toBeUndefined();
        const shift = [column - c.leftmostColumn.value, row - c.topRow.value];
        expectSame(placed.toAtomicNeurons().map((list) => list.map((n) => [n.x.value, n.y.value])), cellsOf(c).map((list) => list.map(([x, y]) => [x + shift[0]!, y + shift[1]!])));
      }),
      runs,
    );
  });
});

describe('LogicalNeuron.collapseNeuron properties', () => {
  it('gives switches on the chip whose connected groups are the placed compartments, for every flip', () => {
    fc.assert(
      fc.property(built, variant, fc.nat(1), fc.nat(), fc.nat(), ({ compartments, neuron }, v, half, columnPick, rowPick) => {
        const shape = flipped(compartments, v);
        const placement = new LogicalNeuronOnDLS(shape, validAnchorFor(shape, half, columnPick, rowPick));
        const collapsed = neuron.collapseNeuron(placement);
        const onChip = new Map<string, MulticompartmentSwitches>(collapsed.map(({ neuron: n, switches }) => [key([n.x.value, n.y.value]), switches]));
        const cells: Cell[] = [...onChip.keys()].map((k) => k.split(',').map(Number) as unknown as Cell);
        const placedCompartments = placement.toAtomicNeurons().map((list) => list.map((n) => [n.x.value, n.y.value] as Cell));

        const direct = new SwitchGraph((cell) => onChip.get(key(cell)), cells, false);
        expectSame(direct.membraneGroups(), normalise(placedCompartments));
        expect(allJoined(new SwitchGraph((cell) => onChip.get(key(cell)), cells, true), placedCompartments)).toBe(true);

        // Per-neuron switches follow their neuron; horizontal links never leave the placement.
        const perNeuron = ['connectSoma', 'enableConductance', 'connectVertical', 'enableConductanceDivision', 'enableConductanceMultiplication'] as const;
        const logical = neuron.toArray().flat().map((s) => perNeuron.map((name) => s[name]));
        expectSame(collapsed.map(({ switches }) => perNeuron.map((name) => switches[name])), logical);
        const leaving = cells.filter((cell) => {
          const s = onChip.get(key(cell))!;
          return (s.connectRight || s.connectSomaRight) && !onChip.has(key([cell[0] + 1, cell[1]]));
        });
        expectSame(leaving, []);
      }),
      runs,
    );
  });
});
