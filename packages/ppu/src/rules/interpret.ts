// The host-side interpreter of a rule: the oracle for the compiled kernel. Same bit-exact element semantics as
// the s2pp vector unit (hardware.md §7, the README's table): modulo wrap, signed saturation, fractional
// products `(a·b) >> 7` / `>> 15`, arithmetic right shifts, and the 6-bit weight window.
import { NeuronColumnOnDLS } from '@bss2/halco';
import { RuleCompileError } from './errors.js';
import { CompareBits, RULE_ROWS, type Rule, type RuleNode, type Scope } from './rule.js';

const COLUMNS = NeuronColumnOnDLS.size;
const VECTOR_BYTES = 128;
const WEIGHT_MASK = 0x3f;

/**
 * What a rule reads and writes in one hemisphere, row-major (`row·256 + column`). Correlation entries are the
 * CADC codes the sensors read (baseline − accumulated, hardware.md §8.2); a reset sets them to
 * `correlationBaseline`. `spikeCounts` are SpikeCounterRead words (count | overflow << 8). With `cadc`, the
 * CADC channels of each column read those values instead of the sensors (neuron readout switched on).
 */
export interface RuleHemisphereState {
  readonly weights: Uint8Array;
  readonly causal: Uint8Array;
  readonly acausal: Uint8Array;
  readonly correlationBaseline: number;
  readonly spikeCounts: Uint16Array;
  readonly cadc?: { readonly causal: Uint8Array; readonly acausal: Uint8Array };
}

export interface RuleInterpretation {
  /** The state after the kernel (a copy; the input is not changed). */
  readonly state: RuleHemisphereState;
  /** Observable name → its bytes, laid out as in local memory. */
  readonly observables: Map<string, Uint8Array>;
}

const s8 = (x: number): number => (x << 24) >> 24;
const s16 = (x: number): number => (x << 16) >> 16;
const sat8 = (x: number): number => (x > 127 ? 127 : x < -128 ? -128 : x);
const sat16 = (x: number): number => (x > 32767 ? 32767 : x < -32768 ? -32768 : x);

/** Signed value of element `i` (byte or big-endian halfword). */
function get(v: Uint8Array, i: number, half: boolean): number {
  return half ? s16((v[2 * i]! << 8) | v[2 * i + 1]!) : s8(v[i]!);
}
function put(v: Uint8Array, i: number, half: boolean, value: number): void {
  if (half) {
    v[2 * i] = (value >>> 8) & 0xff;
    v[2 * i + 1] = value & 0xff;
  } else v[i] = value & 0xff;
}

function copyState(s: RuleHemisphereState): RuleHemisphereState {
  return {
    weights: s.weights.slice(),
    causal: s.causal.slice(),
    acausal: s.acausal.slice(),
    correlationBaseline: s.correlationBaseline,
    spikeCounts: s.spikeCounts.slice(),
    ...(s.cadc === undefined ? {} : { cadc: { causal: s.cadc.causal.slice(), acausal: s.cadc.acausal.slice() } }),
  };
}

function checkState(rule: string, s: RuleHemisphereState): void {
  const cells = RULE_ROWS * COLUMNS;
  const check = (name: string, a: ArrayLike<number> | undefined, length: number): void => {
    if (a === undefined || a.length !== length) throw new RuleCompileError(rule, `interpreter state: ${name} has ${a?.length ?? 'no'} entries, expected ${length}`);
  };
  check('weights', s.weights, cells);
  check('causal', s.causal, cells);
  check('acausal', s.acausal, cells);
  check('spikeCounts', s.spikeCounts, COLUMNS);
  if (s.cadc !== undefined) {
    check('cadc.causal', s.cadc.causal, COLUMNS);
    check('cadc.acausal', s.cadc.acausal, COLUMNS);
  }
  if (!Number.isInteger(s.correlationBaseline) || s.correlationBaseline < 0 || s.correlationBaseline > 255) {
    throw new RuleCompileError(rule, `interpreter state: correlationBaseline = ${s.correlationBaseline} is not a CADC code 0..255`);
  }
  for (let i = 0; i < cells; i++) if (s.weights[i]! > WEIGHT_MASK) throw new RuleCompileError(rule, `interpreter state: weights[${i}] = ${s.weights[i]} is not a 6-bit weight`);
  for (let i = 0; i < COLUMNS; i++) if (s.spikeCounts[i]! > 0x1ff) throw new RuleCompileError(rule, `interpreter state: spikeCounts[${i}] = ${s.spikeCounts[i]} is not a 9-bit SpikeCounterRead word`);
}

/** Resolves host parameter values (unknown names and out-of-range values are errors). */
export function resolveParams(rule: Rule, params: Readonly<Record<string, number>> = {}): number[] {
  const values = rule.params.map((p) => p.default);
  for (const [name, value] of Object.entries(params)) {
    const p = rule.params.find((q) => q.name === name);
    if (p === undefined) throw new RuleCompileError(rule.name, `no param '${name}' (params: ${rule.params.map((q) => q.name).join(', ') || 'none'})`);
    if (!Number.isInteger(value) || value < -(2 ** 31) || value > 2 ** 32 - 1) throw new RuleCompileError(rule.name, `param '${name}' = ${value} is not a 32-bit integer`);
    values[p.index] = value;
  }
  return values;
}

/** Runs `rule` on one hemisphere's state on the host. */
export function interpretRule(rule: Rule, input: RuleHemisphereState, params: Readonly<Record<string, number>> = {}): RuleInterpretation {
  checkState(rule.name, input);
  const state = copyState(input);
  const values = resolveParams(rule, params);
  const observables = new Map(rule.observables.map((o) => [o.name, new Uint8Array(o.vectors * VECTOR_BYTES)]));
  const env = new Map<number, Uint8Array>();
  /** Per conversion node: the acausal codes of that conversion. */
  const conversions = new Map<number, Uint8Array>();
  let parity = 0;
  let row = 0;

  const channel = (type: 'causal' | 'acausal', r: number, out: Uint8Array): void => {
    for (let k = 0; k < VECTOR_BYTES; k++) {
      const column = 2 * k + parity;
      out[k] = state.cadc !== undefined ? state.cadc[type][column]! : state[type][r * COLUMNS + column]!;
    }
  };
  const resetHalfRow = (r: number): void => {
    for (let k = 0; k < VECTOR_BYTES; k++) {
      const at = r * COLUMNS + 2 * k + parity;
      state.causal[at] = state.acausal[at] = state.correlationBaseline;
    }
  };
  const convert = (node: RuleNode, r: number, out: Uint8Array): void => {
    channel('causal', r, out);
    const acausal = new Uint8Array(VECTOR_BYTES);
    channel('acausal', r, acausal);
    conversions.set(node.id, acausal);
  };

  const evaluate = (node: RuleNode): Uint8Array => {
    const out = new Uint8Array(VECTOR_BYTES);
    const half = node.width === 16;
    const lanes = half ? 64 : 128;
    const arg = (i: number): Uint8Array => env.get(node.args[i]!.id)!;
    const op = node.operation;
    switch (op.op) {
      case 'const':
      case 'param': {
        const value = op.op === 'const' ? op.value : values[op.param]!;
        for (let i = 0; i < lanes; i++) put(out, i, half, value);
        break;
      }
      case 'weights':
        for (let k = 0; k < VECTOR_BYTES; k++) out[k] = state.weights[row * COLUMNS + 2 * k + parity]!;
        break;
      case 'causal':
        convert(node, row, out);
        if (op.reset) resetHalfRow(row);
        break;
      case 'acausal':
        channel('acausal', row, out);
        if (op.reset) resetHalfRow(row);
        break;
      case 'acausalOfConversion':
      case 'cadcAcausal':
        out.set(conversions.get(node.args[0]!.id)!);
        break;
      case 'cadcCausal':
        convert(node, 0, out);
        break;
      case 'resetCorrelation':
        resetHalfRow(row);
        break;
      case 'rates':
        for (let k = 0; k < VECTOR_BYTES; k++) {
          const column = 2 * k + parity;
          const word = state.spikeCounts[column]!;
          out[k] = word > 255 ? 255 : word;
          if (op.reset) state.spikeCounts[column] = 0;
        }
        break;
      case 'add':
      case 'sub':
      case 'mul':
      case 'mac': {
        const a = arg(0);
        const b = arg(1);
        const c = op.op === 'mac' ? arg(2) : undefined;
        const bits = half ? 0xffff : 0xff;
        const sat = half ? sat16 : sat8;
        const shift = half ? 15 : 7;
        for (let i = 0; i < lanes; i++) {
          const x = get(a, i, half);
          const y = get(b, i, half);
          let r: number;
          if (op.mode === 'modulo') {
            r = op.op === 'add' ? x + y : op.op === 'sub' ? x - y : op.op === 'mul' ? Math.imul(x & bits, y & bits) : (get(c!, i, half) & bits) + Math.imul(x & bits, y & bits);
          } else {
            r = op.op === 'add' ? sat(x + y) : op.op === 'sub' ? sat(x - y) : op.op === 'mul' ? sat((x * y) >> shift) : sat(get(c!, i, half) + ((x * y) >> shift));
          }
          put(out, i, half, r & bits);
        }
        break;
      }
      case 'shift': {
        const a = arg(0);
        const bits = half ? 0xffff : 0xff;
        for (let i = 0; i < lanes; i++) {
          const x = get(a, i, half);
          put(out, i, half, (op.amount >= 0 ? (x & bits) << op.amount : x >> -op.amount) & bits);
        }
        break;
      }
      case 'min':
      case 'max':
      case 'compare': {
        const a = arg(0);
        const b = arg(1);
        const sat = half ? sat16 : sat8;
        for (let i = 0; i < lanes; i++) {
          const d = sat(get(a, i, half) - get(b, i, half));
          if (op.op === 'compare') {
            const outcome = d > 0 ? CompareBits.gt : d < 0 ? CompareBits.lt : CompareBits.eq;
            put(out, i, half, (op.outcomes & outcome) !== 0 ? -1 : 0);
          } else {
            const pickB = op.op === 'min' ? d > 0 : !(d > 0);
            put(out, i, half, get(pickB ? b : a, i, half));
          }
        }
        break;
      }
      case 'select':
      case 'not':
      case 'and':
      case 'or': {
        const m = arg(0);
        for (let i = 0; i < lanes; i++) {
          const isTrue = get(m, i, half) < 0;
          let r: number;
          if (op.op === 'select') r = get(isTrue ? arg(1) : arg(2), i, half);
          else if (op.op === 'not') r = isTrue ? 0 : -1;
          else if (op.op === 'and') r = isTrue ? get(arg(1), i, half) : 0;
          else r = isTrue ? -1 : get(arg(1), i, half);
          put(out, i, half, r);
        }
        break;
      }
      case 'widen': {
        const a = arg(0);
        const from = op.half === 'high' ? 64 : 0;
        for (let i = 0; i < 64; i++) {
          const byte = a[from + i]!;
          out[2 * i] = op.how === 'fractional' ? byte : 0;
          out[2 * i + 1] = op.how === 'fractional' ? 0 : byte;
        }
        break;
      }
      case 'narrow': {
        const lo = arg(0);
        const hi = arg(1);
        const low = op.byte === 'low' ? 1 : 0;
        for (let i = 0; i < VECTOR_BYTES; i++) out[i] = i < 64 ? lo[2 * i + low]! : hi[2 * (i - 64) + low]!;
        break;
      }
    }
    return out;
  };

  const observeAt = (scope: Scope): number => {
    if (scope.kind === 'kernel') return 0;
    if (scope.kind === 'half') return parity;
    return (row - scope.rows!.from) * 2 + parity;
  };

  const run = (scope: Scope): void => {
    for (const item of scope.items) {
      switch (item.kind) {
        case 'node':
          env.set(item.node.id, evaluate(item.node));
          break;
        case 'setWeights': {
          const value = env.get(item.value.id)!;
          const where = item.where === undefined ? undefined : env.get(item.where.id)!;
          for (let k = 0; k < VECTOR_BYTES; k++) {
            if (where !== undefined && s8(where[k]!) >= 0) continue;
            state.weights[row * COLUMNS + 2 * k + parity] = value[k]! & WEIGHT_MASK;
          }
          break;
        }
        case 'observe':
          observables.get(item.observable.name)!.set(env.get(item.value.id)!, observeAt(scope) * VECTOR_BYTES);
          break;
        case 'loop':
          if (item.scope.kind === 'half') {
            for (parity = 0; parity < 2; parity++) run(item.scope);
            parity = 0;
          } else {
            for (row = item.scope.rows!.from; row <= item.scope.rows!.to; row++) run(item.scope);
            row = 0;
          }
          break;
      }
    }
  };
  run(rule.root);
  return { state, observables };
}
