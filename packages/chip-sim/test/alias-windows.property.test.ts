import { SynapseQuadOnDLS } from '@bss2/halco';
import { SynapseCorrelationCalibQuad, SynapseLabelQuad, SynapseQuad, SynapseWeightQuad } from '@bss2/lola';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SimulatedChip } from '../src/index.js';
import { SEED, dataWords, run } from './helpers.js';

const six = fc.array(fc.integer({ min: 0, max: 63 }), { minLength: 4, maxLength: 4 });
const two = fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 4, maxLength: 4 });
const quadArb = fc.record({ weights: six, labels: six, timeCalibs: two, ampCalibs: two }).map((init) => new SynapseQuad(init));
const coordArb = fc.integer({ min: SynapseQuadOnDLS.min, max: SynapseQuadOnDLS.max }).map((v) => new SynapseQuadOnDLS(v));

/** Reads the words at `addresses` through omnibus instructions. */
function readWords(chip: SimulatedChip, addresses: readonly number[]): Uint32Array {
  return Uint32Array.from(dataWords(run(chip, (s) => addresses.forEach((a) => s.omnibusRead(a)))));
}

function writeContainer(chip: SimulatedChip, addresses: readonly number[], words: Uint32Array): void {
  run(chip, (s) => addresses.forEach((a, w) => s.omnibusWrite(a, words[w]!)));
}

describe('synapse alias windows (halco omnibusAliasWindows) share one storage', () => {
  const chip = new SimulatedChip({ seed: 7 });

  it('a full quad written is seen through the weight, label and correlation-trim windows', () => {
    fc.assert(
      fc.property(coordArb, quadArb, (coord, quad) => {
        writeContainer(chip, SynapseQuad.addresses(coord), quad.encode());
        expect(SynapseWeightQuad.decode(readWords(chip, SynapseWeightQuad.addresses(coord))).weights).toEqual(quad.weights);
        expect(SynapseLabelQuad.decode(readWords(chip, SynapseLabelQuad.addresses(coord))).labels).toEqual(quad.labels);
        const trims = SynapseCorrelationCalibQuad.decode(readWords(chip, SynapseCorrelationCalibQuad.addresses(coord)));
        expect(trims.timeCalibs).toEqual(quad.timeCalibs);
        expect(trims.ampCalibs).toEqual(quad.ampCalibs);
        expect(SynapseQuad.decode(readWords(chip, SynapseQuad.addresses(coord))).equals(quad)).toBe(true);
      }),
      { numRuns: 1000, seed: SEED },
    );
  });

  it('a window written changes only its field of the full quad', () => {
    fc.assert(
      fc.property(coordArb, quadArb, six, six, two, two, (coord, quad, weights, labels, timeCalibs, ampCalibs) => {
        writeContainer(chip, SynapseQuad.addresses(coord), quad.encode());
        writeContainer(chip, SynapseWeightQuad.addresses(coord), new SynapseWeightQuad({ weights }).encode());
        expect(SynapseQuad.decode(readWords(chip, SynapseQuad.addresses(coord))).equals(quad.with({ weights }))).toBe(true);
        writeContainer(chip, SynapseLabelQuad.addresses(coord), new SynapseLabelQuad({ labels }).encode());
        writeContainer(chip, SynapseCorrelationCalibQuad.addresses(coord), new SynapseCorrelationCalibQuad({ timeCalibs, ampCalibs }).encode());
        expect(SynapseQuad.decode(readWords(chip, SynapseQuad.addresses(coord))).equals(new SynapseQuad({ weights, labels, timeCalibs, ampCalibs }))).toBe(true);
      }),
      { numRuns: 1000, seed: SEED },
    );
  });

  it('neighbouring quads are untouched by a quad write', () => {
    const fresh = new SimulatedChip({ seed: 8 });
    fc.assert(
      fc.property(coordArb, quadArb, (coord, quad) => {
        fresh.reset();
        writeContainer(fresh, SynapseQuad.addresses(coord), quad.encode());
        for (const v of [coord.value - 1, coord.value + 1, coord.value + 64]) {
          if (v < SynapseQuadOnDLS.min || v > SynapseQuadOnDLS.max) continue;
          expect(SynapseQuad.decode(readWords(fresh, SynapseQuad.addresses(new SynapseQuadOnDLS(v)))).equals(SynapseQuad.defaults())).toBe(true);
        }
      }),
      { numRuns: 200, seed: SEED },
    );
  });

  it('honours byte enables: only enabled bytes (entries) of a window word change', () => {
    const fresh = new SimulatedChip({ seed: 9 });
    const coord = new SynapseQuadOnDLS(12345);
    const [address] = SynapseWeightQuad.addresses(coord);
    run(fresh, (s) => s.omnibusAddress(address!, 0b0101, false).omnibusData(0x3f3f_3f3f));
    // Bytes 0 and 2 are entries 3 and 1 (entry 0 is the most significant byte, hardware.md §3.5).
    expect(SynapseWeightQuad.decode(readWords(fresh, SynapseWeightQuad.addresses(coord))).weights).toEqual([0, 63, 0, 63]);
  });
});
