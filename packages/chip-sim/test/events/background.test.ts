import { BackgroundSpikeSourceOnDLS } from '@bss2/halco';
import { BackgroundSpikeSource } from '@bss2/lola';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BackgroundGenerators, type BackgroundEventTarget, RegisterFile, memoryMap } from '../../src/index.js';
import { SEED, bench } from './helpers.js';
import { openEventPath } from './fixtures.js';

class Collect implements BackgroundEventTarget {
  generator: number[] = [];
  label: number[] = [];
  cycle: number[] = [];
  routeBackgroundEvent(generator: number, label: number, cycle: number): void {
    this.generator.push(generator);
    this.label.push(label);
    this.cycle.push(cycle);
  }
}

/** Generators on a bare register file: `set(i, source, cycle)` writes and reconfigures generator i. */
function generators() {
  const registers = new RegisterFile(memoryMap());
  const g = new BackgroundGenerators(registers, BackgroundSpikeSourceOnDLS.size);
  const set = (i: number, source: BackgroundSpikeSource, cycle: number) => {
    const words = source.encode();
    BackgroundSpikeSource.addresses(new BackgroundSpikeSourceOnDLS(i)).forEach((a, w) => registers.write(a, words[w]!, 0xffff_ffff));
    g.configure(i, cycle);
  };
  return { g, set };
}

describe('background spike generators (hardware.md §3.7)', () => {
  it('regular: exactly one spike per period, the first one full period after enabling', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 0x3fff }), (period, start, label) => {
        const { g, set } = generators();
        set(3, new BackgroundSpikeSource({ enable: true, period, neuronLabel: label, mask: 0xff }), start);
        const out = new Collect();
        g.generate(start + 20 * period + 1, out);
        expect(out.cycle).toEqual(Array.from({ length: 20 }, (_, k) => start + (k + 1) * period));
        expect(new Set(out.label)).toEqual(new Set([label])); // the mask only acts in Poisson mode
        expect(new Set(out.generator)).toEqual(new Set([3]));
      }),
      { seed: SEED, numRuns: 50 },
    );
  });

  it('Poisson: mean ISI = period · 255 / rate within statistical bounds, seeded and reproducible', () => {
    for (const [period, rate, seed] of [
      [10, 51, 0x1234_5678],
      [4, 200, 0xdead_beef],
      [100, 5, 0x0bad_cafe],
    ] as const) {
      const { g, set } = generators();
      set(0, new BackgroundSpikeSource({ enable: true, enableRandom: true, period, rate, seed }), 0);
      const out = new Collect();
      const bins = 100_000;
      g.generate(bins * period + 1, out);
      const p = rate / 255;
      const n = out.cycle.length;
      // Spikes per bin ~ Binomial(bins, p): within 5 σ.
      expect(Math.abs(n - bins * p)).toBeLessThan(5 * Math.sqrt(bins * p * (1 - p)));
      const meanIsi = (out.cycle[n - 1]! - out.cycle[0]!) / (n - 1);
      expect(meanIsi / ((period * 255) / rate)).toBeGreaterThan(0.9);
      expect(meanIsi / ((period * 255) / rate)).toBeLessThan(1.1);
      expect(out.cycle.every((c) => c % period === 0)).toBe(true); // spikes at bin ends
      const again = generators();
      again.set(0, new BackgroundSpikeSource({ enable: true, enableRandom: true, period, rate, seed }), 0);
      const repeat = new Collect();
      again.g.generate(bins * period + 1, repeat);
      expect(repeat.cycle).toEqual(out.cycle);
    }
  });

  it('Poisson: rate 255 fires every bin, rate 0 never; the masked label bits are random, the others kept', () => {
    const { g, set } = generators();
    set(1, new BackgroundSpikeSource({ enable: true, enableRandom: true, period: 3, rate: 255, seed: 99, neuronLabel: 0x1a5a, mask: 0x0f }), 0);
    set(2, new BackgroundSpikeSource({ enable: true, enableRandom: true, period: 3, rate: 0, seed: 7 }), 0);
    const out = new Collect();
    g.generate(3 * 1000 + 1, out);
    expect(out.cycle).toHaveLength(1000);
    expect(new Set(out.generator)).toEqual(new Set([1]));
    expect(out.label.every((l) => (l & ~0x0f) === (0x1a5a & ~0x0f))).toBe(true);
    expect(new Set(out.label.map((l) => l & 0x0f)).size).toBe(16);
  });

  it('the seed is loaded on the disabled → enabled edge only', () => {
    const source = new BackgroundSpikeSource({ enable: true, enableRandom: true, period: 2, rate: 128, seed: 4242 });
    const run = (reenable: boolean) => {
      const { g, set } = generators();
      set(0, source, 0);
      const out = new Collect();
      g.generate(1000, out);
      if (reenable) set(0, source.with({ enable: false }), 1000);
      set(0, source, 1000);
      g.generate(3000, out);
      return out.cycle.filter((c) => c > 1000).map((c) => c - 1000);
    };
    const fresh = (() => {
      const { g, set } = generators();
      set(0, source, 0);
      const out = new Collect();
      g.generate(2000, out);
      return out.cycle;
    })();
    expect(run(true)).toEqual(fresh); // restarted: same sequence as from power-on
    expect(run(false)).not.toEqual(fresh); // kept running: the LFSR continued
  });

  it('events of all generators come in time order and reach the crossbar through the router', () => {
    const b = bench();
    openEventPath(b);
    b.write(new BackgroundSpikeSourceOnDLS(0), new BackgroundSpikeSource({ enable: true, period: 7, neuronLabel: 1 }), 0);
    b.write(new BackgroundSpikeSourceOnDLS(5), new BackgroundSpikeSource({ enable: true, period: 5, neuronLabel: 2 }), 0);
    b.router.advanceTo(36);
    // Generator i is recorded on FPGA link i % 4 (§2.3).
    const a = { label: 1, cycle: 0 };
    const c = { label: (1 << 14) | 2, cycle: 0 };
    // Ties (cycle 35) in generator order.
    const order = [c, a, c, a, c, c, a, c, a, c, a, c];
    const cycles = [5, 7, 10, 14, 15, 20, 21, 25, 28, 30, 35, 35];
    expect(b.recorder.spikes).toEqual(order.map((e, i) => ({ label: e.label, cycle: cycles[i]! })));
  });
});
