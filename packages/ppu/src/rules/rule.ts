// The rule language: a typed builder for plasticity kernels (hardware.md §7). A rule is a tree of scopes —
// the kernel, loops over the two halves of the synapse array (even / odd columns) and, inside a half, loops
// over a range of rows — each holding operations on 128-byte vectors in program order. The builder records
// an IR; `compileRule` turns it into PPU assembly and `interpretRule` runs it on the host with the same
// bit-exact vector semantics.
import { SynapseRowOnSynram } from '@bss2/halco';
import { nominal } from '@bss2/lola';
import { RuleDefinitionError } from './errors.js';

/** Element width: 8 bit (128 lanes, weights / correlation / rates) or 16 bit (64 lanes). */
export type Width = 8 | 16;
/** Modulo (wrapping, unsigned) or fractional saturating (signed Q0.7 / Q0.15: sums clamp, products `(a·b) >> 7`). */
export type ArithmeticMode = 'modulo' | 'saturate';
export type ScopeKind = 'kernel' | 'half' | 'row';

/** Compare outcomes as a bit set of the element's sign of `a − b` (saturating): gt 1, lt 2, eq 4. */
export const CompareBits = { gt: 1, lt: 2, eq: 4 } as const;

export type NodeOp =
  | { readonly op: 'const'; readonly value: number }
  | { readonly op: 'param'; readonly param: number }
  | { readonly op: 'weights' }
  | { readonly op: 'causal'; readonly reset: boolean }
  | { readonly op: 'acausal'; readonly reset: boolean }
  /** The acausal codes of the conversion its argument (a `causal` read) made: before that read's reset. */
  | { readonly op: 'acausalOfConversion' }
  | { readonly op: 'resetCorrelation' }
  | { readonly op: 'rates'; readonly reset: boolean }
  | { readonly op: 'cadcCausal' }
  | { readonly op: 'cadcAcausal' }
  | { readonly op: 'add' | 'sub' | 'mul' | 'mac'; readonly mode: ArithmeticMode }
  /** Left for amount > 0, arithmetic right for amount < 0; no saturation. */
  | { readonly op: 'shift'; readonly amount: number }
  | { readonly op: 'min' | 'max' | 'select' | 'not' | 'and' | 'or' }
  | { readonly op: 'compare'; readonly outcomes: number }
  | { readonly op: 'widen'; readonly half: 'low' | 'high'; readonly how: 'fractional' | 'unsigned' }
  | { readonly op: 'narrow'; readonly byte: 'high' | 'low' };

/** One operation producing a vector (or a mask, stored as a vector of all-ones / zero elements). */
export interface RuleNode {
  readonly id: number;
  readonly width: Width;
  readonly isMask: boolean;
  readonly operation: NodeOp;
  readonly args: readonly RuleNode[];
  readonly scope: Scope;
  /** Human-readable description for errors. */
  readonly label: string;
}

export interface Observable {
  readonly name: string;
  readonly index: number;
  /** Where it is written: kernel (one vector), half (one per half), row (one per half row of the range). */
  readonly scope: ScopeKind;
  readonly rows: { readonly from: number; readonly to: number } | undefined;
  /** Vectors of 128 bytes it holds. */
  readonly vectors: number;
  readonly width: Width;
}

export interface Param {
  readonly name: string;
  readonly index: number;
  /** The value compiled into the mailbox; the host overwrites it between runs. */
  readonly default: number;
}

export type ScopeItem =
  | { readonly kind: 'node'; readonly node: RuleNode }
  | { readonly kind: 'setWeights'; readonly value: RuleNode; readonly where: RuleNode | undefined }
  | { readonly kind: 'observe'; readonly observable: Observable; readonly value: RuleNode }
  | { readonly kind: 'loop'; readonly scope: Scope };

export interface Scope {
  readonly id: number;
  readonly kind: ScopeKind;
  readonly parent: Scope | undefined;
  readonly items: ScopeItem[];
  /** Row loops: the inclusive row range. */
  readonly rows: { readonly from: number; readonly to: number } | undefined;
}

/** A finished rule: the IR the compiler and the interpreter read. */
export interface Rule {
  readonly name: string;
  readonly root: Scope;
  readonly params: readonly Param[];
  readonly observables: readonly Observable[];
  readonly nodeCount: number;
}

/** Synapse rows per hemisphere (256). */
export const RULE_ROWS = SynapseRowOnSynram.size;
const WEIGHT_MAX = nominal.synapseWeightMax;
const LANES: Record<Width, number> = { 8: 128, 16: 64 };
/** Splat constants: any value whose low byte / halfword is meant (signed or unsigned spelling). */
const CONSTANT_RANGE: Record<Width, [number, number]> = { 8: [-128, 255], 16: [-32768, 65535] };
const PARAM_RANGE: [number, number] = [-(2 ** 31), 2 ** 32 - 1];
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Lanes of a vector of `width`. */
export const lanesOf = (width: Width): number => LANES[width];

/** @internal The state of one rule being defined. */
export class Builder {
  nextNode = 0;
  nextScope = 0;
  current: Scope;
  readonly root: Scope;
  readonly params: Param[] = [];
  readonly observables: Observable[] = [];
  finished = false;

  constructor(readonly rule: string) {
    this.root = this.scope('kernel', undefined, undefined);
    this.current = this.root;
  }

  scope(kind: ScopeKind, parent: Scope | undefined, rows: Scope['rows']): Scope {
    return { id: this.nextScope++, kind, parent, items: [], rows };
  }

  fail(where: string, value: unknown, expected: string): never {
    throw new RuleDefinitionError(this.rule, where, value, expected);
  }

  /** `scope` is the one being built now (its callback is running and no inner loop is open). */
  checkCurrent(scope: Scope, what: string): void {
    if (this.finished) this.fail(what, 'after the rule was defined', 'operations only inside the rule body');
    if (this.current !== scope) this.fail(what, `called on a ${scope.kind} scope that is not the innermost open one`, 'operations of the scope whose callback is running');
  }

  /** A value may be used where its scope is the current scope or encloses it. */
  checkVisible(node: RuleNode, what: string): void {
    if (this.finished) this.fail(what, 'after the rule was defined', 'operations only inside the rule body');
    for (let s: Scope | undefined = this.current; s !== undefined; s = s.parent) if (s === node.scope) return;
    this.fail(what, `${node.label} from a ${node.scope.kind} scope that has ended`, 'values of the current scope or of scopes enclosing it');
  }

  node(operation: NodeOp, width: Width, args: RuleNode[], label: string, isMask = false): RuleNode {
    for (const a of args) this.checkVisible(a, label);
    const node: RuleNode = { id: this.nextNode++, width, isMask, operation, args, scope: this.current, label };
    this.current.items.push({ kind: 'node', node });
    return node;
  }
}

/** A scalar parameter in the mailbox (a 32-bit word); as a vector operand it is splatted (low byte / halfword). */
export class RuleParam {
  /** @internal */
  constructor(
    /** @internal */ readonly builder: Builder,
    readonly param: Param,
  ) {}
}

/** Operand of a vector operation: a vector of the same width, a constant (splatted) or a parameter. */
export type Operand<W extends Width> = Vec<W> | number | RuleParam;

function operandNode<W extends Width>(builder: Builder, operand: Operand<W>, width: W, what: string): RuleNode {
  if (operand instanceof Vec) {
    if (operand.builder !== builder) builder.fail(what, 'a vector of another rule', 'vectors of this rule');
    if (operand.width !== width) builder.fail(what, `a ${operand.width}-bit vector`, `a ${width}-bit operand`);
    return operand.node;
  }
  if (operand instanceof RuleParam) {
    if (operand.builder !== builder) builder.fail(what, `param '${operand.param.name}' of another rule`, 'params of this rule');
    return builder.node({ op: 'param', param: operand.param.index }, width, [], `param '${operand.param.name}'`);
  }
  return constantNode(builder, operand, width, what);
}

function constantNode(builder: Builder, value: number, width: Width, what: string): RuleNode {
  const [lo, hi] = CONSTANT_RANGE[width];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < lo || value > hi) builder.fail(what, value, `an integer ${lo}..${hi} for a ${width}-bit constant`);
  return builder.node({ op: 'const', value }, width, [], `constant ${value}`);
}

/**
 * A vector value of `W`-bit elements (8: 128 lanes, 16: 64 lanes, element i of a 16-bit vector is bytes 2i
 * (high) and 2i + 1). Arithmetic follows the s2pp vector unit exactly (hardware.md §7, the README's table).
 */
export class Vec<W extends Width = Width> {
  /** @internal */
  constructor(
    /** @internal */ readonly builder: Builder,
    /** @internal */ readonly node: RuleNode,
  ) {}

  get width(): W {
    return this.node.width as W;
  }

  private binary(op: 'add' | 'sub' | 'mul', mode: ArithmeticMode, other: Operand<W>): Vec<W> {
    const name = `${op}${mode === 'saturate' ? 'Sat' : ''}`;
    return new Vec<W>(this.builder, this.builder.node({ op, mode }, this.width, [this.node, operandNode(this.builder, other, this.width, name)], name));
  }

  /** Element-wise sum modulo 2^W. */
  add(other: Operand<W>): Vec<W> {
    return this.binary('add', 'modulo', other);
  }
  /** Signed saturating sum. */
  addSat(other: Operand<W>): Vec<W> {
    return this.binary('add', 'saturate', other);
  }
  /** Difference modulo 2^W. */
  sub(other: Operand<W>): Vec<W> {
    return this.binary('sub', 'modulo', other);
  }
  /** Signed saturating difference. */
  subSat(other: Operand<W>): Vec<W> {
    return this.binary('sub', 'saturate', other);
  }
  /** Product modulo 2^W. */
  mul(other: Operand<W>): Vec<W> {
    return this.binary('mul', 'modulo', other);
  }
  /** Fractional product, saturating: `(a·b) >> 7` (8 bit) or `>> 15` (16 bit), signed. */
  mulSat(other: Operand<W>): Vec<W> {
    return this.binary('mul', 'saturate', other);
  }
  /** `addend + this·factor` modulo 2^W (the accumulator's multiply-add). */
  mulAdd(factor: Operand<W>, addend: Operand<W>): Vec<W> {
    return this.mac('modulo', factor, addend);
  }
  /** `sat(addend + (this·factor) >> 7)` (8 bit; `>> 15` for 16 bit), signed fractional. */
  mulAddSat(factor: Operand<W>, addend: Operand<W>): Vec<W> {
    return this.mac('saturate', factor, addend);
  }
  private mac(mode: ArithmeticMode, factor: Operand<W>, addend: Operand<W>): Vec<W> {
    const name = mode === 'saturate' ? 'mulAddSat' : 'mulAdd';
    const b = this.builder;
    const args = [this.node, operandNode(b, factor, this.width, name), operandNode(b, addend, this.width, name)];
    return new Vec<W>(b, b.node({ op: 'mac', mode }, this.width, args, name));
  }
  /** Shift left by 0..15 bits (bits leave at the top; no saturation). */
  shl(bits: number): Vec<W> {
    if (!Number.isInteger(bits) || bits < 0 || bits > 15) this.builder.fail('shl', bits, 'an integer shift 0..15');
    return new Vec<W>(this.builder, this.builder.node({ op: 'shift', amount: bits }, this.width, [this.node], `shl ${bits}`));
  }
  /** Arithmetic shift right by 1..16 bits (signed elements). */
  shr(bits: number): Vec<W> {
    if (!Number.isInteger(bits) || bits < 1 || bits > 16) this.builder.fail('shr', bits, 'an integer shift 1..16');
    return new Vec<W>(this.builder, this.builder.node({ op: 'shift', amount: -bits }, this.width, [this.node], `shr ${bits}`));
  }
  /** Signed element-wise minimum. */
  min(other: Operand<W>): Vec<W> {
    return new Vec<W>(this.builder, this.builder.node({ op: 'min' }, this.width, [this.node, operandNode(this.builder, other, this.width, 'min')], 'min'));
  }
  /** Signed element-wise maximum. */
  max(other: Operand<W>): Vec<W> {
    return new Vec<W>(this.builder, this.builder.node({ op: 'max' }, this.width, [this.node, operandNode(this.builder, other, this.width, 'max')], 'max'));
  }
  /** `min(max(this, lo), hi)`, signed. */
  clamp(lo: Operand<W>, hi: Operand<W>): Vec<W> {
    return this.max(lo).min(hi);
  }
  /** Clamped to the weight range 0..63 (signed elements: negative values become 0). */
  clampWeight(): Vec<W> {
    return this.clamp(0, WEIGHT_MAX);
  }
  private compare(outcomes: number, name: string, other: Operand<W>): Mask<W> {
    const b = this.builder;
    return new Mask<W>(b, b.node({ op: 'compare', outcomes }, this.width, [this.node, operandNode(b, other, this.width, name)], name, true));
  }
  /** Signed comparisons (through the sign of the saturating difference) → a mask. */
  gt(other: Operand<W>): Mask<W> {
    return this.compare(CompareBits.gt, 'gt', other);
  }
  lt(other: Operand<W>): Mask<W> {
    return this.compare(CompareBits.lt, 'lt', other);
  }
  eq(other: Operand<W>): Mask<W> {
    return this.compare(CompareBits.eq, 'eq', other);
  }
  ge(other: Operand<W>): Mask<W> {
    return this.compare(CompareBits.gt | CompareBits.eq, 'ge', other);
  }
  le(other: Operand<W>): Mask<W> {
    return this.compare(CompareBits.lt | CompareBits.eq, 'le', other);
  }
  ne(other: Operand<W>): Mask<W> {
    return this.compare(CompareBits.gt | CompareBits.lt, 'ne', other);
  }
  /**
   * 8 → 16 bit: the 64 bytes of the `low` (lanes 0..63) or `high` (64..127) half; `fractional` puts the byte in
   * the high byte (Q0.7 → Q0.15, `b·256`), `unsigned` in the low byte (zero-extended).
   */
  widen(this: Vec<8>, half: 'low' | 'high', how: 'fractional' | 'unsigned'): Vec<16> {
    if (this.width !== 8) this.builder.fail('widen', `a ${this.width}-bit vector`, 'an 8-bit vector');
    if (half !== 'low' && half !== 'high') this.builder.fail('widen.half', half, "'low' or 'high'");
    if (how !== 'fractional' && how !== 'unsigned') this.builder.fail('widen.how', how, "'fractional' or 'unsigned'");
    return new Vec<16>(this.builder, this.builder.node({ op: 'widen', half, how }, 16, [this.node], `widen ${half} ${how}`));
  }
  /**
   * 16 → 8 bit: lanes 0..63 from this vector, 64..127 from `upper`; `high` keeps each element's high byte
   * (Q0.15 → Q0.7, truncating), `low` its low byte.
   */
  narrow(this: Vec<16>, upper: Vec<16>, byte: 'high' | 'low'): Vec<8> {
    if (this.width !== 16) this.builder.fail('narrow', `a ${this.width}-bit vector`, 'a 16-bit vector');
    if (byte !== 'high' && byte !== 'low') this.builder.fail('narrow.byte', byte, "'high' or 'low'");
    return new Vec<8>(this.builder, this.builder.node({ op: 'narrow', byte }, 8, [this.node, operandNode(this.builder, upper, 16, 'narrow')], `narrow ${byte}`));
  }
}

/** A per-element condition (stored as a vector: −1 where true, 0 where false). */
export class Mask<W extends Width = Width> {
  /** @internal */
  constructor(
    /** @internal */ readonly builder: Builder,
    /** @internal */ readonly node: RuleNode,
  ) {}

  get width(): W {
    return this.node.width as W;
  }
  private other(m: Mask<W>, what: string): RuleNode {
    if (!(m instanceof Mask) || m.builder !== this.builder) this.builder.fail(what, m, 'a mask of this rule');
    if (m.width !== this.width) this.builder.fail(what, `a ${m.width}-bit mask`, `a ${this.width}-bit mask`);
    return m.node;
  }
  /** Element-wise `this ? ifTrue : ifFalse`. */
  select(ifTrue: Operand<W>, ifFalse: Operand<W>): Vec<W> {
    const b = this.builder;
    const args = [this.node, operandNode(b, ifTrue, this.width, 'select'), operandNode(b, ifFalse, this.width, 'select')];
    return new Vec<W>(b, b.node({ op: 'select' }, this.width, args, 'select'));
  }
  and(other: Mask<W>): Mask<W> {
    return new Mask<W>(this.builder, this.builder.node({ op: 'and' }, this.width, [this.node, this.other(other, 'and')], 'and', true));
  }
  or(other: Mask<W>): Mask<W> {
    return new Mask<W>(this.builder, this.builder.node({ op: 'or' }, this.width, [this.node, this.other(other, 'or')], 'or', true));
  }
  not(): Mask<W> {
    return new Mask<W>(this.builder, this.builder.node({ op: 'not' }, this.width, [this.node], 'not', true));
  }
}

/** What every scope offers: constants, parameter splats and observables. */
abstract class ScopeBuilder {
  /** @internal */
  constructor(
    /** @internal */ readonly builder: Builder,
    /** @internal */ readonly scope: Scope,
  ) {}

  /** A vector with every element `value` (8-bit: −128..255, 16-bit: −32768..65535). */
  constant(value: number, width?: 8): Vec<8>;
  constant(value: number, width: 16): Vec<16>;
  constant(value: number, width: Width = 8): Vec {
    this.builder.checkCurrent(this.scope, 'constant');
    if (width !== 8 && width !== 16) this.builder.fail('constant.width', width, '8 or 16');
    return new Vec(this.builder, constantNode(this.builder, value, width, 'constant'));
  }

  /** A parameter's value splatted into every element (low byte or halfword of the mailbox word). */
  splat(param: RuleParam, width?: 8): Vec<8>;
  splat(param: RuleParam, width: 16): Vec<16>;
  splat(param: RuleParam, width: Width = 8): Vec {
    this.builder.checkCurrent(this.scope, 'splat');
    if (width !== 8 && width !== 16) this.builder.fail('splat.width', width, '8 or 16');
    if (!(param instanceof RuleParam)) this.builder.fail('splat', param, 'a param of this rule');
    return new Vec(this.builder, operandNode(this.builder, param, width, 'splat'));
  }

  /**
   * Writes `value` to the observable `name` in local memory each time this scope runs: kernel scope one
   * vector, half scope one per half, row scope one per half row (`((row − from)·2 + parity)·128` bytes in).
   */
  observe(name: string, value: Vec): void {
    const b = this.builder;
    b.checkCurrent(this.scope, `observe '${name}'`);
    if (typeof name !== 'string' || !NAME.test(name)) b.fail('observe name', name, 'an identifier [A-Za-z_][A-Za-z0-9_]*');
    if (b.observables.some((o) => o.name === name)) b.fail('observe name', name, 'a name not observed before in this rule');
    if (!(value instanceof Vec)) b.fail(`observe '${name}'`, value, 'a vector');
    b.checkVisible(value.node, `observe '${name}'`);
    const rows = this.scope.rows;
    const vectors = this.scope.kind === 'kernel' ? 1 : this.scope.kind === 'half' ? 2 : 2 * (rows!.to - rows!.from + 1);
    const observable: Observable = { name, index: b.observables.length, scope: this.scope.kind, rows, vectors, width: value.width };
    b.observables.push(observable);
    this.scope.items.push({ kind: 'observe', observable, value: value.node });
  }
}

/** The rule body's outer scope: parameters, loops over the halves. */
export class KernelScope extends ScopeBuilder {
  /**
   * A 32-bit parameter in the mailbox, `initial` until the host writes another value (between runs). Used as an
   * operand it is splatted (its low byte / halfword), so an 8-bit use reads it as −128..127 or 0..255.
   */
  param(name: string, initial = 0): RuleParam {
    const b = this.builder;
    b.checkCurrent(this.scope, `param '${name}'`);
    if (typeof name !== 'string' || !NAME.test(name)) b.fail('param name', name, 'an identifier [A-Za-z_][A-Za-z0-9_]*');
    if (b.params.some((p) => p.name === name)) b.fail('param name', name, 'a name not used by another param of this rule');
    if (!Number.isInteger(initial) || initial < PARAM_RANGE[0] || initial > PARAM_RANGE[1]) b.fail(`param '${name}' initial value`, initial, `an integer ${PARAM_RANGE[0]}..${PARAM_RANGE[1]}`);
    const param: Param = { name, index: b.params.length, default: initial };
    b.params.push(param);
    return new RuleParam(b, param);
  }

  /** Runs `body` for each half of the synapse array: parity 0 (even columns), then 1 (odd columns). */
  halves(body: (half: HalfScope) => void): void {
    const b = this.builder;
    b.checkCurrent(this.scope, 'halves');
    const scope = b.scope('half', this.scope, undefined);
    this.scope.items.push({ kind: 'loop', scope });
    b.current = scope;
    try {
      body(new HalfScope(b, scope));
    } finally {
      b.current = this.scope;
    }
  }
}

/** One half (parity) of the array: 128 columns, their neurons' rate counters and CADC channels. */
export class HalfScope extends ScopeBuilder {
  /**
   * The spike counts of this half's 128 neurons (element k: column 2k + parity; 255 once a counter
   * overflowed); `reset` clears the counters read.
   */
  rates(options: { reset: boolean }): Vec<8> {
    this.builder.checkCurrent(this.scope, 'rates');
    const reset = options?.reset;
    if (typeof reset !== 'boolean') this.builder.fail('rates.reset', reset, 'true or false');
    return new Vec<8>(this.builder, this.builder.node({ op: 'rates', reset }, 8, [], `rates(reset ${reset})`));
  }

  /** One CADC conversion of this half's causal and acausal channels (neuron readout or the sensors of row 0). */
  cadc(): { causal: Vec<8>; acausal: Vec<8> } {
    const b = this.builder;
    b.checkCurrent(this.scope, 'cadc');
    const causal = b.node({ op: 'cadcCausal' }, 8, [], 'cadc causal');
    const acausal = b.node({ op: 'cadcAcausal' }, 8, [causal], 'cadc acausal');
    return { causal: new Vec<8>(b, causal), acausal: new Vec<8>(b, acausal) };
  }

  /** Runs `body` for rows `from..to` (inclusive, 0..255) of this half. */
  rows(range: { from: number; to: number }, body: (row: RowScope) => void): void {
    const b = this.builder;
    b.checkCurrent(this.scope, 'rows');
    const { from, to } = range ?? {};
    if (!Number.isInteger(from) || from < 0 || from >= RULE_ROWS) b.fail('rows.from', from, `a row 0..${RULE_ROWS - 1}`);
    if (!Number.isInteger(to) || to < from || to >= RULE_ROWS) b.fail('rows.to', to, `a row ${from}..${RULE_ROWS - 1}`);
    const scope = b.scope('row', this.scope, { from, to });
    this.scope.items.push({ kind: 'loop', scope });
    b.current = scope;
    try {
      body(new RowScope(b, scope));
    } finally {
      b.current = this.scope;
    }
  }
}

/** One half row: 128 synapses (element k: column 2k + parity). */
export class RowScope extends ScopeBuilder {
  /** The 6-bit weights. */
  weights(): Vec<8> {
    this.builder.checkCurrent(this.scope, 'weights');
    return new Vec<8>(this.builder, this.builder.node({ op: 'weights' }, 8, [], 'weights'));
  }
  /** Causal correlation codes (one CADC conversion; codes fall as correlation grows); `reset` clears both sensors. */
  causal(options: { reset: boolean }): Vec<8> {
    return this.correlationRead('causal', options);
  }
  /** Acausal correlation codes (one CADC conversion); `reset` clears both sensors. */
  acausal(options: { reset: boolean }): Vec<8> {
    return this.correlationRead('acausal', options);
  }
  private correlationRead(op: 'causal' | 'acausal', options: { reset: boolean }): Vec<8> {
    this.builder.checkCurrent(this.scope, op);
    const reset = options?.reset;
    if (typeof reset !== 'boolean') this.builder.fail(`${op}.reset`, reset, 'true or false');
    return new Vec<8>(this.builder, this.builder.node({ op, reset }, 8, [], `${op}(reset ${reset})`));
  }
  /** Causal and acausal codes of one conversion (`get_correlation(row, reset)`): both before the reset. */
  correlation(options: { reset: boolean }): { causal: Vec<8>; acausal: Vec<8> } {
    const causal = this.causal(options);
    const acausal = this.builder.node({ op: 'acausalOfConversion' }, 8, [causal.node], 'acausal of the conversion');
    return { causal, acausal: new Vec<8>(this.builder, acausal) };
  }
  /** Clears both correlation sensors of this half row. */
  resetCorrelation(): void {
    this.builder.checkCurrent(this.scope, 'resetCorrelation');
    this.builder.node({ op: 'resetCorrelation' }, 8, [], 'resetCorrelation');
  }
  /** Stores weights (the window keeps each byte's 6 LSBs), only where `where` holds if given. */
  setWeights(value: Vec<8>, options: { where?: Mask<8> } = {}): void {
    const b = this.builder;
    b.checkCurrent(this.scope, 'setWeights');
    if (!(value instanceof Vec) || value.width !== 8) b.fail('setWeights', value instanceof Vec ? `a ${value.width}-bit vector` : value, 'an 8-bit vector');
    b.checkVisible(value.node, 'setWeights');
    const where = options.where;
    if (where !== undefined) {
      if (!(where instanceof Mask) || where.width !== 8) b.fail('setWeights.where', where, 'an 8-bit mask');
      b.checkVisible(where.node, 'setWeights.where');
    }
    this.scope.items.push({ kind: 'setWeights', value: value.node, where: where?.node });
  }
}

/**
 * Defines a rule: `body` receives the kernel scope and builds the kernel with it. The rule's IR is frozen when
 * `body` returns; values and scopes must not be used afterwards.
 */
export function defineRule(name: string, body: (kernel: KernelScope) => void): Rule {
  if (typeof name !== 'string' || !NAME.test(name)) throw new RuleDefinitionError(String(name), 'rule name', name, 'an identifier [A-Za-z_][A-Za-z0-9_]*');
  const builder = new Builder(name);
  try {
    body(new KernelScope(builder, builder.root));
  } finally {
    builder.finished = true;
  }
  return Object.freeze({ name, root: builder.root, params: Object.freeze([...builder.params]), observables: Object.freeze([...builder.observables]), nodeCount: builder.nextNode });
}
