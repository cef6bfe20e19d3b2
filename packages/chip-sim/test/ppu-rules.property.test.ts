// The rule language's oracle property (issue 13): random rules — op trees over weights, correlations, rates,
// constants and mailbox parameters on random row ranges — compiled and run on a simulated PPU give the same
// weights, correlation state, spike counters and observables as the host-side interpreter. Plus the built-in
// kernels (STDP additive / multiplicative, homeostasis, reward-modulated STDP) against the interpreter.
import { type Mask, type Operand, type Rule, type RowScope, type Vec, assemble, compileRule, defineRule, homeostasisRule, interpretRule, linkWithRuntime, rewardStdpRule, runtimeWordsFor, stdpRule } from '@bss2/ppu';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HOLD, RUN, chipWith, controlAddress, memoryAddress, wait } from './ppu-helpers.js';
import { BASELINE, COLUMNS, enableCorrelationReadout, randomState, readState, runCompiled, writeState } from './ppu-rules-helpers.js';

/** An expression tree over the values of one half row (plain data, so fast-check can print and shrink it). */
type Expr =
  | { k: 'weights' | 'causal' | 'acausal' | 'rates' | 'hoisted' }
  | { k: 'const'; v: number }
  | { k: 'param'; i: number }
  | { k: 'bin'; op: 'add' | 'addSat' | 'sub' | 'subSat' | 'mul' | 'mulSat' | 'min' | 'max'; a: Expr; b: Expr }
  | { k: 'mac'; sat: boolean; a: Expr; b: Expr; c: Expr }
  | { k: 'shift'; n: number; a: Expr }
  | { k: 'select'; cmp: Cmp; combine: 'none' | 'not' | 'and' | 'or'; a: Expr; b: Expr; t: Expr; f: Expr }
  | { k: 'wide'; op: 'addSat' | 'subSat' | 'mulSat' | 'mul' | 'add'; half: 'low' | 'high'; how: 'fractional' | 'unsigned'; byte: 'high' | 'low'; a: Expr; b: Expr };
type Cmp = 'gt' | 'lt' | 'eq' | 'ge' | 'le' | 'ne';

interface Recipe {
  ppu: number;
  from: number;
  span: number;
  reset: boolean;
  rateReset: boolean;
  weights: Expr;
  where: { cmp: Cmp; a: Expr; b: Expr } | null;
  observeRow: Expr | null;
  observeHalf: boolean;
  params: [number, number];
  hoisted: number;
  seed: number;
}

const leaf: fc.Arbitrary<Expr> = fc.oneof(
  fc.constantFrom<Expr>({ k: 'weights' }, { k: 'causal' }, { k: 'acausal' }, { k: 'rates' }, { k: 'hoisted' }),
  fc.integer({ min: -128, max: 255 }).map((v): Expr => ({ k: 'const', v })),
  fc.integer({ min: 0, max: 1 }).map((i): Expr => ({ k: 'param', i })),
);
const cmp = fc.constantFrom<Cmp>('gt', 'lt', 'eq', 'ge', 'le', 'ne');
const { expr } = fc.letrec<{ expr: Expr }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.record({ k: fc.constant('bin' as const), op: fc.constantFrom('add', 'addSat', 'sub', 'subSat', 'mul', 'mulSat', 'min', 'max'), a: tie('expr'), b: tie('expr') }),
    fc.record({ k: fc.constant('mac' as const), sat: fc.boolean(), a: tie('expr'), b: tie('expr'), c: tie('expr') }),
    fc.record({ k: fc.constant('shift' as const), n: fc.integer({ min: -8, max: 7 }), a: tie('expr') }),
    fc.record({ k: fc.constant('select' as const), cmp, combine: fc.constantFrom('none', 'not', 'and', 'or'), a: tie('expr'), b: tie('expr'), t: tie('expr'), f: tie('expr') }),
    fc.record({ k: fc.constant('wide' as const), op: fc.constantFrom('addSat', 'subSat', 'mulSat', 'mul', 'add'), half: fc.constantFrom('low', 'high'), how: fc.constantFrom('fractional', 'unsigned'), byte: fc.constantFrom('high', 'low'), a: tie('expr'), b: tie('expr') }),
  ) as fc.Arbitrary<Expr>,
}));

const recipe: fc.Arbitrary<Recipe> = fc.record({
  ppu: fc.integer({ min: 0, max: 1 }),
  from: fc.integer({ min: 0, max: 255 }),
  span: fc.integer({ min: 0, max: 3 }),
  reset: fc.boolean(),
  rateReset: fc.boolean(),
  weights: expr,
  where: fc.option(fc.record({ cmp, a: expr, b: expr }), { nil: null }),
  observeRow: fc.option(expr, { nil: null }),
  observeHalf: fc.boolean(),
  params: fc.tuple(fc.integer({ min: -(2 ** 31), max: 2 ** 32 - 1 }), fc.integer({ min: -128, max: 255 })),
  hoisted: fc.integer({ min: -128, max: 255 }),
  seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
});

function buildRule(r: Recipe): Rule {
  return defineRule('random_rule', (k) => {
    const params = [k.param('p0', 5), k.param('p1', -3)];
    const hoisted = k.constant(r.hoisted);
    k.halves((half) => {
      const rates = half.rates({ reset: r.rateReset });
      if (r.observeHalf) half.observe('rates', rates);
      const to = Math.min(255, r.from + r.span);
      half.rows({ from: r.from, to }, (row) => {
        const weights = row.weights();
        const { causal, acausal } = row.correlation({ reset: r.reset });
        const leaves = { weights, causal, acausal, rates, hoisted };
        const build = (e: Expr): Vec<8> => vector(row, e, leaves, params);
        const value = build(r.weights);
        const where = r.where === null ? undefined : compare(build(r.where.a), r.where.cmp, build(r.where.b));
        row.setWeights(value, where === undefined ? {} : { where });
        if (r.observeRow !== null) row.observe('row', build(r.observeRow));
      });
    });
  });
}

function compare(a: Vec<8>, how: Cmp, b: Vec<8>): Mask<8>;
function compare(a: Vec<16>, how: Cmp, b: Vec<16>): Mask<16>;
function compare(a: Vec, how: Cmp, b: Vec): Mask {
  return (a as Vec<8>)[how](b as Vec<8>);
}

function vector(row: RowScope, e: Expr, leaves: Record<'weights' | 'causal' | 'acausal' | 'rates' | 'hoisted', Vec<8>>, params: Operand<8>[]): Vec<8> {
  const go = (x: Expr): Vec<8> => vector(row, x, leaves, params);
  switch (e.k) {
    case 'weights':
    case 'causal':
    case 'acausal':
    case 'rates':
    case 'hoisted':
      return leaves[e.k];
    case 'const':
      return row.constant(e.v);
    case 'param':
      return row.splat(params[e.i] as never);
    case 'bin':
      return go(e.a)[e.op](go(e.b));
    case 'mac':
      return e.sat ? go(e.a).mulAddSat(go(e.b), go(e.c)) : go(e.a).mulAdd(go(e.b), go(e.c));
    case 'shift':
      return e.n >= 0 ? go(e.a).shl(e.n) : go(e.a).shr(-e.n);
    case 'select': {
      const a = go(e.a);
      const b = go(e.b);
      let mask = compare(a, e.cmp, b);
      if (e.combine === 'not') mask = mask.not();
      else if (e.combine === 'and') mask = mask.and(a.lt(0));
      else if (e.combine === 'or') mask = mask.or(b.eq(leaves.hoisted));
      return mask.select(go(e.t), go(e.f));
    }
    case 'wide': {
      const a = go(e.a);
      const b = go(e.b);
      const lo = a.widen(e.half, e.how)[e.op](b.widen(e.half, e.how));
      const hi = b.widen(e.half === 'low' ? 'high' : 'low', e.how)[e.op](a.widen('high', 'unsigned').max(lo));
      return lo.narrow(hi, e.byte);
    }
  }
}

function mulberry(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** Runs `rule` on the chip and with the interpreter on the same state; checks every result is identical. */
function check(chip: ReturnType<typeof chipWith>, rule: Rule, ppu: number, seed: number, from: number, to: number, params: Record<string, number>): void {
  const state = randomState(mulberry(seed));
  const compiled = compileRule(rule);
  writeState(chip.chip, chip.model, ppu, state, from, to);
  const { returnCode, words } = runCompiled(chip.chip, chip.model, ppu, compiled, params);
  expect(returnCode).toBe(0);
  const expected = interpretRule(rule, state, params);
  const actual = readState(chip.chip, chip.model, ppu, state, from, to);
  const slice = (a: ArrayLike<number>) => Array.from(a).slice(from * COLUMNS, (to + 1) * COLUMNS);
  expect(slice(actual.weights)).toEqual(slice(expected.state.weights));
  expect(slice(actual.causal)).toEqual(slice(expected.state.causal));
  expect(slice(actual.acausal)).toEqual(slice(expected.state.acausal));
  expect(Array.from(actual.spikeCounts)).toEqual(Array.from(expected.state.spikeCounts));
  const observed = compiled.readObservables(words);
  for (const [name, bytes] of expected.observables) expect([name, Array.from(observed.get(name)!)]).toEqual([name, Array.from(bytes)]);
}

describe('rules: simulated PPU = interpreter', () => {
  it('random rules over random row ranges give identical weights, correlation, counters and observables', () => {
    const chip = chipWith();
    enableCorrelationReadout(chip.chip);
    fc.assert(
      fc.property(recipe, (r) => {
        const rule = buildRule(r);
        check(chip, rule, r.ppu, r.seed, r.from, Math.min(255, r.from + r.span), { p0: r.params[0], p1: r.params[1] });
      }),
      { seed: 1, numRuns: 40 },
    );
  }, 120_000);

  it.each([
    ['STDP additive', stdpRule({ rows: { from: 10, to: 13 } }), { etaPlus: 40, etaMinus: 24 }],
    ['STDP multiplicative', stdpRule({ rows: { from: 250, to: 255 }, variant: 'multiplicative' }), { etaPlus: 100, etaMinus: 90 }],
    ['homeostasis', homeostasisRule({ rows: { from: 0, to: 3 } }), { targetCount: 30, eta: 48 }],
    ['reward-modulated STDP', rewardStdpRule({ rows: { from: 100, to: 104 } }), { reward: 90, rewardBaseline: 20, eta: 100 }],
    ['reward-modulated STDP, negative reward', rewardStdpRule({ rows: { from: 100, to: 101 } }), { reward: -70, rewardBaseline: 10, eta: 127 }],
  ] as const)('built-in %s: simulated PPU = interpreter on both PPUs', (_, rule, params) => {
    const chip = chipWith();
    enableCorrelationReadout(chip.chip);
    const rows = rule.root.items.flatMap((i) => (i.kind === 'loop' ? i.scope.items : [])).find((i) => i.kind === 'loop')!;
    const { from, to } = (rows as { scope: { rows: { from: number; to: number } } }).scope.rows;
    for (const ppu of [0, 1]) check(chip, rule, ppu, 7 + ppu, from, to, params);
  }, 60_000);
});

describe('runtime library on the simulated PPU', () => {
  /** Links `body` (the kernel function) with the runtime, runs it on `ppu` and returns the local words. */
  function runKernel(chip: ReturnType<typeof chipWith>, ppu: number, body: string): Uint32Array {
    const image = linkWithRuntime([assemble(`    .text\n    .globl kernel\nkernel:\n${body}\n    .data\n    .align 4\nbuf:\n    .space 1024\n    .globl buf\n`, { fileName: 'kernel.s' })]);
    chip.chip.writeWord(controlAddress(ppu), HOLD);
    runtimeWordsFor(image, ppu).forEach((w, i) => chip.chip.writeWord(memoryAddress(ppu, i), w));
    chip.chip.writeWord(controlAddress(ppu), RUN);
    for (let i = 0; i < 20 && chip.model.ppuState(ppu).state === 'running'; i++) wait(chip.chip, 10_000);
    expect(chip.model.ppuState(ppu)).toMatchObject({ state: 'halted' });
    const words = Uint32Array.from({ length: 4096 }, (_, i) => chip.chip.readWord(memoryAddress(ppu, i)));
    return Object.assign(words, { buf: image.symbol('buf') });
  }
  const byte = (words: Uint32Array, address: number) => (words[address >>> 2]! >>> (24 - 8 * (address & 3))) & 0xff;
  const prologue = '    mflr r31\n    lis r30, buf@ha\n    addi r30, r30, buf@l\n';
  const epilogue = '    mtlr r31\n    blr\n';

  it('get_weights / set_weights, get_correlation with reset, get_rate_counters, get_cadc: what the host state says', () => {
    for (const ppu of [0, 1]) {
      const chip = chipWith();
      enableCorrelationReadout(chip.chip);
      const state = randomState(mulberry(3 + ppu));
      writeState(chip.chip, chip.model, ppu, state, 0, 6);
      const words = runKernel(chip, ppu, `${prologue}
    li r3, 5
    mr r4, r30
    bl get_weights            # buf[0..255] = row 5
    mr r3, r30
    li r4, 6
    bl set_weights            # row 6 = row 5
    li r3, 4
    addi r4, r30, 256
    addi r5, r30, 512
    li r6, 1
    bl get_correlation        # buf[256..511] causal, [512..767] acausal of row 4, then reset
    addi r3, r30, 768
    li r4, 1
    bl get_rate_counters      # buf[768..1023], counters cleared
    li r3, 42
    ${epilogue}`);
      const buf = (words as Uint32Array & { buf: number }).buf;
      const after = readState(chip.chip, chip.model, ppu, state, 0, 6);
      const half = (k: number) => 2 * (k % 128) + Math.floor(k / 128); // buffer index → column
      for (let k = 0; k < 256; k++) {
        expect(byte(words, buf + k)).toBe(state.weights[5 * COLUMNS + half(k)]);
        expect(after.weights[6 * COLUMNS + half(k)]).toBe(state.weights[5 * COLUMNS + half(k)]);
        expect(byte(words, buf + 256 + k)).toBe(state.causal[4 * COLUMNS + half(k)]);
        expect(byte(words, buf + 512 + k)).toBe(state.acausal[4 * COLUMNS + half(k)]);
        expect(after.causal[4 * COLUMNS + k]).toBe(BASELINE);
        expect(after.acausal[4 * COLUMNS + k]).toBe(BASELINE);
        const count = state.spikeCounts[half(k)]!;
        expect(byte(words, buf + 768 + k)).toBe(count > 255 ? 255 : count);
      }
      expect(after.causal[3 * COLUMNS + 1]).toBe(state.causal[3 * COLUMNS + 1]);
      expect(Array.from(after.spikeCounts).every((c) => c === 0)).toBe(true);
      expect(words[3071]).toBe(42); // the return code
    }
  });

  it('get_cadc converts row 0 of this hemisphere; now / sleep_cycles follow the time base; mailbox and exit', () => {
    const chip = chipWith();
    enableCorrelationReadout(chip.chip);
    const state = randomState(mulberry(11));
    writeState(chip.chip, chip.model, 1, state, 0, 0);
    const words = runKernel(chip, 1, `${prologue}
    mr r3, r30
    addi r4, r30, 256
    li r5, 0
    bl get_cadc
    bl now
    mr r29, r3
    li r3, 1000
    bl sleep_cycles
    bl now
    subf r3, r29, r3
    stw r3, 512(r30)          # cycles slept
    li r3, 5
    bl mailbox_read           # mailbox word 5 (0 in the image)
    addi r4, r3, 77
    li r3, 6
    bl mailbox_write          # mailbox word 6 = 77
    li r3, 9
    bl exit                   # ends here with return code 9
    li r3, 1
    ${epilogue}`);
    const buf = (words as Uint32Array & { buf: number }).buf;
    for (let k = 0; k < 256; k++) {
      const column = 2 * (k % 128) + Math.floor(k / 128);
      expect(byte(words, buf + k)).toBe(state.causal[column]);
      expect(byte(words, buf + 256 + k)).toBe(state.acausal[column]);
    }
    const slept = words[(buf + 512) >>> 2]!;
    expect(slept).toBeGreaterThanOrEqual(1000);
    expect(slept).toBeLessThan(1000 + 16);
    expect(words[3072 + 6]).toBe(77);
    expect(words[3071]).toBe(9);
  });
});
