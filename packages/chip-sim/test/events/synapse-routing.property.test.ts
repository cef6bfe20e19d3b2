import { ColumnCurrentQuadOnDLS, SPL1Address, SynapseDriverOnDLS } from '@bss2/halco';
import { ColumnCurrentQuad, SYNAPSE_DRIVER_ROW_MODES, SynapseDriverConfig } from '@bss2/lola';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Delivery, SEED, bench, canonical } from './helpers.js';
import { openEventPath, writeRow, writeSynapse } from './fixtures.js';

// Datasheet formulas, written out independently of the router (hardware.md §2.3, §2.7, §3.6).
const busOfDriver = (d: number) => 4 * Math.floor(d / 128) + ((d % 128) % 4);
const indexOfDriver = (d: number) => Math.floor((d % 128) / 4);
const rowsOfDriver = (d: number) => [2 * (d % 128) + 1, 2 * (d % 128)]; // top (odd), bottom (even)
const RECEPTORS: Record<string, number[]> = { disabled: [], excitatory: [0], inhibitory: [1], excitatoryAndInhibitory: [0, 1] };

const driverArb = fc.record({
  driver: fc.integer({ min: 0, max: 255 }),
  enable: fc.boolean(),
  mask: fc.oneof(fc.constant(0b11111), fc.integer({ min: 0, max: 31 })),
  addressOut: fc.oneof(fc.constant(true), fc.boolean()),
  top: fc.constantFrom(...SYNAPSE_DRIVER_ROW_MODES),
  bottom: fc.constantFrom(...SYNAPSE_DRIVER_ROW_MODES),
});

const scenario = fc.record({
  drivers: fc.uniqueArray(driverArb, { minLength: 1, maxLength: 4, selector: (d) => d.driver }),
  // A small label alphabet, so that events hit synapses often.
  alphabet: fc.uniqueArray(fc.integer({ min: 0, max: 63 }), { minLength: 1, maxLength: 4 }),
  seed: fc.integer(),
  events: fc.array(fc.record({ select: fc.integer({ min: 0, max: 31 }), pick: fc.nat(), link: fc.integer({ min: 0, max: 3 }) }), {
    minLength: 1,
    maxLength: 12,
  }),
});

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

describe('synapse address matching (hardware.md §1.3, §3.6)', () => {
  it('a synapse receives exactly the events whose forwarded 6-bit address equals its label (brute-force oracle)', () => {
    fc.assert(
      fc.property(scenario, ({ drivers, alphabet, seed, events }) => {
        const b = bench();
        openEventPath(b, { recording: false });
        const random = lcg(seed);
        // Random column switches, per column and receptor.
        const open = Array.from({ length: 512 }, () => [random() < 0.8, random() < 0.8]);
        for (const quad of ColumnCurrentQuadOnDLS.all()) {
          const cols = quad.toSynapseQuadColumnOnDLS().toNeuronColumnOnDLS().map((c) => 256 * quad.toSynramOnDLS().value + c.value);
          b.write(
            quad,
            new ColumnCurrentQuad({
              enableSynapticCurrentExcitatory: cols.map((c) => open[c]![0]!),
              enableSynapticCurrentInhibitory: cols.map((c) => open[c]![1]!),
            }),
          );
        }
        const synapses = new Map<string, { weights: number[]; labels: number[] }>();
        for (const d of drivers) {
          b.write(
            new SynapseDriverOnDLS(d.driver),
            new SynapseDriverConfig({
              enableReceiver: d.enable,
              rowAddressCompareMask: d.mask,
              enableAddressOut: d.addressOut,
              rowModeTop: d.top,
              rowModeBottom: d.bottom,
            }),
          );
          const synram = Math.floor(d.driver / 128);
          for (const row of rowsOfDriver(d.driver)) {
            const weights = Array.from({ length: 256 }, () => (random() < 0.3 ? 0 : 1 + Math.floor(random() * 63)));
            const labels = Array.from({ length: 256 }, () => (random() < 0.1 ? 32 : alphabet[Math.floor(random() * alphabet.length)]!));
            writeRow(b, synram, row, weights, labels);
            synapses.set(`${synram}:${row}`, { weights, labels });
          }
        }
        const expected: Delivery[] = [];
        events.forEach(({ select, pick, link }, cycle) => {
          const address = alphabet[pick % alphabet.length]!;
          const label = (select << 6) | address;
          // The reset crossbar passes everything: the FPGA link feeds all 8 buses.
          b.router.routeExternalEvent(new SPL1Address(link).value * 2 ** 14 + label, cycle);
          for (const d of drivers) {
            if (!d.enable || (select & d.mask) !== (indexOfDriver(d.driver) & d.mask)) continue;
            const forwarded = d.addressOut ? address : address & 0x20;
            const synram = Math.floor(d.driver / 128);
            rowsOfDriver(d.driver).forEach((row, slot) => {
              const { weights, labels } = synapses.get(`${synram}:${row}`)!;
              const mode = slot === 0 ? d.top : d.bottom;
              for (let c = 0; c < 256; c++) {
                if (labels[c] !== forwarded || weights[c] === 0) continue;
                for (const receptor of RECEPTORS[mode]!) {
                  if (open[256 * synram + c]![receptor]) expected.push({ circuit: 256 * synram + c, receptor, amount: weights[c]! / 63, cycle });
                }
              }
            });
          }
        });
        expect(canonical(b.recorder.inputs)).toEqual(canonical(expected));
      }),
      { seed: SEED, numRuns: 40 },
    );
  });

  it('the drivers that fire on a bus are those of the §3.6 formula (rowSelect & mask) == (index & mask)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 7 }),
        fc.array(fc.record({ enable: fc.boolean(), mask: fc.integer({ min: 0, max: 31 }) }), { minLength: 32, maxLength: 32 }),
        fc.integer({ min: 0, max: 31 }),
        (bus, configs, select) => {
          const b = bench();
          openEventPath(b, { recording: false });
          // Driver k on the bus owns column 8·k of its top row, label 5, so the receiving circuit names it.
          const block = Math.floor(bus / 4);
          configs.forEach(({ enable, mask }, k) => {
            const d = 128 * block + 4 * k + (bus % 4);
            expect(busOfDriver(d)).toBe(bus);
            b.write(new SynapseDriverOnDLS(d), new SynapseDriverConfig({ enableReceiver: enable, rowAddressCompareMask: mask, rowModeTop: 'excitatory' }));
            writeSynapse(b, block, rowsOfDriver(d)[0]!, 8 * k, 63, 5);
          });
          b.router.routeExternalEvent((select << 6) | 5, 0);
          const fired = b.recorder.inputs.filter((i) => Math.floor(i.circuit / 256) === block).map((i) => (i.circuit % 256) / 8);
          const expected = configs.flatMap(({ enable, mask }, k) => (enable && (select & mask) === (k & mask) ? [k] : []));
          expect(fired.sort((x, y) => x - y)).toEqual(expected);
        },
      ),
      { seed: SEED, numRuns: 40 },
    );
  });

  it('a reset-state driver ignores every event; weight 0 and disabled rows deliver nothing', () => {
    const b = bench();
    openEventPath(b, { recording: false });
    writeRow(b, 0, 1, new Array(256).fill(63), new Array(256).fill(0));
    b.router.routeExternalEvent(0, 0);
    expect(b.recorder.inputs).toEqual([]);
    b.write(new SynapseDriverOnDLS(0), new SynapseDriverConfig({ enableReceiver: true, rowModeTop: 'disabled', rowModeBottom: 'excitatory' }));
    b.router.routeExternalEvent(0, 1);
    expect(b.recorder.inputs).toEqual([]); // row 1 (top) disabled, row 0 (bottom) has weight 0
  });

  it('integrator mode: only the address MSB is compared and the 5 LSBs scale the pulse (§3.6)', () => {
    const b = bench();
    openEventPath(b, { recording: false });
    b.write(
      new SynapseDriverOnDLS(0),
      new SynapseDriverConfig({ enableReceiver: true, enableAddressOut: false, enableHagenDac: true, enableHagenModulation: true, rowModeTop: 'excitatory' }),
    );
    const labels = new Array(256).fill(0);
    labels[3] = 32;
    writeRow(b, 0, 1, new Array(256).fill(63), labels);
    b.router.routeExternalEvent(32 | 31, 0); // hagen address 1, activation 31
    b.router.routeExternalEvent(32 | 8, 1); // activation 8
    b.router.routeExternalEvent(0 | 8, 2); // hagen address 0: the other 255 synapses
    expect(b.recorder.inputs.slice(0, 2)).toEqual([
      { circuit: 3, receptor: 0, amount: 1, cycle: 0 },
      { circuit: 3, receptor: 0, amount: expect.closeTo(8 / 31, 6) as number, cycle: 1 },
    ]);
    expect(b.recorder.inputs.slice(2)).toHaveLength(255);
  });
});
