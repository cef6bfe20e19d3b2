import { NeuronColumnOnDLS } from '@bss2/halco';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_CORRELATION_BASELINE,
  RULE_ROWS,
  RULE_VECTOR_REGISTERS,
  type Rule,
  RuleCompileError,
  RuleDefinitionError,
  type RuleHemisphereState,
  RuleRegisterError,
  type Vec,
  compileRule,
  defineRule,
  homeostasisRule,
  interpretRule,
  rewardStdpRule,
  runtimeSymbols,
  stdpRule,
} from '../src/index.js';

const COLUMNS = NeuronColumnOnDLS.size;
const cells = RULE_ROWS * COLUMNS;

function emptyState(): RuleHemisphereState {
  return {
    weights: new Uint8Array(cells),
    causal: new Uint8Array(cells).fill(DEFAULT_CORRELATION_BASELINE),
    acausal: new Uint8Array(cells).fill(DEFAULT_CORRELATION_BASELINE),
    correlationBaseline: DEFAULT_CORRELATION_BASELINE,
    spikeCounts: new Uint16Array(COLUMNS),
  };
}

/** Element 0 of the kernel-scope observable `x` of a rule that observes `make()` (signed). */
function value(make: (k: Parameters<Parameters<typeof defineRule>[1]>[0]) => Vec): number[] {
  const rule = defineRule('probe', (k) => k.observe('x', make(k)));
  const bytes = interpretRule(rule, emptyState()).observables.get('x')!;
  return Array.from(bytes.slice(0, 4));
}
const s8 = (b: number) => (b << 24) >> 24;

describe('rule language: element semantics (interpreter, hardware.md §7)', () => {
  it('8-bit modulo and fractional-saturating arithmetic', () => {
    expect(value((k) => k.constant(100).add(200))[0]).toBe(44);
    expect(s8(value((k) => k.constant(100).addSat(100))[0]!)).toBe(127);
    expect(s8(value((k) => k.constant(-100).subSat(100))[0]!)).toBe(-128);
    expect(value((k) => k.constant(16).mul(16))[0]).toBe(0);
    expect(value((k) => k.constant(64).mulSat(64))[0]).toBe(32);
    expect(s8(value((k) => k.constant(-128).mulSat(-128))[0]!)).toBe(127);
    // The fractional product floors: −1·1 >> 7 = −1.
    expect(s8(value((k) => k.constant(-1).mulSat(1))[0]!)).toBe(-1);
    expect(s8(value((k) => k.constant(100).mulAddSat(100, 100))[0]!)).toBe(127);
    expect(value((k) => k.constant(3).mulAdd(5, 250))[0]).toBe(9);
    expect(s8(value((k) => k.constant(-64).shr(3))[0]!)).toBe(-8);
    expect(value((k) => k.constant(0x81).shl(1))[0]).toBe(2);
  });

  it('signed min / max / clamp, compares → masks, select and mask logic', () => {
    expect(s8(value((k) => k.constant(200).min(5))[0]!)).toBe(-56); // 200 is −56 signed
    expect(value((k) => k.constant(-5).clampWeight())[0]).toBe(0);
    expect(value((k) => k.constant(100).clampWeight())[0]).toBe(63);
    expect(value((k) => k.constant(3).gt(2).select(10, 20))[0]).toBe(10);
    expect(value((k) => k.constant(3).le(2).select(10, 20))[0]).toBe(20);
    expect(value((k) => k.constant(3).ne(3).not().select(10, 20))[0]).toBe(10);
    expect(value((k) => k.constant(3).eq(3).and(k.constant(1).lt(0)).select(10, 20))[0]).toBe(20);
    expect(value((k) => k.constant(3).eq(3).and(k.constant(1).ge(0)).select(10, 20))[0]).toBe(10);
    expect(value((k) => k.constant(3).gt(3).or(k.constant(1).ge(0)).select(10, 20))[0]).toBe(10);
    expect(s8(value((k) => k.constant(3).gt(2).select(-1, 0))[0]!)).toBe(-1);
  });

  it('16-bit lanes: widen, Q0.15 arithmetic, narrow', () => {
    // 0x40 → 0x4000 (0.5), squared = 0x2000 (0.25), high byte 0x20.
    expect(value((k) => {
      const h = k.constant(0x40).widen('low', 'fractional');
      return h.mulSat(h).narrow(h, 'high');
    })[0]).toBe(0x20);
    expect(value((k) => k.constant(0xff).widen('high', 'unsigned').add(k.constant(1, 16)).narrow(k.constant(0, 16), 'high'))[0]).toBe(1);
    expect(value((k) => k.constant(0x7fff, 16).addSat(k.constant(1, 16)).narrow(k.constant(0, 16), 'high'))).toEqual([0x7f, 0x7f, 0x7f, 0x7f]);
    expect(value((k) => k.constant(0x7ffe, 16).add(k.constant(3, 16)).narrow(k.constant(0, 16), 'low'))).toEqual([0x01, 0x01, 0x01, 0x01]);
  });

  it('weights keep 6 bits; masked stores; correlation reset and one-conversion pairs; rate counters', () => {
    const state = emptyState();
    state.causal[3 * COLUMNS + 4] = 50; // row 3, column 4 (even half, element 2)
    state.acausal[3 * COLUMNS + 4] = 120;
    state.spikeCounts[5] = 0x1ff; // overflowed
    state.spikeCounts[6] = 17;
    const rule = defineRule('io', (k) => {
      k.halves((half) => {
        const rates = half.rates({ reset: true });
        half.observe('rates', rates);
        half.rows({ from: 3, to: 3 }, (row) => {
          const { causal, acausal } = row.correlation({ reset: true });
          row.observe('causal', causal);
          row.observe('acausal', acausal);
          row.observe('after', row.acausal({ reset: false }));
          row.setWeights(row.constant(200), { where: row.weights().eq(0) });
        });
      });
    });
    const { state: after, observables } = interpretRule(rule, state);
    expect(observables.get('causal')![2]).toBe(50);
    expect(observables.get('acausal')![2]).toBe(120);
    expect(observables.get('after')![2]).toBe(DEFAULT_CORRELATION_BASELINE);
    expect(observables.get('rates')![128 + 2]).toBe(255); // column 5: odd half, element 2
    expect(observables.get('rates')![3]).toBe(17); // column 6: even half, element 3
    expect(after.spikeCounts.every((c) => c === 0)).toBe(true);
    expect(after.weights[3 * COLUMNS + 7]).toBe(200 & 0x3f);
    expect(after.weights[2 * COLUMNS + 7]).toBe(0);
    expect(after.causal[3 * COLUMNS + 4]).toBe(DEFAULT_CORRELATION_BASELINE);
    expect(state.causal[3 * COLUMNS + 4]).toBe(50); // the input is not changed
  });

  it('CADC reads the neuron readout values when the state has them, else row 0 sensors', () => {
    const state = { ...emptyState(), cadc: { causal: new Uint8Array(COLUMNS).fill(77), acausal: new Uint8Array(COLUMNS).fill(88) } };
    const rule = defineRule('cadc', (k) =>
      k.halves((half) => {
        const { causal, acausal } = half.cadc();
        half.observe('c', causal);
        half.observe('a', acausal);
      }),
    );
    const o = interpretRule(rule, state).observables;
    expect(o.get('c')!.every((b) => b === 77)).toBe(true);
    expect(o.get('a')!.every((b) => b === 88)).toBe(true);
    expect(interpretRule(rule, emptyState()).observables.get('c')![0]).toBe(DEFAULT_CORRELATION_BASELINE);
  });
});

describe('rule language: interpreter input checks', () => {
  it('rejects a state of the wrong shape or with out-of-range entries, naming the field', () => {
    const rule = stdpRule({ rows: { from: 0, to: 0 } });
    const bad = emptyState();
    bad.weights[3] = 64;
    expect(() => interpretRule(rule, bad)).toThrow(/weights\[3\] = 64/);
    expect(() => interpretRule(rule, { ...emptyState(), causal: new Uint8Array(5) })).toThrow(/causal has 5 entries/);
    expect(() => interpretRule(rule, { ...emptyState(), correlationBaseline: 300 })).toThrow(RuleCompileError);
    expect(() => interpretRule(rule, emptyState(), { etaPlus: 2 ** 32 })).toThrow(/etaPlus/);
  });
});

describe('rule language: definition errors', () => {
  const fails = (body: Parameters<typeof defineRule>[1], pattern: RegExp) => {
    const error = (() => {
      try {
        defineRule('bad', body);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(RuleDefinitionError);
    expect((error as Error).message).toMatch(pattern);
    expect((error as Error).message).toMatch(/rule 'bad'/);
  };

  it('names the rule, the operation and the value', () => {
    fails((k) => k.constant(256), /constant = 256.*-128\.\.255/);
    fails((k) => k.constant(1).shl(16), /shl = 16/);
    fails((k) => k.constant(1).shr(0), /shr = 0/);
    fails((k) => k.halves((h) => h.rows({ from: 3, to: 256 }, () => undefined)), /rows.to = 256/);
    fails((k) => k.halves((h) => h.rows({ from: -1, to: 2 }, () => undefined)), /rows.from = -1/);
    fails((k) => {
      k.param('eta');
      k.param('eta');
    }, /param name = 'eta'/);
    fails((k) => k.param('x', 2 ** 32), /initial value/);
    fails((k) => k.constant(1).add(k.constant(1, 16) as unknown as Vec<8>), /16-bit vector/);
    fails((k) => k.observe('bad name', k.constant(1)), /observe name/);
    fails((k) => {
      k.observe('x', k.constant(1));
      k.observe('x', k.constant(2));
    }, /not observed before/);
  });

  it('rejects values used outside their scope and operations on closed scopes', () => {
    fails((k) => {
      let escaped: Vec<8> | undefined;
      k.halves((h) => h.rows({ from: 0, to: 0 }, (row) => (escaped = row.weights())));
      k.observe('x', escaped!);
    }, /scope that has ended/);
    fails((k) => {
      let outer: Parameters<Parameters<typeof k.halves>[0]>[0] | undefined;
      k.halves((h) => (outer = h));
      outer!.rates({ reset: false });
    }, /not the innermost open one/);
    fails((k) => k.halves((h) => h.rows({ from: 0, to: 0 }, () => h.rates({ reset: true }))), /not the innermost/);
    let kept: Vec<8> | undefined;
    defineRule('ok', (k) => (kept = k.constant(1)));
    expect(() => kept!.add(1)).toThrow(RuleDefinitionError);
  });
});

describe('rule language: compilation', () => {
  it('compiles to assembly with the mailbox params and observables; localWords sets hemisphere and params', () => {
    const rule = stdpRule({ rows: { from: 0, to: 1 } });
    const compiled = compileRule(rule);
    expect(compiled.source).toMatch(/fxvinx/);
    expect(compiled.source).toMatch(/fxvoutx/);
    const eta = compiled.paramAddress('etaPlus');
    expect(eta).toBeGreaterThanOrEqual(compiled.image.symbol('__mailbox'));
    expect(compiled.image.words()[eta >>> 2]).toBe(32);
    const words = compiled.localWords(1, { etaPlus: 99 });
    expect(words[eta >>> 2]).toBe(99);
    expect(words[compiled.image.symbol(runtimeSymbols.hemisphere) >>> 2]).toBe(1);
    expect(() => compiled.localWords(0, { nope: 1 })).toThrow(RuleCompileError);
    expect(() => compiled.localWords(0, { etaPlus: 1.5 })).toThrow(/32-bit integer/);
    expect(() => compiled.paramAddress('nope')).toThrow(/no param 'nope'/);
    expect(compiled.vectorRegistersUsed).toBeLessThanOrEqual(RULE_VECTOR_REGISTERS);
  });

  it('observables: 16-byte aligned, read back from memory words; too many do not fit', () => {
    const rule = defineRule('obs', (k) => {
      k.observe('a', k.constant(7));
      k.halves((h) => h.rows({ from: 4, to: 5 }, (row) => row.observe('w', row.weights().add(1))));
    });
    const compiled = compileRule(rule);
    const a = compiled.observableAddress('a');
    expect(a % 16).toBe(0);
    const words = compiled.image.words();
    words[a >>> 2] = 0x01020304;
    expect(Array.from(compiled.readObservables(words).get('a')!.slice(0, 4))).toEqual([1, 2, 3, 4]);
    expect(compiled.readObservables(words).get('w')!.length).toBe(4 * 128);
    expect(() => compiled.observableAddress('b')).toThrow(/no observable 'b'/);
    const huge = defineRule('huge', (k) => k.halves((h) => h.rows({ from: 0, to: 255 }, (row) => row.observe('w', row.weights()))));
    expect(() => compileRule(huge)).toThrow(RuleCompileError);
  });

  it('register allocation reuses registers along long chains and fails with a typed error beyond 32 live values', () => {
    const chain = defineRule('chain', (k) =>
      k.halves((h) =>
        h.rows({ from: 0, to: 0 }, (row) => {
          let v = row.weights();
          for (let i = 0; i < 200; i++) v = v.addSat(i % 7).mulSat(100);
          row.setWeights(v.clampWeight());
        }),
      ),
    );
    expect(compileRule(chain).vectorRegistersUsed).toBeLessThanOrEqual(4);
    const wide = (n: number): Rule =>
      defineRule('wide', (k) => {
        const hoisted = Array.from({ length: n }, (_, i) => k.constant(i));
        k.halves((h) =>
          h.rows({ from: 0, to: 0 }, (row) => {
            let v = row.weights();
            for (const c of hoisted) v = v.add(c);
            row.setWeights(v);
          }),
        );
      });
    expect(compileRule(wide(30)).vectorRegistersUsed).toBe(32);
    const error = (() => {
      try {
        compileRule(wide(31));
      } catch (e) {
        return e as RuleRegisterError;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(RuleRegisterError);
    expect(error!.rule).toBe('wide');
    expect(error!.message).toMatch(/all 32 hold live values/);
  });
});

describe('built-in kernels (interpreter)', () => {
  const row = 7;
  const at = (column: number) => row * COLUMNS + column;

  it('STDP additive: causal correlation potentiates, acausal depresses, none leaves the weight; sensors reset', () => {
    const state = emptyState();
    state.weights.fill(30);
    state.weights[at(0)] = 10;
    state.causal[at(0)] = 100; // 100 LSB causal correlation
    state.acausal[at(1)] = 100; // acausal
    state.causal[at(2)] = 150;
    state.acausal[at(2)] = 150; // balanced
    const { state: after } = interpretRule(stdpRule({ rows: { from: row, to: row } }), state, { etaPlus: 64, etaMinus: 64 });
    expect(after.weights[at(0)]).toBe(10 + 50);
    expect(after.weights[at(1)]).toBe(0);
    expect(after.weights[at(2)]).toBe(30);
    expect(after.weights[at(3)]).toBe(30);
    expect(after.causal[at(0)]).toBe(DEFAULT_CORRELATION_BASELINE);
    expect(after.acausal[at(1)]).toBe(DEFAULT_CORRELATION_BASELINE);
    expect(after.weights[(row + 1) * COLUMNS]).toBe(30); // outside the range
  });

  it('STDP additive: Δw = (c₊·η₊ − c₋·η₋) / 128 (the weight clamped to 0..63)', () => {
    const state = emptyState();
    state.weights.fill(20);
    state.causal[at(4)] = DEFAULT_CORRELATION_BASELINE - 40;
    const { state: after } = interpretRule(stdpRule({ rows: { from: row, to: row } }), state, { etaPlus: 32, etaMinus: 32 });
    expect(after.weights[at(4)]).toBe(20 + (40 * 32) / 128);
  });

  it('STDP baselines: each sensor’s rest code read after the reset (default) or one fixed code; both agree where the rest is that code', () => {
    const state = emptyState();
    state.weights.fill(20);
    state.causal[at(4)] = DEFAULT_CORRELATION_BASELINE - 40;
    state.acausal[at(6)] = DEFAULT_CORRELATION_BASELINE - 24;
    const measured = stdpRule({ rows: { from: row, to: row } });
    const fixed = stdpRule({ rows: { from: row, to: row }, baseline: 'fixed' });
    expect(measured.params.map((p) => p.name)).toEqual(['etaPlus', 'etaMinus']);
    expect(fixed.params.map((p) => p.name)).toEqual(['etaPlus', 'etaMinus', 'correlationBaseline']);
    const a = interpretRule(measured, state, { etaPlus: 32, etaMinus: 32 }).state;
    const b = interpretRule(fixed, state, { etaPlus: 32, etaMinus: 32 }).state;
    expect(Array.from(a.weights)).toEqual(Array.from(b.weights));
    expect([a.weights[at(4)], a.weights[at(6)]]).toEqual([30, 14]);
    // A fixed baseline above the rest code reads every untouched sensor as correlated: the offset leaks into Δw.
    const high = interpretRule(stdpRule({ rows: { from: row, to: row }, baseline: 'fixed', correlationBaseline: DEFAULT_CORRELATION_BASELINE + 8 }), state, { etaPlus: 32, etaMinus: 0 }).state;
    expect(high.weights[at(0)]).toBe(22);
    expect(() => stdpRule({ correlationBaseline: 230 })).toThrow(/baseline: 'fixed'/);
    expect(() => stdpRule({ baseline: 'guess' as 'fixed' })).toThrow(/'measured' or 'fixed'/);
  });

  it('STDP multiplicative: potentiation shrinks as the weight approaches 63, depression as it approaches 0', () => {
    const state = emptyState();
    state.weights[at(0)] = 5;
    state.weights[at(2)] = 55;
    state.causal[at(0)] = state.causal[at(2)] = 100;
    state.weights[at(1)] = 5;
    state.weights[at(3)] = 55;
    state.acausal[at(1)] = state.acausal[at(3)] = 100;
    const { state: after } = interpretRule(stdpRule({ rows: { from: row, to: row }, variant: 'multiplicative' }), state, { etaPlus: 127, etaMinus: 127 });
    const up = (c: number, w0: number) => after.weights[at(c)]! - w0;
    expect(up(0, 5)).toBeGreaterThan(up(2, 55));
    expect(up(2, 55)).toBeGreaterThan(0);
    expect(-up(3, 55)).toBeGreaterThan(-up(1, 5));
    expect(up(1, 5)).toBeLessThanOrEqual(0);
  });

  it('homeostasis: silent neurons gain weight, busy ones lose it; counters reset', () => {
    const state = emptyState();
    state.weights.fill(30);
    state.spikeCounts[0] = 0;
    state.spikeCounts[1] = 100;
    state.spikeCounts[2] = 20;
    const { state: after } = interpretRule(homeostasisRule({ rows: { from: 0, to: 255 } }), state, { targetCount: 20, eta: 64 });
    expect(after.weights[at(0)]).toBe(30 + 10);
    expect(after.weights[at(1)]).toBe(0);
    expect(after.weights[at(2)]).toBe(30);
    expect(after.spikeCounts.every((c) => c === 0)).toBe(true);
  });

  it('reward-modulated STDP: reward above baseline reinforces causal synapses, below weakens them, at baseline nothing', () => {
    const state = emptyState();
    state.weights.fill(30);
    state.causal[at(0)] = 100;
    const run = (reward: number) => interpretRule(rewardStdpRule({ rows: { from: row, to: row } }), state, { reward, rewardBaseline: 10, eta: 127 }).state.weights[at(0)]!;
    expect(run(100)).toBeGreaterThan(30);
    expect(run(-80)).toBeLessThan(30);
    expect(run(10)).toBe(30);
    // Symmetric rounding: equal and opposite modulation moves the weight by equal amounts.
    expect(run(10 + 20) - 30).toBe(14);
    expect(30 - run(10 - 20)).toBe(14);
  });

  it('kernel options are checked', () => {
    expect(() => stdpRule({ rows: { from: 5, to: 2 } })).toThrow(RuleDefinitionError);
    expect(() => stdpRule({ variant: 'x' as 'additive' })).toThrow(/variant/);
  });
});

describe('README: the rule-language example', () => {
  it('builds, compiles and interprets as shown', async () => {
    const { readFileSync } = await import('node:fs');
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const block = /### Rule language[\s\S]*?```ts\n([\s\S]*?)```/.exec(readme)![1]!;
    const body = block.replace(/^import .*$/m, '').replace(/^\/\/ .*$/gm, '');
    const run = new Function('compileRule', 'defineRule', 'interpretRule', `${body}\nreturn { rule, compiled, words };`) as (...a: unknown[]) => { rule: Rule; compiled: ReturnType<typeof compileRule>; words: Uint32Array };
    const { rule, compiled, words } = run(compileRule, defineRule, interpretRule);
    expect(rule.params.map((p) => p.name)).toEqual(['eta']);
    expect(words[compiled.paramAddress('eta') >>> 2]).toBe(48);
    const state = emptyState();
    state.weights.fill(10);
    state.causal[0] = DEFAULT_CORRELATION_BASELINE - 80;
    expect(interpretRule(rule, state, { eta: 48 }).state.weights[0]).toBe(10 + (80 * 48) / 128);
  });
});
